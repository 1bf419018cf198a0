/**
 * What the platform surface cannot honour, said at `check` (preview): an environment named other than its slug (no
 * rename), an environment slug Platos refuses, an agent update that would clear its prompt or drop keys of its tools
 * config (Platos keeps both), a provider key naming an EnvironmentVariable (Platos links only provider credentials), a
 * PLAIN variable (or PLAIN keys of an EnvironmentVariables resource)
 * without an operator token, a provider key's default flag changed after it was added, and variables, agents or
 * provider keys of an environment the configured token does not reach (without an operator token to mint one for it).
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { PLATFORM_ENVIRONMENT_SLUG_PATTERN } from "../../client/platform/tools";
import type { DeclaredEnvironment, ProtocolLimits } from "../api";
import { limitFailure } from "../limits";
import { agentUpdateLimits } from "./agents";
import { RENAME_LIMIT } from "./environments";
import { credentialLimit, DEFAULT_FLAG_LIMIT } from "./provider-keys";
import { reachLimit } from "./scopes";
import { PLAIN_LIMIT } from "./variables";

const SLUG_LIMIT = {
  limitation: `Platos environment slugs are 1 to 31 characters: a lowercase letter or digit, then lowercase letters, digits or dashes (${PLATFORM_ENVIRONMENT_SLUG_PATTERN.source})`,
  wayOut: "choose a slug of that form (at most 31 characters, no capitals, spaces or symbols other than dashes)",
};

/**
 * Whether the declared name (the slug when unset) needs a rename: Platos names a new environment after its slug,
 * keeps whatever name an existing one has (a project's first environment is named at project creation), and renames
 * none. An adopted environment's name is only known at the step, which checks it.
 */
function wouldRename({ slug, name, adopt }: Partial<DeclaredEnvironment>, prior: Partial<DeclaredEnvironment> | undefined): boolean {
  if (slug === undefined) return false;
  const declared = name ?? slug;
  if (prior !== undefined && prior.slug === slug && prior.name !== undefined) return declared !== prior.name;
  return declared !== slug && adopt !== true;
}

/** PLAIN_LIMIT for an EnvironmentVariables resource, whose way out is its `secrets` map. */
const plainSetLimit = (plainKeys: readonly string[]) => ({
  limitation: PLAIN_LIMIT.limitation,
  wayOut: `set platos:operatorToken (an operator session token), or move ${plainKeys.join(", ")} from \`variables\` to \`secrets\``,
});

export interface PlatformLimitsOptions {
  readonly hasOperatorToken: boolean;
  /** The slug of the environment platos:token is pinned to. */
  readonly home: () => Promise<string | undefined>;
}

export function platformLimits({ hasOperatorToken, home }: PlatformLimitsOptions): ProtocolLimits {
  async function reach(environment: string | undefined): Promise<CheckFailure[]> {
    if (hasOperatorToken || environment === undefined) return [];
    let pinned: string | undefined;
    try {
      pinned = await home();
    } catch (err) {
      return [{ property: "", reason: `cannot tell which environment platos:token is pinned to: ${err instanceof Error ? err.message : String(err)}` }];
    }
    return pinned === undefined || pinned === environment ? [] : [limitFailure("environment", reachLimit(pinned, environment))];
  }

  return {
    environment: async (inputs, prior) => [
      ...(inputs.slug !== undefined && !PLATFORM_ENVIRONMENT_SLUG_PATTERN.test(inputs.slug) ? [limitFailure("slug", SLUG_LIMIT)] : []),
      ...(wouldRename(inputs, prior) ? [limitFailure("name", RENAME_LIMIT)] : []),
    ],
    variable: async ({ secret, environment }) => [...(secret === false && !hasOperatorToken ? [limitFailure("secret", PLAIN_LIMIT)] : []), ...(await reach(environment))],
    variableSet: async ({ plainKeys, environment }) => [
      ...(plainKeys !== undefined && plainKeys.length > 0 && !hasOperatorToken ? [limitFailure("variables", plainSetLimit(plainKeys))] : []),
      ...(await reach(environment)),
    ],
    agent: async (inputs, prior) => [
      ...agentUpdateLimits(inputs, prior).map(({ property, limit }) => limitFailure(property, limit)),
      ...(await reach(inputs.environment)),
    ],
    providerKey: async ({ environment, isDefault, provider, variable, linksVariable }, prior) => [
      ...(linksVariable === true ? [limitFailure("variable", credentialLimit(provider ?? "<provider>", variable ?? "<name>"))] : []),
      ...(prior?.isDefault !== undefined && isDefault !== undefined && prior.isDefault !== isDefault ? [limitFailure("isDefault", DEFAULT_FLAG_LIMIT)] : []),
      ...(await reach(environment)),
    ],
  };
}
