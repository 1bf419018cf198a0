/**
 * The floor on the platform surface, doing what real Platos allows there with the fewest requests: environments
 * through the pinned token (environments.create/list/delete); SECRET variables, agents and agent deletes through
 * a token minted for the environment (once per environment: a client that lives on keeps it);
 * PLAIN variables and the variable listing through core-api's variable routes. Platos refuses to delete an
 * environment that still binds agents, so a destroy deletes them first.
 */
import { coreApiRoutes } from "../../../provider/client/platform/core-api";
import { JSONRPC_VERSION, PLATFORM_PATH } from "../../../provider/client/platform/jsonrpc";
import { MINTED_TOKEN_TTL_SECONDS, MINTED_WRITE_PERMISSIONS } from "../../../provider/platos/platform/scopes";
import { inParallel } from "../../in-parallel";
import type { FloorHttp } from "./http";
import type { FloorCalls, FloorCallsFactory, FloorTokens } from "./protocol";
import { v1Variables } from "./v1";

interface RpcReply {
  readonly result?: { readonly content: readonly { readonly text: string }[] };
  readonly error?: { readonly code: number; readonly message: string };
}

async function callTool<T>(http: FloorHttp, token: string, name: string, args: Record<string, unknown>): Promise<T> {
  const body = { jsonrpc: JSONRPC_VERSION, id: 1, method: "tools/call", params: { name, arguments: args } };
  const reply = await http.send<RpcReply>({ method: "POST", path: PLATFORM_PATH, token, body });
  if (reply.error) throw new Error(`floor: ${name} failed: ${reply.error.code} ${reply.error.message}`);
  const value = JSON.parse(reply.result?.content[0]?.text ?? "null") as T & { error?: string };
  if (value && typeof value === "object" && "error" in value) throw new Error(`floor: ${name} answered ${String(value.error)}`);
  return value;
}

/** Tokens minted for environments are kept for the whole run (they last 12 h): one mint per environment. */
export const platformFloorCalls = (): FloorCallsFactory => {
  const minted = new Map<string, Promise<string>>();
  return (http, tokens) => platformCalls(http, tokens, minted);
};

function platformCalls(http: FloorHttp, tokens: FloorTokens, minted: Map<string, Promise<string>>): FloorCalls {
  const { pinned } = tokens;
  if (pinned === undefined) throw new Error("the platform floor needs a token pinned to an environment");
  const variables = v1Variables(http, tokens.api);
  const tokenFor = (environmentId: string): Promise<string> => {
    let token = minted.get(environmentId);
    if (!token) {
      const body = { environmentId, name: "bench floor", permissions: [...MINTED_WRITE_PERMISSIONS], tier: "scope", ttlSeconds: MINTED_TOKEN_TTL_SECONDS };
      const mint = { method: "POST", path: coreApiRoutes.mintMcpToken.path, token: tokens.admin, body, idempotent: true, tokenRequest: true } as const;
      token = http.send<{ data: { token: string } }>(mint).then((r) => r.data.token);
      minted.set(environmentId, token);
    }
    return token;
  };
  return {
    createEnvironment: async (slug) => (await callTool<{ id: string }>(http, pinned, "environments.create", { slug })).id,
    async putVariable(environmentId, key, value, secret) {
      if (!secret) return variables.put(environmentId, key, value, false);
      await callTool(http, await tokenFor(environmentId), "environments.set_secret", { name: key, value });
    },
    createAgent: async (environmentId, slug, name, model) =>
      (await callTool<{ id: string }>(http, await tokenFor(environmentId), "agents.create", { slug, name, model })).id,
    listEnvironments: () => callTool(http, pinned, "environments.list", {}),
    listVariables: variables.list,
    listAgents: async (environmentId) => void (await callTool(http, await tokenFor(environmentId), "agents.list", { limit: 500 })),
    async destroyEnvironment(environmentId, agentIds) {
      const token = await tokenFor(environmentId);
      await inParallel(agentIds, agentIds.length, (agentId) => callTool(http, token, "agents.delete", { agentId }));
      await callTool(http, pinned, "environments.delete", { environmentId });
    },
  };
}
