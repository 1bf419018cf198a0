/**
 * Which `plt_mcp_` token reaches which environment (decision 7). The configured token (platos:token) is pinned to
 * one environment: its variables, agents and provider keys, and environments.* across its whole project. Any other environment
 * needs a token of its own, minted through core-api with platos:operatorToken (short-lived, kept for the life of
 * the provider process, never written anywhere); without an operator token that is a ProtocolLimitError naming it.
 */
import type { TokenScope } from "../../client/platform/tools";
import { ProtocolLimitError, type Limitation } from "../limits";
import type { ToolCaller } from "./approval";
import { once } from "./once";

/** What a minted token may call: the tools this provider uses, and no approvals.* (it never approves itself). */
export const MINTED_TOKEN_PERMISSIONS = [
  "environments.*",
  "agents.*",
  "providers.list_keys",
  "providers.add_key",
  "providers.rotate_key",
  "providers.delete_key",
  "platos.whoami",
];
export const MINTED_TOKEN_TTL_SECONDS = 12 * 3600;

export interface TokenScopes {
  /** The configured token's caller: environments.* of its project, variables and agents of its environment. */
  readonly pinned: ToolCaller;
  /** The configured token's scope (one whoami per process). */
  scope(): Promise<TokenScope>;
  /** A caller whose token reaches this environment's variables, agents and provider keys. */
  forEnvironment(environmentId: string): Promise<ToolCaller>;
}

export interface TokenScopesOptions {
  readonly pinned: ToolCaller;
  readonly callerWith: (token: string) => ToolCaller;
  /** Mints a token for an environment; absent without an operator token. */
  readonly mint: ((environmentId: string) => Promise<string>) | undefined;
  /** For messages: the slug of an environment of the project. */
  readonly slugOf: (environmentId: string) => Promise<string | undefined>;
}

/** Why the configured token cannot reach `target` (environment slugs, or ids where the slug is unknown). */
export function reachLimit(home: string, target: string): Limitation {
  return {
    limitation: `platos:token is pinned to environment "${home}", and a Platform MCP token reaches only its own environment's variables and agents, not those of "${target}"`,
    wayOut: `set platos:operatorToken (the provider then mints a short-lived token for "${target}"), or run this stack with a plt_mcp_ token pinned to "${target}"`,
  };
}

export function tokenScopes({ pinned, callerWith, mint, slugOf }: TokenScopesOptions): TokenScopes {
  const scope = once(async () => (await pinned("platos.whoami", {})).scope);
  const minted = new Map<string, () => Promise<ToolCaller>>();

  return {
    pinned,
    scope,
    async forEnvironment(environmentId) {
      const own = await scope();
      if (environmentId === own.environmentId) return pinned;
      if (!mint) {
        const [target, home] = await Promise.all([slugOf(environmentId), slugOf(own.environmentId)]);
        throw new ProtocolLimitError(reachLimit(home ?? own.environmentId, target ?? environmentId));
      }
      let caller = minted.get(environmentId);
      if (!caller) {
        caller = once(async () => callerWith(await mint(environmentId)));
        minted.set(environmentId, caller);
      }
      return caller();
    },
  };
}
