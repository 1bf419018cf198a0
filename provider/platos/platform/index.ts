/**
 * The adapter for real Platos: the platform MCP gateway (`plt_mcp_` tokens, one environment each) for
 * environments, secrets and agents, plus core-api with the optional operator token for PLAIN variables and for
 * minting tokens for other environments. See README "Protocols" for what each operation calls.
 */
import { createHttp, TRANSPORT_DEFAULTS, type TransportConfig } from "../../client/transport";
import { CORE_API_URL_SETTING, coreApiUrlOf, type PlatosApi, type PlatosSettings } from "../api";
import { platformAgents } from "./agents";
import { announceOnStderr, gatedCaller, type ToolCaller } from "./approval";
import { coreApiClient } from "./core-api";
import { platformEnvironments, projectEnvironments } from "./environments";
import { heldSlugs } from "./held-slugs";
import { gatewaySession } from "./gateway";
import { platformLimits } from "./limits";
import { once } from "./once";
import { platformProviderKeys } from "./provider-keys";
import { MINTED_TOKEN_TTL_SECONDS, tokenScopes } from "./scopes";
import { platformVariables } from "./variables";

export const DEFAULT_APPROVAL_POLL_MS = 2_000;

/** How an error names a token minted for another environment: its fix is the operator token that minted it. */
const MINTED_TOKEN_SETTING = "the token minted for that environment with platos:operatorToken";

export interface PlatformTuning extends Omit<TransportConfig, "apiUrl" | "token"> {
  /** How often a call waiting for an operator's approval is resent. */
  readonly approvalPollMs?: number;
  /** Where the one line announcing an approval goes; stderr by default. */
  readonly announce?: (line: string) => void;
}

export function platformApi(settings: PlatosSettings, tuning: PlatformTuning = {}): PlatosApi {
  const { approvalPollMs, announce, ...transport } = tuning;
  const connection = (token: string, tokenSetting: string, apiUrl = settings.apiUrl, urlSetting = "platos:apiUrl"): TransportConfig => ({
    ...transport,
    apiUrl,
    token,
    settingNames: { apiUrl: urlSetting, token: tokenSetting },
  });
  const approvals = {
    pollMs: approvalPollMs ?? DEFAULT_APPROVAL_POLL_MS,
    deadlineMs: transport.operationTimeoutMs ?? TRANSPORT_DEFAULTS.operationTimeoutMs,
    announce: announce ?? announceOnStderr,
  };
  const callerWith = (token: string, tokenSetting = MINTED_TOKEN_SETTING): ToolCaller =>
    gatedCaller(gatewaySession(createHttp(connection(token, tokenSetting)), settings.apiUrl), approvals);
  const core =
    settings.operatorToken === undefined ? undefined : coreApiClient(connection(settings.operatorToken, "platos:operatorToken", coreApiUrlOf(settings), CORE_API_URL_SETTING));
  const mint =
    core &&
    (async (environmentId: string, permissions: readonly string[]) =>
      (await core.mintToken({ environmentId, name: "pulumi-platos provider", permissions: [...permissions], tier: "scope", ttlSeconds: MINTED_TOKEN_TTL_SECONDS })).token);

  const slugOf = async (environmentId: string) => (await project.list()).find((environment) => environment.id === environmentId)?.slug;
  const scopes = tokenScopes({ pinned: callerWith(settings.token, "platos:token"), callerWith, mint, slugOf });
  const project = projectEnvironments(scopes, core);
  const home = once(async () => slugOf((await scopes.scope()).environmentId));

  return {
    protocol: "platform",
    limits: platformLimits({ hasOperatorToken: core !== undefined, home }),
    environments: platformEnvironments(scopes, project),
    variables: platformVariables(scopes, project, core),
    agents: platformAgents(scopes, project, heldSlugs(settings.apiUrl, settings.token)),
    providerKeys: platformProviderKeys(scopes, project),
  };
}
