/**
 * What deleting an environment would take with it. Platos deletes an environment's variables, provider keys and
 * agents with it, and the Environment resource cannot see other resources' state. It need not: the engine deletes
 * a resource's dependents before it, so whatever is still in the environment when its own delete runs is not
 * declared by this stack (added in the dashboard or by another stack, or there before `adopt`). Such contents stop
 * the delete unless the program says `deleteContents: true`.
 */
import type { PlatosApi } from "../platos";

/** The objects left in an environment, as messages name them; empty when nothing is left. */
export async function contentsLeft(api: PlatosApi, environmentId: string): Promise<string[]> {
  const [variables, keys, agents] = await Promise.all([api.variables.list(environmentId), api.providerKeys.list(environmentId), api.agents.list(environmentId)]);
  const named = (what: string, names: string[]) => (names.length === 0 ? [] : [`${what} ${names.sort().join(", ")}`]);
  return [
    ...named("variables", variables.map((variable) => variable.key)),
    ...named("provider keys", keys.map((key) => `${key.provider} "${key.label}"`)),
    ...named("agents", agents.map((agent) => `"${agent.slug}"`)),
  ];
}

export function unmanagedContentsError(what: string, left: readonly string[]): Error {
  return new Error(
    `deleting ${what} would also delete what this stack does not declare: ${left.join("; ")}. ` +
      "Pulumi deletes the resources that use an environment before the environment, so these were made outside this stack " +
      "(in the dashboard, by another stack, or before it was adopted). Way out: declare them in this stack (with `adopt: true`), " +
      "or remove them in Platos, or set `deleteContents: true` on the Environment to delete them with it, " +
      "or `retain: true` to leave the environment in Platos. A resource of this stack whose `environment` is a plain string " +
      "rather than the Environment's `slug` output may be deleted after it: pass `environment: env.slug`.",
  );
}
