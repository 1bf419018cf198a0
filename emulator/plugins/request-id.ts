import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";

/**
 * core-api's request id: an inbound `x-request-id` is adopted only when it matches this, otherwise a fresh UUID is
 * minted (apps/core-api/src/runtime/correlation.ts@431979ef L33-L51); either way it is echoed in the same header
 * on every answer (runtime/edge-middleware.ts@0d36da92 L61-L73) and is error.traceRef.
 */
const ADOPTABLE_REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const REQUEST_ID_HEADER = "x-request-id";

/** The id core-api gives a request: the caller's when adoptable, else a fresh UUID. */
export function coreApiRequestId(request: IncomingMessage): string {
  const inbound = request.headers[REQUEST_ID_HEADER];
  return typeof inbound === "string" && ADOPTABLE_REQUEST_ID.test(inbound) ? inbound : randomUUID();
}

/** Echoes the request id on every answer of the app (or of the requests `applies` picks), errors included. */
export function requestIdEchoPlugin(app: FastifyInstance, applies: (url: string) => boolean = () => true): void {
  app.addHook("onRequest", async (request, reply) => {
    if (applies(request.url)) reply.header(REQUEST_ID_HEADER, request.id);
  });
}
