/**
 * A stack's state on disk, as a file backend keeps it: resources in creation order, secret values encrypted with
 * a key derived from the stack passphrase (AES-256-GCM), never in plaintext.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { ResourceState } from "../harness/host-engine";
import { mapSecrets, SECRET_SIG, SIG_KEY, type PropertyMap, type WireValue } from "../harness/wire";

interface StateFile {
  version: 1;
  stack: string;
  salt: string;
  resources: ResourceState[];
}

export class StackStateFile {
  constructor(
    readonly path: string,
    private readonly stack: string,
    private readonly passphrase: string,
  ) {}

  load(): Map<string, ResourceState> {
    if (!existsSync(this.path)) return new Map();
    const file = JSON.parse(readFileSync(this.path, "utf8")) as StateFile;
    const key = this.key(file.salt);
    return new Map(file.resources.map((r) => [r.urn, { ...r, inputs: decryptAll(r.inputs, key), outputs: decryptAll(r.outputs, key) }]));
  }

  save(state: ReadonlyMap<string, ResourceState>): void {
    const salt = existsSync(this.path) ? (JSON.parse(readFileSync(this.path, "utf8")) as StateFile).salt : randomBytes(16).toString("hex");
    const key = this.key(salt);
    const resources = [...state.values()].map((r) => ({ ...r, inputs: encryptAll(r.inputs, key), outputs: encryptAll(r.outputs, key) }));
    const file: StateFile = { version: 1, stack: this.stack, salt, resources };
    writeFileSync(this.path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  }

  private key(salt: string): Buffer {
    return scryptSync(this.passphrase, Buffer.from(salt, "hex"), 32);
  }
}

function encryptAll(props: PropertyMap, key: Buffer): PropertyMap {
  return mapSecrets(props, (envelope) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(envelope.value), "utf8"), cipher.final()]);
    return { [SIG_KEY]: SECRET_SIG, ciphertext: `v1:${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${ciphertext.toString("base64")}` };
  });
}

function decryptAll(props: PropertyMap, key: Buffer): PropertyMap {
  return mapSecrets(props, (envelope) => {
    if (!("ciphertext" in envelope)) return envelope;
    const [, iv, tag, data] = String(envelope.ciphertext).split(":");
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv!, "base64"));
    decipher.setAuthTag(Buffer.from(tag!, "base64"));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(data!, "base64")), decipher.final()]).toString("utf8");
    return { [SIG_KEY]: SECRET_SIG, value: JSON.parse(plaintext) as WireValue };
  });
}
