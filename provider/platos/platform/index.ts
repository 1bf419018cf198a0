/**
 * The adapter for real Platos: the platform MCP gateway (`plt_mcp_` tokens, one environment each) for
 * environments, secrets and agents, plus core-api with the optional operator token for PLAIN variables and for
 * minting tokens for other environments. See README "Protocols" for what each operation calls.
 */
import { createHttp, TRANSPORT_DEFAULTS, type TransportConfig } from "../../client/transport";
import { coreApiUrlOf, type PlatosApi, type PlatosSettings } from "../api";
import { platformAgents } from "./agents";
import { announceOnStderr, gatedCaller, type ToolCaller } from "./approval";
import { coreApiClient } from "./core-api";
import { platformEnvironments, projectEnvironments } from "./environments";
import { gatewaySession } from "./gateway";
import { platformLimits } from "./limits";
import { once } from "./once";
import { platformProviderKeys } from "./provider-keys";
import { MINTED_TOKEN_TTL_SECONDS, tokenScopes } from "./scopes";
import { platformVariables } from "./variables";

export const DEFAULT_APPROVAL_POLL_MS = 2_000;

export interface PlatformTuning extends Omit<TransportConfig, "apiUrl" | "token"> {
  /** How often a call waiting for an operator's approval is resent. */
  readonly approvalPollMs?: number;
  /** Where the one line announcing an approval goes; stderr by default. */
  readonly announce?: (line: string) => void;
}

export function platformApi(settings: PlatosSettings, tuning: PlatformTuning = {}): PlatosApi {
  const { approvalPollMs, announce, ...transport } = tuning;
  const connection = (token: string, apiUrl = settings.apiUrl): TransportConfig => ({ ...transport, apiUrl, token });
  const approvals = {
    pollMs: approvalPollMs ?? DEFAULT_APPROVAL_POLL_MS,
    deadlineMs: transport.operationTimeoutMs ?? TRANSPORT_DEFAULTS.operationTimeoutMs,
    announce: announce ?? announceOnStderr,
  };
  const callerWith = (token: string): ToolCaller => gatedCaller(gatewaySession(createHttp(connection(token)), settings.apiUrl), approvals);
  const core = settings.operatorToken === undefined ? undefined : coreApiClient(connection(settings.operatorToken, coreApiUrlOf(settings)));
  const mint =
    core &&
    (async (environmentId: string, permissions: readonly string[]) =>
      (await core.mintToken({ environmentId, name: "pulumi-platos provider", permissions: [...permissions], tier: "scope", ttlSeconds: MINTED_TOKEN_TTL_SECONDS })).token);

  const slugOf = async (environmentId: string) => (await project.list()).find((environment) => environment.id === environmentId)?.slug;
  const scopes = tokenScopes({ pinned: callerWith(settings.token), callerWith, mint, slugOf });
  const project = projectEnvironments(scopes, core);
  const home = once(async () => slugOf((await scopes.scope()).environmentId));

  return {
    protocol: "platform",
    limits: platformLimits({ hasOperatorToken: core !== undefined, home }),
    environments: platformEnvironments(scopes, project),
    variables: platformVariables(scopes, project, core),
    agents: platformAgents(scopes, project),
    providerKeys: platformProviderKeys(scopes, project),
  };
}
