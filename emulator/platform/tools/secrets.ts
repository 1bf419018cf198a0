/**
 * environments.list_secrets/set_secret/delete_secret: the token's own environment only; SECRET writes only. An
 * archived environment's token is refused with access_denied (tenancy-database auth.ts `authorizeEnvironmentOperator`).
 */
import type { SecretSummary } from "../../../provider/client/platform/tools";
import { VARIABLE_KEY_PATTERN, VARIABLE_VALUE_MAX, type EnvironmentVariable } from "../../../provider/client/schemas";
import type { ToolHandlers } from "./context";

const summary = (variable: EnvironmentVariable): SecretSummary => ({
  name: variable.key,
  version: String(variable.version),
  isSecret: variable.kind === "SECRET",
  hasSecret: variable.hasSecret,
  createdAt: variable.createdAt,
  updatedAt: variable.updatedAt,
});

export const secretTools: ToolHandlers<"environments.list_secrets" | "environments.set_secret" | "environments.delete_secret"> = {
  "environments.list_secrets": async (_args, { store, token }) => {
    if (token.environmentArchived) return { error: "access_denied" };
    const secrets = (await store.variables.list(token.scope.environmentId)).map(summary);
    return { secrets, count: secrets.length };
  },

  "environments.set_secret": async (args, { store, token }) => {
    if (token.environmentArchived) return { error: "access_denied" };
    const name = args.name.trim();
    if (!VARIABLE_KEY_PATTERN.test(name)) return { error: "name_invalid" };
    if (args.value.length === 0) return { error: "value_required" };
    if (args.value.length > VARIABLE_VALUE_MAX) return { error: "value_too_long" };
    const { variable } = await store.variables.put(token.scope.environmentId, name, { value: args.value, secret: true }, token.name);
    return { ok: true, name, version: String(variable.version) };
  },

  "environments.delete_secret": async (args, { store, token }) => {
    if (token.environmentArchived) return { error: "access_denied" };
    const name = args.name.trim();
    if (!VARIABLE_KEY_PATTERN.test(name)) return { error: "name_invalid" };
    return { deleted: await store.variables.delete(token.scope.environmentId, name), name };
  },
};
