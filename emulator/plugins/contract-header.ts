import type { FastifyInstance } from "fastify";
import { CONTRACT_VERSION } from "../../provider/client/schemas";

/**
 * Every response, errors and unknown routes included, names the contract version it speaks: the build stamp core-api
 * puts on every answer (apps/core-api/src/runtime/edge-middleware.ts@8b7a5c32), which is the newest supported line's
 * (NEWEST_SUPPORTED in provider/platos/platform/release.ts, asserted equal in test/conformance/older-releases.test.ts).
 */
export function contractHeaderPlugin(app: FastifyInstance): void {
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header("x-platos-contract-version", CONTRACT_VERSION);
    return payload;
  });
}
