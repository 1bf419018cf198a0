/**
 * Platos's body cap for `/mcp*` writes (request-body-limits.ts): a finite Content-Length of at most the cap, or
 * 413 `{"error":"payload_too_large","limit":N}`; chunked bodies are refused. It runs before parsing and auth.
 */
import type { FastifyInstance } from "fastify";
import { PLATFORM_BODY_CAP_BYTES } from "../../provider/client/platform/jsonrpc";

const WRITES = new Set(["POST", "PUT", "PATCH"]);

function withinCap(contentLength: string | undefined, limit: number): boolean {
  if (contentLength === undefined || !/^\d+$/.test(contentLength.trim())) return false;
  return Number(contentLength) <= limit;
}

export function bodyCapPlugin(app: FastifyInstance, limit = PLATFORM_BODY_CAP_BYTES): void {
  app.addHook("onRequest", async (request, reply) => {
    if (!WRITES.has(request.method) || !/^\/mcp(\/|\?|$)/.test(request.url)) return undefined;
    if (withinCap(request.headers["content-length"], limit) && request.headers["transfer-encoding"] === undefined) return undefined;
    return reply.code(413).type("application/json; charset=utf-8").send({ error: "payload_too_large", limit });
  });
}
