/**
 * The adapter for real Platos: the platform MCP gateway (`plt_mcp_` tokens, one environment each) for
 * environments, secrets and agents, plus core-api with the optional operator token for PLAIN variables and for
 * minting tokens for other environments. See README "Protocols" for what each operation calls.
 */
import { createHttp, TRANSPORT_DEFAULTS, type TransportConfig } from "../../client/transport";
import { MCP_TOKEN_PREFIX } from "../../client/platform/core-api";
import { CORE_API_URL_SETTING, coreApiUrlOf, type ApiTuning, type PlatosApi, type PlatosSettings, type ProtocolDescriptor } from "../api";
import { V1_TOKEN_PREFIX } from "../v1";
import { platformAgents } from "./agents";
import { announceOnStderr, gatedCaller, type ToolCaller } from "./approval";
import { coreApiClient } from "./core-api";
import { expiryWatch, MCP_TOKEN, OPERATOR_SESSION, watchedCaller } from "./credential-expiry";
import { platformEnvironments, projectEnvironments } from "./environments";
import { heldSlugs } from "./held-slugs";
import { gatewaySession } from "./gateway";
import { once } from "./once";
import { platformProviderKeys } from "./provider-keys";
import { releaseCheck } from "./release";
import { MINTED_TOKEN_TTL_SECONDS, reachCheck, tokenScopes } from "./scopes";
import { platformVariables } from "./variables";

const DEFAULT_APPROVAL_POLL_MS = 2_000;

/** How an error names a token minted for another environment: its fix is the operator token that minted it. */
const MINTED_TOKEN_SETTING = "the token minted for that environment with platos:operatorToken";

function platformApi(settings: PlatosSettings, tuning: ApiTuning = {}): PlatosApi {
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
    settings.operatorToken === undefined
      ? undefined
      : coreApiClient(connection(settings.operatorToken, "platos:operatorToken", coreApiUrlOf(settings), CORE_API_URL_SETTING), expiryWatch(OPERATOR_SESSION));
  const mint =
    core &&
    (async (environmentId: string, permissions: readonly string[]) =>
      (
        await core.mintToken({
          environmentId,
          name: "pulumi-platos provider",
          permissions: [...permissions],
          tier: "scope",
          ttlSeconds: MINTED_TOKEN_TTL_SECONDS,
        })
      ).token);

  const slugOf = async (environmentId: string) => (await project.list()).find((environment) => environment.id === environmentId)?.slug;
  // platos.whoami, asked once per process anyway (scopes.ts), also says when platos:token lapses.
  const pinned = watchedCaller(callerWith(settings.token, "platos:token"), expiryWatch(MCP_TOKEN));
  const scopes = tokenScopes({ pinned, callerWith, mint, slugOf });
  const project = projectEnvironments(scopes, core);
  const home = once(async () => slugOf((await scopes.scope()).environmentId));
  const reach = reachCheck(core !== undefined, home);

  return {
    protocol: "platform",
    environments: platformEnvironments(scopes, project),
    variables: platformVariables(scopes, project, core, reach),
    agents: platformAgents(scopes, project, heldSlugs(settings.apiUrl, settings.token), reach),
    // A key's preview asks the release only where it already talks to the gateway (reach: no operator token).
    providerKeys: platformProviderKeys(scopes, project, reach, { check: releaseCheck(scopes.pinned), atPreview: core === undefined }),
  };
}

export const platformProtocol: ProtocolDescriptor = {
  describe: "real Platos: MCP gateway and core-api",
  create: platformApi,
  tokenProblem(token) {
    if (token.startsWith(MCP_TOKEN_PREFIX)) return undefined;
    if (token.startsWith(V1_TOKEN_PREFIX)) {
      return `is a V1 contract token (${V1_TOKEN_PREFIX}…), and real Platos (platos:protocol "platform", the default) takes a Platform MCP token (${MCP_TOKEN_PREFIX}…); for a server that serves the V1 contract set platos:protocol to "v1"`;
    }
    return `is not a Platos token: real Platos takes a Platform MCP token (${MCP_TOKEN_PREFIX}…), made for one environment in the Platos dashboard`;
  },
  // core-api lists projects and organizations to an operator session only: a plt_mcp_ token reaches neither route.
  slugSource: (settings) => ({
    apiUrl: coreApiUrlOf(settings),
    token: settings.operatorToken,
    settingNames: { apiUrl: CORE_API_URL_SETTING, token: "platos:operatorToken" },
  }),
  tuningFromEnvironment: (readNumber) => ({ approvalPollMs: readNumber("PLATOS_APPROVAL_POLL_MS", DEFAULT_APPROVAL_POLL_MS) }),
};
