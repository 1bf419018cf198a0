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
 * core-api's operator bearer: `Bearer`, case-sensitive, one space (anything else is no token), and one message for
 * a missing, malformed or unknown token (apps/core-api/src/transports/rest/operator.ts@541a4c79 L96-L102,
 * packages/contexts/identity-access/domain/errors.ts@09f0f6e3 L31-L43).
 */
const CORE_API_BEARER = /^Bearer (.+)$/u;
const CORE_API_UNAUTHENTICATED = "Invalid operator session";

export interface AuthOptions {
  readonly adminToken: string;
  readonly sessions: OperatorSessions;
  /** Authenticate as core-api does (strict scheme, uniform message); the V1 contract's lenient rule otherwise. */
  readonly coreApi?: boolean;
}

/**
 * Bearer authentication: the admin token from configuration, a live operator session (which, lapsed, is refused
 * with SESSION_EXPIRED), or a live scoped token from the store.
 */
export function authPlugin(api: FastifyInstance, options: AuthOptions): void {
  api.decorateRequest("principal", null);
  api.decorateRequest("operatorSession", null);
  api.addHook("onRequest", async (request) => {
    const token = (options.coreApi ? CORE_API_BEARER : BEARER).exec(request.headers.authorization ?? "")?.[1];
    if (token === undefined) throw new PlatosError("UNAUTHENTICATED", options.coreApi ? CORE_API_UNAUTHENTICATED : "send Authorization: Bearer <token>");
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
    if (!record) throw new PlatosError("UNAUTHENTICATED", options.coreApi ? CORE_API_UNAUTHENTICATED : "the token is unknown or revoked");
    request.principal = { kind: "token", ...record };
  });
}
