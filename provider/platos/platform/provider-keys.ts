/**
 * Provider keys on the platform surface: providers.* act on the keys of the token's environment, through that
 * environment's token. add_key and rotate_key answer only part of a key, so a write reads the key back with
 * list_keys. Platos sets a key's default flag only in add_key (no tool changes it later), and its refusals name
 * neither the credential nor the agents: those two are rewritten here under the codes V1 uses, so a resource reads
 * them the same on both protocols. A key's credential is a provider credential named by `envVarName`, which only
 * the dashboard's Add key (BYOK) flow makes (`POST /api/v1/agent/providers/keys/byok` takes a dashboard-signed
 * session, which no provider can hold: providers.controller.ts@2235b98b, auth/scope.guard.ts); a variable written
 * by environments.set_secret never is one (secrets.ts@1e98abda `findProviderCredential` filters on the provider).
 * Older Platos lines answer in other shapes (see release.ts): tools/providers.ts@1c0472cc lists keys without their
 * environment and calls a missing credential `credential_not_found`; both are read here as the current line's.
 */
import { fromRefusal, hasCode, isNotFound } from "../../client/errors";
import type { AgentRecord } from "../../client/platform/agent-record";
import type { ProviderKeyRecord, ToolName } from "../../client/platform/tools";
import { PROVIDER_KEY_CREDENTIAL_UNAVAILABLE, PROVIDER_KEY_PINNED, type PlatosProviderKey, type ProviderKeyOperations } from "../api";
import { limitFailure, ProtocolLimitError } from "../limits";
import type { ToolCaller } from "./approval";
import type { ProjectEnvironments } from "./environments";
import { PRINCIPALLESS, releaseCheck, unsupportedRelease, type ReleaseCheck } from "./release";
import type { ReachCheck, TokenScopes } from "./scopes";

const DEFAULT_FLAG_LIMIT = {
  limitation: "real Platos sets a provider key's default flag only when the key is added (providers.add_key); no tool changes it afterwards",
  wayOut:
    "leave `isDefault` as the key has it in Platos; to make another key the default, declare that key with `isDefault: true` under a new label (adding it clears the provider's other defaults)",
};

/** `listedIn`: the environment whose token listed the key, for a line that does not say (tools/providers.ts@1c0472cc). */
const toProviderKey = (record: ProviderKeyRecord, listedIn: string): PlatosProviderKey => ({
  id: record.id,
  environmentId: record.environmentId ?? listedIn,
  provider: record.provider,
  label: record.label,
  envVarName: record.envVarName,
  isDefault: record.isDefault,
  createdBy: record.createdBy,
  lastUsedAt: record.lastUsedAt,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
});

const keysOf = async (caller: ToolCaller, environmentId: string): Promise<PlatosProviderKey[]> =>
  (await caller("providers.list_keys", {})).keys.map((record) => toProviderKey(record, environmentId));

const gone = (tool: ToolName, keyId: string) =>
  fromRefusal(`tools/call ${tool}`, "no such key in list_keys", {
    code: "PROVIDER_KEY_NOT_FOUND",
    title: "not_found",
    body: `no provider key ${keyId} in this environment`,
  });

async function keyOf(caller: ToolCaller, environmentId: string, keyId: string, tool: ToolName): Promise<PlatosProviderKey> {
  const key = (await keysOf(caller, environmentId)).find((candidate) => candidate.id === keyId);
  if (!key) throw gone(tool, keyId);
  return key;
}

/** Where a provider key's credential comes from on real Platos, and what to do when there is none. */
const credentialLimit = (provider: string, envVarName: string) => ({
  limitation: `real Platos links a provider key to a provider credential for ${provider} named ${envVarName}, which only the dashboard's Add key flow makes (its route takes a dashboard session, which the provider cannot hold); an environment variable is never one`,
  wayOut: `add the ${provider} key in the Platos dashboard (Providers, Add key) under the name ${envVarName}, then declare the key with \`variable: "${envVarName}"\` (with \`adopt: true\` to take over the key the dashboard made)`,
});

/** Platos's words for "no provider credential by that name": the current line's, and tools/providers.ts@1c0472cc's. */
const NO_CREDENTIAL = ["credential_unavailable", "credential_not_found"] as const;

/** Runs a write that names `envVarName`, with Platos's bare `credential_unavailable` rewritten to say what is missing. */
async function namingTheCredential<T>(tool: ToolName, provider: string, envVarName: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const refused = NO_CREDENTIAL.find((code) => hasCode(err, code));
    if (!refused) throw err;
    throw fromRefusal(`tools/call ${tool}`, `domain error ${refused}`, {
      code: PROVIDER_KEY_CREDENTIAL_UNAVAILABLE,
      title: "invalid_input",
      body: `Platos has no provider credential for ${provider} named ${envVarName} in this environment: ${credentialLimit(provider, envVarName).limitation}`,
    });
  }
}

/** Platos's AgentRecord names a key in `providerKeyId` or in a model route. */
const namesKey = (agent: AgentRecord, keyId: string): boolean =>
  agent.providerKeyId === keyId || (agent.modelRoutes ?? []).some((route) => (route as { providerKeyId?: unknown } | null)?.providerKeyId === keyId);

