/**
 * How each of Platos's two services answers a path only the other serves, for the emulator's two-port layout
 * (app.ts `buildTwoServices`), so that a client pointed at the wrong one fails here as it fails on a real deployment.
 *
 * - The agent app (MCP gateway, agent REST) has no exception filter (apps/agent/src/app.module.ts@0e112959: only
 *   APP_GUARDs), so an unrouted request gets NestJS's default `NotFoundException` body,
 *   `404 {message: "Cannot GET /api/v1/projects", error: "Not Found", statusCode: 404}`. Its own legacy
 *   `/mcp/platform/tokens` routes (mcp-platform.controller.ts@c0fe48bd) run under the global ScopeGuard, which takes
 *   only `X-Platos-Session-Token` or the four `X-Platos-*-Id` headers and refuses anything else, an operator bearer
 *   included, with `UnauthorizedException` (apps/agent/src/auth/scope.guard.ts@0d40c417, end of `canActivate`).
 * - core-api answers every unrouted request, its own-surface paths and the gateway's `POST /mcp/platform` alike,
 *   from a terminal `@All("{*path}")` controller with its envelope: 404 TRANSPORT_ROUTE_NOT_FOUND, "No route matched
 *   this request.", one field `path`/`unmatched` naming the method, never the path
 *   (apps/core-api/src/http/not-found.controller.ts@0d36da92, transports/rest/transport-errors.ts@08fae831; it is
 *   the last controller, http/http.module.ts@007007f2).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { TOKENS_PATH } from "../provider/client/platform/core-api";
import { PlatosError, sendError, type NotFoundAnswer } from "./errors";

/** NestJS's rendering of an HttpException with a string message (`HttpException.createBody`). */
function nestAnswer(reply: FastifyReply, statusCode: number, error: string, message: string): FastifyReply {
  return reply.code(statusCode).type("application/json; charset=utf-8").send({ message, error, statusCode });
}

/** The agent app's answer for a route it does not serve: Nest's own 404, quoting the method and the URL. */
export const agentAppNotFound: NotFoundAnswer = (request, reply) => nestAnswer(reply, 404, "Not Found", `Cannot ${request.method} ${request.url}`);

/** ScopeGuard's refusal of a request with neither a session token nor the scope headers (scope.guard.ts@0d40c417). */
export const SCOPE_GUARD_MESSAGES = {
  direct:
    "Authentication required. Provide either X-Platos-Session-Token or all four headers: X-Platos-Organization-Id, X-Platos-Project-Id, X-Platos-Environment-Id, X-Platos-User-Id.",
  viaProxy:
    "External requests must use X-Platos-Session-Token (minted from an active entity bearer). Raw scope headers are rejected when the request arrives through the public proxy.",
} as const;

/**
 * The agent app's legacy token routes, as they answer any caller the emulator has: ScopeGuard's 401. (A webapp
 * session or the internal scope headers would pass it; the emulator mints tokens on core-api only.)
 */
export function agentAppTokenRoutes(app: FastifyInstance): void {
  const refuse = async (request: FastifyRequest, reply: FastifyReply) =>
    nestAnswer(reply, 401, "Unauthorized", request.headers["x-forwarded-for"] === undefined ? SCOPE_GUARD_MESSAGES.direct : SCOPE_GUARD_MESSAGES.viaProxy);
  app.post(TOKENS_PATH, refuse);
  app.get(TOKENS_PATH, refuse);
  app.post(`${TOKENS_PATH}/:tokenId/revoke`, refuse);
}

/** core-api's terminal 404: its envelope, naming the method only. */
export const coreApiNotFound: NotFoundAnswer = (request, reply) =>
  sendError(
    reply,
    request,
    new PlatosError("TRANSPORT_ROUTE_NOT_FOUND", "No route matched this request.", [
      { field: "path", code: "unmatched", message: `No ${request.method} route is served at the requested path.` },
    ]),
  );
