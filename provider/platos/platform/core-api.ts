/**
 * core-api over an operator session token (platos:operatorToken): the projects list, an environment by its
 * organization, project and environment slugs, variables with their PLAIN values (list and upsert: core-api serves
 * the V1 contract's shapes at those paths), and `plt_mcp_` tokens minted for environments the configured token
 * does not reach (Idempotency-Key required: one per mint, kept across its retries by the transport).
 */
import { createClient } from "../../client";
import { coreApiRoutes, type EnvironmentBySlugs, type MintMcpToken, type MintedMcpToken } from "../../client/platform/core-api";
import { createHttp, routeCaller, type TransportConfig } from "../../client/transport";

export function coreApiClient(config: TransportConfig) {
  const { projects, variables } = createClient(config);
  const core = routeCaller(createHttp(config), coreApiRoutes);
  return {
    projects,
    variables,
    environmentBySlugs: (query: { organizationSlug: string; projectSlug: string; environmentSlug: string }): Promise<EnvironmentBySlugs> =>
      core.call("environmentBySlugs", { query }).then((r) => r.data),
    mintToken: (request: MintMcpToken): Promise<MintedMcpToken> => core.call("mintMcpToken", { body: request }).then((r) => r.data),
  };
}
export type CoreApiClient = ReturnType<typeof coreApiClient>;
