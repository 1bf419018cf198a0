/**
 * Secrets at rest and API tokens. Whatever may hold a value (variables, recorded idempotent responses) is sealed
 * with AES-256-GCM under a key derived from the master key; the additional data binds each envelope to its row so
 * ciphertexts cannot be swapped. Request fingerprints are HMACs, so a stored one cannot be brute-forced back into
 * a short secret. Tokens are random and only their SHA-256 is stored.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const MASTER_KEY_BYTES = 32;
const MASTER_KEY_HEX = /^[0-9a-fA-F]{64}$/;
const IV_BYTES = 12;

export interface SealedValue {
  readonly ciphertext: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
}

export interface Keyring {
  seal(plaintext: string, boundTo: string): SealedValue;
  open(sealed: SealedValue, boundTo: string): string;
  /** HMAC-SHA256, hex. */
  mac(data: string): string;
  /** Derived from the master key and revealing nothing about it; detects a changed master key at startup. */
  readonly fingerprint: string;
}

const derive = (masterKey: Buffer, purpose: string): Buffer => Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), `platos-emulator ${purpose}`, 32));

export function createKeyring(masterKey: Buffer): Keyring {
  if (masterKey.length !== MASTER_KEY_BYTES) throw new Error(`the master key must be ${MASTER_KEY_BYTES} bytes`);
  const key = derive(masterKey, "sealed values v1");
  const macKey = derive(masterKey, "request mac v1");
  return {
    fingerprint: createHash("sha256").update(derive(masterKey, "key check v1")).digest("hex"),
    mac: (data) => createHmac("sha256", macKey).update(data, "utf8").digest("hex"),
    seal(plaintext, boundTo) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(boundTo, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return { ciphertext, iv, tag: cipher.getAuthTag() };
    },
    open(sealed, boundTo) {
      const decipher = createDecipheriv("aes-256-gcm", key, sealed.iv);
      decipher.setAAD(Buffer.from(boundTo, "utf8"));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString("utf8");
    },
  };
}

export function parseMasterKey(hex: string): Buffer {
  if (!MASTER_KEY_HEX.test(hex)) throw new Error("the master key must be 64 hexadecimal characters");
  return Buffer.from(hex, "hex");
}

/** The key in `dataDir/master.key`, created (mode 0600) on first use. */
export function loadOrCreateMasterKey(dataDir: string): Buffer {
  const file = join(dataDir, "master.key");
  if (existsSync(file)) return parseMasterKey(readFileSync(file, "utf8").trim());
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(MASTER_KEY_BYTES);
  writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return key;
}

export function newApiToken(): string {
  return `plt_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Compares two tokens in constant time (by their hashes, so lengths do not leak either). */
export function sameToken(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(hashToken(a), "hex"), Buffer.from(hashToken(b), "hex"));
}
