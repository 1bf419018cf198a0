import type { FastifyInstance } from "fastify";
import { ADMIN, type Principal } from "../access";
import { hashToken, sameToken } from "../crypto";
import { PlatosError } from "../errors";
import type { OperatorSession, OperatorSessions } from "../operator-sessions";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the auth hook on every API route before anything else runs. */
    principal: Principal | null;
    /** The operator session the bearer is (the admin token's, or one opened for a test); null for a scoped token. */
    operatorSession: OperatorSession | null;
  }
}

const BEARER = /^Bearer +(\S+)\s*$/i;

/**
 * Bearer authentication: the admin token from configuration, a live operator session (which, lapsed, is refused
 * with SESSION_EXPIRED), or a live scoped token from the store.
 */
export function authPlugin(api: FastifyInstance, options: { adminToken: string; sessions: OperatorSessions }): void {
  api.decorateRequest("principal", null);
  api.decorateRequest("operatorSession", null);
  api.addHook("onRequest", async (request) => {
    const token = BEARER.exec(request.headers.authorization ?? "")?.[1];
    if (token === undefined) throw new PlatosError("UNAUTHENTICATED", "send Authorization: Bearer <token>");
    if (sameToken(token, options.adminToken)) {
      request.principal = ADMIN;
      request.operatorSession = options.sessions.admin;
      return;
    }
    const session = options.sessions.live(token);
    if (session) {
      request.principal = ADMIN;
      request.operatorSession = session;
      return;
    }
    const record = await api.store.tokens.findActive(hashToken(token));
    if (!record) throw new PlatosError("UNAUTHENTICATED", "the token is unknown or revoked");
    request.principal = { kind: "token", ...record };
  });
}
