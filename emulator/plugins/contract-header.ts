import type { FastifyInstance } from "fastify";
import { CONTRACT_VERSION } from "../../provider/client/schemas";

/** Every response, errors and unknown routes included, names the contract version it speaks. */
export function contractHeaderPlugin(app: FastifyInstance): void {
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header("x-platos-contract-version", CONTRACT_VERSION);
    return payload;
  });
}
