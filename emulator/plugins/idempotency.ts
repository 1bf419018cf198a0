/**
 * Idempotency-Key on POST/PUT/PATCH/DELETE. The first request with a key runs and its status and body are
 * recorded; the same request again within 24 h gets the record back with `Idempotency-Replayed: true`; a
 * different request with the key gets 409. A request arriving while the first is still running waits for its
 * result. Only server-side failures (5xx) are forgotten, so that a retry runs again. Routes that mint a one-time
 * secret require the key.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { IDEMPOTENCY_KEY_PATTERN } from "../../provider/client/schemas";
import { principalKey } from "../access";
import { PlatosError } from "../errors";

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const POLL_MS = 20;
const IN_FLIGHT_WAIT_MS = 10_000;

interface IdempotentRequest {
  readonly principal: string;
  readonly key: string;
  /** Method, path and body as received (before validation strips anything). */
  readonly fingerprint: string;
  /** Set once this request owns the key and must record its outcome. */
  claimed: boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    idempotency: IdempotentRequest | null;
  }
}

function keyOf(request: FastifyRequest): string | undefined {
  const header = request.headers["idempotency-key"];
  if (header === undefined) return undefined;
  if (typeof header !== "string" || !IDEMPOTENCY_KEY_PATTERN.test(header)) {
    throw new PlatosError("IDEMPOTENCY_KEY_MALFORMED", "Idempotency-Key must be 1-255 characters of A-Za-z0-9_.:-", [
      { field: "Idempotency-Key", code: "malformed", message: "must be 1-255 characters of A-Za-z0-9_.:-" },
    ]);
  }
  return header;
}

/** core-api's words (apps/core-api/src/http/idempotency-errors.ts@21ca7a8b L43-L73): only its token mint requires a key. */
export const idempotencyKeyRequired = (): PlatosError =>
  new PlatosError("IDEMPOTENCY_KEY_REQUIRED", "This operation mints a one-time secret and requires an Idempotency-Key header.", [
    { field: "headers.idempotency-key", code: "missing", message: "Send a unique Idempotency-Key with this request." },
  ]);

export function idempotencyPlugin(api: FastifyInstance): void {
  const records = api.store.idempotency;
  api.decorateRequest("idempotency", null);

  api.addHook("preValidation", async (request) => {
    if (!WRITES.has(request.method) || !request.principal) return;
    const key = keyOf(request);
    if (key === undefined && request.routeOptions.config.idempotencyKey === "required") {
      throw idempotencyKeyRequired();
    }
    if (key === undefined) return;
    const fingerprint = `${request.method}\n${request.url}\n${JSON.stringify(request.body ?? null)}`;
    request.idempotency = { principal: principalKey(request.principal), key, fingerprint, claimed: false };
  });

  api.addHook("preHandler", async (request, reply) => {
    const idempotent = request.idempotency;
    if (!idempotent) return undefined;
    const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
    for (;;) {
      const claim = await records.claim(idempotent.principal, idempotent.key, idempotent.fingerprint);
      if (claim.kind === "claimed") {
        idempotent.claimed = true;
        return undefined;
      }
      if (claim.kind === "mismatch") {
        throw new PlatosError("IDEMPOTENCY_REQUEST_MISMATCH", "this Idempotency-Key was used for a different request in the last 24 h");
      }
      if (claim.kind === "replay") {
        reply.code(claim.status).header("idempotency-replayed", "true");
        if (claim.body.length > 0) reply.type("application/json; charset=utf-8");
        return reply.send(claim.body.length > 0 ? claim.body : undefined);
      }
      if (Date.now() >= deadline) {
        throw new PlatosError("SERVICE_UNAVAILABLE", "a request with this Idempotency-Key is still running; retry later", undefined, 1);
      }
      await sleep(POLL_MS);
    }
  });

  api.addHook("onSend", async (request, reply, payload) => {
    const idempotent = request.idempotency;
    if (!idempotent?.claimed) return payload;
    idempotent.claimed = false;
    if (reply.statusCode >= 500) await records.release(idempotent.principal, idempotent.key);
    else await records.complete(idempotent.principal, idempotent.key, reply.statusCode, typeof payload === "string" ? payload : "");
    return payload;
  });
}
