/**
 * core-api over an operator session token (platos:operatorToken), at platos:coreApiUrl: the projects and
 * organizations lists, an environment by its organization, project and environment slugs, variables with their
 * PLAIN values (list and upsert), and `plt_mcp_` tokens minted for environments the configured token does not reach
 * (Idempotency-Key required: one per mint, kept across its retries by the transport). Collections come whole, and
 * core-api refuses paging parameters on them, so none are sent.
 */
import {
  coreApiRoutes,
  type CoreEnvironmentVariable,
  type CoreProject,
  type EnvironmentBySlugs,
  type MintMcpToken,
  type MintedMcpToken,
  type Organization,
} from "../../client/platform/core-api";
import type { EnvironmentVariable, PutVariable } from "../../client/schemas";
import { routeCaller } from "../../client/route-caller";
import { createHttp, type TransportConfig } from "../../client/transport";
import { CORE_API_URL_SETTING } from "../api";
import type { ExpiryWatch } from "./credential-expiry";
import { once } from "./once";

const inEnvironment =
  (environmentId: string) =>
  (variable: CoreEnvironmentVariable): EnvironmentVariable => ({ ...variable, environmentId });

/** The environment variable behind platos:coreApiUrl (runtime/settings.ts SETTINGS.coreApiUrl; a test holds them equal). */
export const CORE_API_URL_ENV = "PLATOS_CORE_API_URL";

/**
 * What core-api is, for the errors of a call that reached something else. Real Platos deploys core-api apart from the
 * agent app (apps/webapp/app/services/coreApi.server.ts@4e08c46a: "PLATOS_AGENT_API_URL is the legacy agent at
 * agent:3100, PLATOS_CORE_API_URL is the V1 composition root"), and each answers the other's paths in its own way, never with core-api's envelope:
 * - the agent app has no exception filter (apps/agent/src/app.module.ts@0e112959), so a core-api path it does not
 *   serve gets NestJS's default `404 {statusCode, message: "Cannot GET /api/v1/projects", error: "Not Found"}`;
 * - its own `POST /mcp/platform/tokens` (mcp-platform.controller.ts@c0fe48bd) sits behind the global ScopeGuard,
 *   which refuses an operator bearer with NestJS's `401 {statusCode, message: "Authentication required. …",
 *   error: "Unauthorized"}` (apps/agent/src/auth/scope.guard.ts@0d40c417, end of canActivate);
 * - core-api refuses every path it does not route with its own envelope, 404 TRANSPORT_ROUTE_NOT_FOUND
 *   (apps/core-api/src/http/not-found.controller.ts@0d36da92, transports/rest/transport-errors.ts@08fae831), so
 *   an answer without that envelope did not come from core-api.
 */
const CORE_API = "core-api";

/**
 * `session`: when given, the operator session's lapse is learnt from `GET /api/v1/identity/session`, asked once,
 * alongside the client's first write (a run that only reads, such as a refresh or a preview, asks core-api nothing
 * more than it did; a run that writes sends one GET among its writes), and a refusal of the session says whether it
 * lapsed.
 */
export function coreApiClient(config: TransportConfig, session?: ExpiryWatch) {
  // A core-api client's URL is core-api's wherever it came from: its errors name that setting unless told otherwise.
  const settingNames = { apiUrl: CORE_API_URL_SETTING, apiUrlEnv: CORE_API_URL_ENV, ...config.settingNames, service: CORE_API };
  const routes = routeCaller(createHttp({ ...config, settingNames }), coreApiRoutes);
  // Its failure is the write's to tell (the same refusal, or a fault the write meets too): it only goes unlearnt.
  const learnSession = once(async () => {
    const answer = await routes.call("operatorSession").catch(() => undefined);
    if (answer) session?.learnt(answer.data.expiresAt);
  });
  const core: typeof routes =
    session === undefined
      ? routes
      : {
          call: (async (name, options) => {
            const explained = routes.call(name, options).catch((err: unknown) => Promise.reject(session.explain(err)));
            if (coreApiRoutes[name].method === "GET") return explained;
            const [, answer] = await Promise.all([learnSession(), explained]);
            return answer;
          }) as typeof routes.call,
        };
  return {
    projects: { list: (): Promise<CoreProject[]> => core.call("listCoreProjects", { query: {} }).then((r) => r.data) },
    organizations: { list: (): Promise<Organization[]> => core.call("listOrganizations", { query: {} }).then((r) => r.data) },
    variables: {
      list: (environmentId: string): Promise<EnvironmentVariable[]> =>
        core.call("listCoreVariables", { params: { environmentId }, query: {} }).then((r) => r.data.map(inEnvironment(environmentId))),
      put: (environmentId: string, key: string, body: PutVariable): Promise<EnvironmentVariable> =>
        core.call("putCoreVariable", { params: { environmentId, key }, body }).then((r) => inEnvironment(environmentId)(r.data)),
    },
    environmentBySlugs: (query: { organizationSlug: string; projectSlug: string; environmentSlug: string }): Promise<EnvironmentBySlugs> =>
      core.call("environmentBySlugs", { query }).then((r) => r.data),
    mintToken: (request: MintMcpToken): Promise<MintedMcpToken> => core.call("mintMcpToken", { body: request }).then((r) => r.data),
  };
}
export type CoreApiClient = ReturnType<typeof coreApiClient>;
