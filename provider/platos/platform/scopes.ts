/**
 * Which `plt_mcp_` token reaches which environment. The configured token (platos:token) is pinned to
 * one environment: its variables, agents and provider keys, and environments.* across its whole project. Any other environment
 * needs a token of its own, minted through core-api with platos:operatorToken (short-lived, kept for the life of
 * the provider process, never written anywhere); without an operator token that is a ProtocolLimitError naming it.
 *
 * A minted token carries only what the provider calls in that environment, and no more than the call at hand
 * needs: reads get a token that can only list, the first write a second one that can also write. Never the
 * project-wide environments.list/create/delete (a minted `environments.*` could delete any environment of the
 * project), never platos.whoami, never approvals.*.
 */
import { TOOL_NAMES, TOOLS, type MintedAccess, type TokenScope, type ToolName } from "../../client/platform/tools";
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { limitFailure, ProtocolLimitError, type Limitation } from "../limits";
import type { ToolCaller } from "./approval";
import { once } from "./once";

/**
 * What a stack's configured token is given by a platform team: the tools this provider calls, and no approvals.*
 * (it never approves itself).
 */
export const STACK_TOKEN_PERMISSIONS = [
  "environments.*",
  "agents.*",
  "providers.list_keys",
  "providers.add_key",
  "providers.rotate_key",
  "providers.delete_key",
  "platos.whoami",
];

const mintedWith = (access: MintedAccess): ToolName[] => TOOL_NAMES.filter((name) => TOOLS[name].minted === access);
/** The tools the provider calls on an environment other than the configured token's, that only read (tools.ts `minted`). */
export const MINTED_READ_PERMISSIONS: readonly ToolName[] = mintedWith("read");
/** ...and those that write, with the reads a write goes with. */
export const MINTED_WRITE_PERMISSIONS: readonly ToolName[] = [...MINTED_READ_PERMISSIONS, ...mintedWith("write")];

/** Long enough for one provider process (it mints again in the next), far short of Platos's 90-day default. */
export const MINTED_TOKEN_TTL_SECONDS = 3600;

type Access = "read" | "write";
const accessOf = (tool: ToolName): Access => (TOOLS[tool].minted === "read" ? "read" : "write");
const PERMISSIONS_OF: Record<Access, readonly ToolName[]> = { read: MINTED_READ_PERMISSIONS, write: MINTED_WRITE_PERMISSIONS };

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
  /** Mints a token for an environment that may call exactly `permissions`; absent without an operator token. */
  readonly mint: ((environmentId: string, permissions: readonly ToolName[]) => Promise<string>) | undefined;
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

/** The check-time failure for resources of `environment` the configured token does not reach; none with an operator token. */
export type ReachCheck = (environment: string | undefined) => Promise<CheckFailure[]>;

/** `home`: the slug of the environment platos:token is pinned to. */
export function reachCheck(hasOperatorToken: boolean, home: () => Promise<string | undefined>): ReachCheck {
  return async (environment) => {
    if (hasOperatorToken || environment === undefined) return [];
    let pinned: string | undefined;
    try {
      pinned = await home();
    } catch (err) {
      return [{ property: "", reason: `cannot tell which environment platos:token is pinned to: ${err instanceof Error ? err.message : String(err)}` }];
    }
    return pinned === undefined || pinned === environment ? [] : [limitFailure("environment", reachLimit(pinned, environment))];
  };
}

export function tokenScopes({ pinned, callerWith, mint, slugOf }: TokenScopesOptions): TokenScopes {
  const scope = once(async () => (await pinned("platos.whoami", {})).scope);
  const minted = new Map<string, () => Promise<ToolCaller>>();
  const mintedCaller = (environmentId: string, access: Access, mintFor: NonNullable<typeof mint>): Promise<ToolCaller> => {
    const key = `${access} ${environmentId}`;
    let caller = minted.get(key);
    if (!caller) {
      caller = once(async () => callerWith(await mintFor(environmentId, PERMISSIONS_OF[access])));
      minted.set(key, caller);
    }
    return caller();
  };

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
      // A token that can write also reads: once one exists, reads use it rather than minting another.
      const inEnvironment: ToolCaller = async (name, args) => {
        const access = minted.has(`write ${environmentId}`) ? "write" : accessOf(name);
        return (await mintedCaller(environmentId, access, mint))(name, args);
      };
      return inEnvironment;
    },
  };
}
