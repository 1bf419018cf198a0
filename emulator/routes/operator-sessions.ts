/**
 * core-api's `GET /api/v1/identity/session` (who the operator session is, and when it lapses:
 * identity-session.controller.ts@92f696bd, resources.ts operatorSessionResource), and the emulator's own route that
 * opens an operator session lasting `ttlSeconds`, for a test of a lapsing `platos:operatorToken`. Admin token only:
 * here it stands in for a person signing in.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { coreApiRoutes, type CoreRouteSpec } from "../../provider/client/platform/core-api";
import { ErrorEnvelope, ItemEnvelope } from "../../provider/client/schemas";
import { requireAdmin } from "../access";
import { PlatosError } from "../errors";
import type { OperatorSessions } from "../operator-sessions";
import { defineSpecRoute } from "./define";
import { item } from "./envelopes";

const OpenOperatorSessionRequest = z.strictObject({ ttlSeconds: z.number().int().positive() });
const OpenedOperatorSession = z.object({ token: z.string(), sessionId: z.string(), expiresAt: z.string() });

const operatorSessionEmulatorRoutes = {
  openOperatorSession: {
    method: "POST",
    path: "/emulator/operator-sessions",
    success: [201],
    body: OpenOperatorSessionRequest,
    response: ItemEnvelope(OpenedOperatorSession),
  },
} as const satisfies Record<string, CoreRouteSpec>;

export function operatorSessionRoutes(api: FastifyInstance, sessions: OperatorSessions): void {
  defineSpecRoute(api, operatorSessionEmulatorRoutes.openOperatorSession, async ({ body, principal }) => {
    requireAdmin(principal);
    const { token, session } = sessions.open(body.ttlSeconds);
    return { status: 201 as const, body: item({ token, sessionId: session.sessionId, expiresAt: session.expiresAt.toISOString() }) };
  });
}

/** The fields real core-api sends; the emulator's operator is always the admin, never impersonating. */
export function identitySessionRoute(api: FastifyInstance): void {
  const spec = coreApiRoutes.operatorSession;
  api.route({
    method: spec.method,
    url: spec.path,
    schema: { response: { 200: spec.response, "4xx": ErrorEnvelope, "5xx": ErrorEnvelope } },
    handler: async (request) => {
      const session = request.operatorSession;
      if (!session) throw new PlatosError("UNAUTHENTICATED", "Invalid operator session");
      return item({
        sessionId: session.sessionId,
        actorUserId: "emulator-admin",
        effectiveUserId: "emulator-admin",
        email: "admin@emulator.invalid",
        expiresAt: session.expiresAt.toISOString(),
        mfaVerifiedAt: null,
        impersonating: null,
      });
    },
  });
}
