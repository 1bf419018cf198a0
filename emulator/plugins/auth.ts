import type { FastifyInstance } from "fastify";
import { ADMIN, type Principal } from "../access";
import { hashToken, sameToken } from "../crypto";
import { PlatosError } from "../errors";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the auth hook on every API route before anything else runs. */
    principal: Principal | null;
  }
}

const BEARER = /^Bearer +(\S+)\s*$/i;

/** Bearer authentication: the admin token from configuration, or a live scoped token from the store. */
export function authPlugin(api: FastifyInstance, options: { adminToken: string }): void {
  api.decorateRequest("principal", null);
  api.addHook("onRequest", async (request) => {
    const token = BEARER.exec(request.headers.authorization ?? "")?.[1];
    if (token === undefined) throw new PlatosError("UNAUTHENTICATED", "send Authorization: Bearer <token>");
    if (sameToken(token, options.adminToken)) {
      request.principal = ADMIN;
      return;
    }
    const record = await api.store.tokens.findActive(hashToken(token));
    if (!record) throw new PlatosError("UNAUTHENTICATED", "the token is unknown or revoked");
    request.principal = { kind: "token", ...record };
  });
}