/** Which agents pin the key, as far as the current agent records tell (Platos also counts older versions). */
async function pinnersOf(caller: ToolCaller, keyId: string): Promise<string> {
  try {
    const slugs = (await caller("agents.list", {})).agents.filter((agent) => namesKey(agent, keyId)).map((agent) => `"${agent.slug}"`);
    if (slugs.length > 0) return `agents ${slugs.join(", ")}`;
  } catch {
    // A token without agents.list still gets the refusal, only without the names.
  }
  return "an agent version (Platos did not say which)";
}

/** Throws the release error when this Platos cannot manage provider keys (release.ts). */
async function requireSupportedRelease(release: ReleaseCheck): Promise<void> {
  const finding = await release.finding();
  if (!finding.supported) throw new Error(unsupportedRelease(finding));
}

/**
 * How provider keys check the release: `check` asks once per process; `atPreview` whether a key's preview asks it,
 * which it should only where that preview already talks to the gateway (without an operator token: the reach check's
 * platos.whoami). Elsewhere the unsupported line is told, at no cost, by the first providers.list_keys answer.
 */
export interface ProviderKeyRelease {
  readonly check: ReleaseCheck;
  readonly atPreview: boolean;
}

export function platformProviderKeys(
  scopes: TokenScopes,
  project: ProjectEnvironments,
  reach: ReachCheck,
  release: ProviderKeyRelease = { check: releaseCheck(scopes.pinned), atPreview: true },
): ProviderKeyOperations {
  const callerFor = (environmentId: string) => scopes.forEnvironment(environmentId);
  const list = async (environmentId: string): Promise<PlatosProviderKey[]> => {
    try {
      return await project.unlessEnvironmentGone(environmentId, async () => keysOf(await callerFor(environmentId), environmentId), []);
    } catch (err) {
      // The environment is there (not archived) and list_keys still answered -32603: how the line without an
      // operator principal answers (release.ts).
      if (hasCode(err, "RPC_INTERNAL_ERROR")) throw new Error(unsupportedRelease(PRINCIPALLESS));
      throw err;
    }
  };
  const releaseFailures = async () => {
    if (!release.atPreview) return [];
    const finding = await release.check.finding();
    return finding.supported ? [] : [{ property: "", reason: unsupportedRelease(finding) }];
  };

  return {
    limits: async ({ environment, isDefault, provider, variable, linksVariable }, prior) => [
      // Platos links only provider credentials, which the dashboard makes: never an EnvironmentVariable.
      ...(linksVariable === true ? [limitFailure("variable", credentialLimit(provider ?? "<provider>", variable ?? "<name>"))] : []),
      ...(prior?.isDefault !== undefined && isDefault !== undefined && prior.isDefault !== isDefault ? [limitFailure("isDefault", DEFAULT_FLAG_LIMIT)] : []),
      ...(await reach(environment)),
      ...(await releaseFailures()),
    ],
    credentialsAreVariables: false,
    credentialWayOut: (provider, envVarName) => credentialLimit(provider, envVarName).wayOut,
    list,
    get: async (environmentId, keyId) => (await list(environmentId)).find((key) => key.id === keyId),

    async create(environmentId, { provider, label, envVarName, isDefault }) {
      const caller = await callerFor(environmentId);
      const args = { provider, label, envVarName, ...(isDefault === undefined ? {} : { isDefault }) };
      const added = await namingTheCredential("providers.add_key", provider, envVarName, () => caller("providers.add_key", args));
      return keyOf(caller, environmentId, added.keyId, "providers.add_key");
    },

    async update(environmentId, keyId, changes) {
      const caller = await callerFor(environmentId);
      const current = await keyOf(caller, environmentId, keyId, "providers.rotate_key");
      if (changes.isDefault !== undefined && changes.isDefault !== current.isDefault) throw new ProtocolLimitError(DEFAULT_FLAG_LIMIT);
      const envVarName = changes.envVarName ?? current.envVarName;
      const label = changes.label ?? current.label;
      if (envVarName === current.envVarName && label === current.label) return current;
      await namingTheCredential("providers.rotate_key", current.provider, envVarName, () => caller("providers.rotate_key", { keyId, envVarName, label }));
      return keyOf(caller, environmentId, keyId, "providers.rotate_key");
    },

    delete: (environmentId, keyId) =>
      project.unlessEnvironmentGone(
        environmentId,
        async () => {
          const caller = await callerFor(environmentId);
          try {
            await caller("providers.delete_key", { keyId });
          } catch (err) {
            // The line without an operator principal answers not_found to every delete: not "gone" there.
            if (isNotFound(err)) return requireSupportedRelease(release.check);
            if (!hasCode(err, "pinned_agents")) throw err;
            throw fromRefusal("tools/call providers.delete_key", "domain error pinned_agents", {
              code: PROVIDER_KEY_PINNED,
              title: "conflict",
              body: `the provider key is pinned by ${await pinnersOf(caller, keyId)}`,
            });
          }
        },
        undefined,
      ),
  };
}
