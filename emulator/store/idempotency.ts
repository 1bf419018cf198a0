/**
 * Idempotency records: one per (principal, key), kept 24 h. The first request claims the key with an insert;
 * the primary key decides which of two concurrent requests runs, so both can never execute. Requests are
 * compared by an HMAC of method, path and body, and recorded bodies are sealed (they may carry PLAIN values).
 */
import type { Keyring } from "../crypto";
import type { Database } from "./database";
import { sealedOf, type Clock } from "./rows";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim this old whose request never finished (the server died mid-request) may be taken over. */
export const ABANDONED_CLAIM_MS = 60 * 1000;
const SWEEP_EVERY_MS = 10 * 60 * 1000;

export type ClaimResult =
  | { readonly kind: "claimed" }
  | { readonly kind: "replay"; readonly status: number; readonly body: string }
  | { readonly kind: "mismatch" }
  | { readonly kind: "in-flight" };

interface RecordRow {
  requestMac: string;
  status: number | null;
  ciphertext: Uint8Array | null;
  iv: Uint8Array | null;
  tag: Uint8Array | null;
}

const boundTo = (principal: string, key: string): string => `idempotency/${principal}/${key}`;

export function idempotencyStore(db: Database, keyring: Keyring, clock: Clock) {
  let lastSweep = 0;
  const sweep = async (now: Date): Promise<void> => {
    if (now.getTime() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = now.getTime();
    await db.query("DELETE FROM idempotency_records WHERE created_at < $1", [new Date(now.getTime() - IDEMPOTENCY_TTL_MS)]);
  };

  return {
    /** `request` identifies the request (method, path, body); only its HMAC is stored. */
    async claim(principal: string, key: string, request: string): Promise<ClaimResult> {
      const now = clock();
      await sweep(now);
      const requestMac = keyring.mac(request);
      const claimed = await db.query<{ key: string }>(
        `INSERT INTO idempotency_records (principal, key, request_mac, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (principal, key) DO UPDATE SET
           request_mac = EXCLUDED.request_mac, status = NULL, body_ciphertext = NULL, body_iv = NULL, body_tag = NULL, created_at = EXCLUDED.created_at
         WHERE idempotency_records.created_at < $5 OR (idempotency_records.status IS NULL AND idempotency_records.created_at < $6)
         RETURNING key`,
        [principal, key, requestMac, now, new Date(now.getTime() - IDEMPOTENCY_TTL_MS), new Date(now.getTime() - ABANDONED_CLAIM_MS)],
      );
      if (claimed.length > 0) return { kind: "claimed" };
      const [existing] = await db.query<RecordRow>(
        `SELECT request_mac AS "requestMac", status, body_ciphertext AS ciphertext, body_iv AS iv, body_tag AS tag
         FROM idempotency_records WHERE principal = $1 AND key = $2`,
        [principal, key],
      );
      // Released between the two statements (its request failed): the caller waits and claims again.
      if (!existing) return { kind: "in-flight" };
      if (existing.requestMac !== requestMac) return { kind: "mismatch" };
      const { status, ciphertext, iv, tag } = existing;
      if (status === null || !ciphertext || !iv || !tag) return { kind: "in-flight" };
      return { kind: "replay", status, body: keyring.open(sealedOf({ ciphertext, iv, tag }), boundTo(principal, key)) };
    },

    async complete(principal: string, key: string, status: number, body: string): Promise<void> {
      const sealed = keyring.seal(body, boundTo(principal, key));
      await db.query(
        `UPDATE idempotency_records SET status = $3, body_ciphertext = $4, body_iv = $5, body_tag = $6
         WHERE principal = $1 AND key = $2 AND status IS NULL`,
        [principal, key, status, sealed.ciphertext, sealed.iv, sealed.tag],
      );
    },

    /** Forgets a claim whose request failed on the server's side, so a retry runs it again. */
    async release(principal: string, key: string): Promise<void> {
      await db.query("DELETE FROM idempotency_records WHERE principal = $1 AND key = $2 AND status IS NULL", [principal, key]);
    },
  };
}
