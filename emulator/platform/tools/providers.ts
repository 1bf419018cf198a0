/**
 * providers.list_keys/add_key/rotate_key/delete_key: the provider keys of the token's environment, in the store the
 * V1 routes use. A key's credential is the SECRET variable its `envVarName` names (docs/api.md, "Provider keys"),
 * so a missing or PLAIN variable is `credential_unavailable`. The store's refusals become Platos's `{error}` codes.
 */
import type { ErrorCode } from "../../../provider/client/error-codes";
import { PROVIDER_ID_PATTERN } from "../../../provider/client/schemas";
import { PlatosError } from "../../errors";
import type { ToolHandlers } from "./context";

/** The store's refusal as Platos's code in `codes`; anything else is thrown on (and answered -32603). */
function refusalOf<C extends string>(err: unknown, codes: Partial<Record<ErrorCode, C>>): { error: C; message: string } {
  const code = err instanceof PlatosError ? codes[err.code] : undefined;
  if (code === undefined) throw err;
  return { error: code, message: (err as PlatosError).message };
}

export const providerTools: ToolHandlers<"providers.list_keys" | "providers.add_key" | "providers.rotate_key" | "providers.delete_key"> = {
  "providers.list_keys": async ({ provider }, { store, token }) => ({ keys: await store.providerKeys.list(token.scope.environmentId, { provider }) }),

  "providers.add_key": async ({ provider, label, envVarName, isDefault }, { store, token }) => {
    if (!PROVIDER_ID_PATTERN.test(provider)) return { error: "invalid_input", message: "provider must be a provider id as models name it, e.g. anthropic" };
    try {
      const key = await store.providerKeys.create(token.scope.environmentId, { provider, label, envVarName, isDefault: isDefault ?? false }, token.name);
      return { keyId: key.id, provider: key.provider, label: key.label, envVarName: key.envVarName, isDefault: key.isDefault };
    } catch (err) {
      return refusalOf(err, { PROVIDER_KEY_CREDENTIAL_UNAVAILABLE: "credential_unavailable", PROVIDER_KEY_ALREADY_EXISTS: "already_exists" });
    }
  },

  "providers.rotate_key": async ({ keyId, envVarName, label }, { store, token }) => {
    try {
      const rotated = await store.providerKeys.update(token.scope.environmentId, keyId, { envVarName, label });
      if (!rotated) return { error: "not_found", keyId };
      const { key, previousEnvVarName } = rotated;
      return { rotated: true, keyId, provider: key.provider, label: key.label, previousEnvVarName, envVarName: key.envVarName };
    } catch (err) {
      return { ...refusalOf(err, { PROVIDER_KEY_CREDENTIAL_UNAVAILABLE: "credential_unavailable", PROVIDER_KEY_ALREADY_EXISTS: "rotate_failed" }), keyId };
    }
  },

  "providers.delete_key": async ({ keyId }, { store, token }) => {
    const deletion = await store.providerKeys.delete(token.scope.environmentId, keyId);
    if (!deletion) return { error: "not_found", keyId };
    if ("pinnedBy" in deletion) return { error: "pinned_agents", keyId, agentIds: deletion.pinnedBy.map((agent) => agent.id) };
    const { deleted } = deletion;
    return { deleted: true, keyId, provider: deleted.provider, label: deleted.label, envVarName: deleted.envVarName };
  },
};
