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
import { createHttp, routeCaller, type TransportConfig } from "../../client/transport";

const inEnvironment = (environmentId: string) => (variable: CoreEnvironmentVariable): EnvironmentVariable => ({ ...variable, environmentId });

export function coreApiClient(config: TransportConfig) {
  const core = routeCaller(createHttp(config), coreApiRoutes);
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
