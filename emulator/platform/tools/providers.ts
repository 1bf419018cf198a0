/**
 * providers.list_keys/add_key/rotate_key/delete_key: the provider keys of the token's environment, in the store the
 * V1 routes use. As on real Platos (tools/providers.ts@0d40c417, secrets.ts@1e98abda), a key's credential is a
 * provider credential of its `envVarName` and provider, which only the dashboard's Add key (BYOK) flow makes
 * (here: the emulator's dashboard route); an environment variable written by set_secret never is one. The store's
 * refusals are Platos's bare `{error}` results, each tool with its own codes (rotate_key adds the `keyId`). With an
 * archived environment's token, list_keys throws (-32603) and the writes answer their `*_failed` code, as
 * ProviderKeyService's scope check makes them.
 */
import { isRefusal, type CredentialUnavailable, type LabelTaken } from "../../store/refusals";
import type { ToolHandlers } from "./context";

type KeyWriteRefusal = (LabelTaken | CredentialUnavailable)["refused"];

const ADD_KEY_REFUSALS = { credential_unavailable: "credential_unavailable", label_taken: "already_exists" } as const satisfies Record<KeyWriteRefusal, string>;
const ROTATE_KEY_REFUSALS = { credential_unavailable: "credential_unavailable", label_taken: "rotate_failed" } as const satisfies Record<
  KeyWriteRefusal,
  string
>;

/** tools/providers.ts: the fields are trimmed and must not be empty; nothing else about them is checked. */
const blank = (...values: readonly string[]) => values.some((value) => value.trim().length === 0);

export const providerTools: ToolHandlers<"providers.list_keys" | "providers.add_key" | "providers.rotate_key" | "providers.delete_key"> = {
  "providers.list_keys": async ({ provider }, { store, token }) => {
    if (token.environmentArchived) throw new Error("environment is archived");
    return { keys: await store.providerKeys.list(token.scope.environmentId, { provider }) };
  },

  "providers.add_key": async ({ provider, label, envVarName, isDefault }, { store, token }) => {
    if (token.environmentArchived) return { error: "add_key_failed" };
    if (blank(provider, label, envVarName)) return { error: "invalid_input" };
    const key = await store.providerKeys.create(
      token.scope.environmentId,
      { provider: provider.trim(), label: label.trim(), envVarName: envVarName.trim(), isDefault: isDefault ?? false },
      token.name,
      "providerCredential",
    );
    if (isRefusal(key)) return { error: ADD_KEY_REFUSALS[key.refused] };
    return { keyId: key.id, provider: key.provider, label: key.label, envVarName: key.envVarName, isDefault: key.isDefault };
  },

  "providers.rotate_key": async ({ keyId, envVarName, label }, { store, token }) => {
    if (token.environmentArchived) return { error: "rotate_failed", keyId };
    const rotated = await store.providerKeys.update(token.scope.environmentId, keyId, { envVarName, label }, "providerCredential");
    if (!rotated) return { error: "not_found", keyId };
    if (isRefusal(rotated)) return { error: ROTATE_KEY_REFUSALS[rotated.refused], keyId };
    const { key, previousEnvVarName } = rotated;
    return { rotated: true, keyId, provider: key.provider, label: key.label, previousEnvVarName, envVarName: key.envVarName };
  },

  "providers.delete_key": async ({ keyId }, { store, token }) => {
    if (token.environmentArchived) return { error: "delete_failed" };
    const deleted = await store.providerKeys.delete(token.scope.environmentId, keyId);
    if (!deleted) return { error: "not_found" };
    if (isRefusal(deleted)) return { error: "pinned_agents" };
    return { deleted: true, keyId, provider: deleted.provider, label: deleted.label, envVarName: deleted.envVarName };
  },
};
