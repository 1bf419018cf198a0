/**
 * Variables on the platform surface. Over MCP a token sets only SECRET variables of its own environment and lists
 * them without values; PLAIN values (read and write) need core-api with the operator token. So: with an operator
 * token, reads and PLAIN writes go through core-api; SECRET writes and every delete (core-api has no variable
 * DELETE) go through the environment's MCP token. Drift is told from `version`, as on V1.
 */
import type { SecretSummary } from "../../client/platform/tools";
import type { PlatosVariable, VariableOperations } from "../api";
import { unlessGone } from "../gone";
import { limitFailure, ProtocolLimitError } from "../limits";
import { toVariable } from "../v1";
import type { CoreApiClient } from "./core-api";
import type { ProjectEnvironments } from "./environments";
import type { ReachCheck, TokenScopes } from "./scopes";

const PLAIN_LIMIT = {
  limitation: "real Platos sets only SECRET variables over MCP; a PLAIN value is read and written through core-api, which takes an operator session",
  wayOut: "set platos:operatorToken (an operator session token), or declare the variable with `secret: true`",
};

/** PLAIN_LIMIT for an EnvironmentVariables resource, whose way out is its `secrets` map. */
const plainSetLimit = (plainKeys: readonly string[]) => ({
  limitation: PLAIN_LIMIT.limitation,
  wayOut: `set platos:operatorToken (an operator session token), or move ${plainKeys.join(", ")} from \`variables\` to \`secrets\``,
});

const fromSummary = (environmentId: string, secret: SecretSummary): PlatosVariable => ({
  environmentId,
  key: secret.name,
  kind: secret.isSecret ? "SECRET" : "PLAIN",
  value: null,
  version: Number(secret.version),
  createdAt: secret.createdAt,
  updatedAt: secret.updatedAt,
});

export function platformVariables(scopes: TokenScopes, project: ProjectEnvironments, core: CoreApiClient | undefined, reach: ReachCheck): VariableOperations {
  return {
    // A PLAIN variable: without an operator token, only the MCP secret tools are there.
    limits: async ({ secret, environment }) => [
      ...(secret === false && core === undefined ? [limitFailure("secret", PLAIN_LIMIT)] : []),
      ...(await reach(environment)),
    ],
    setLimits: async ({ plainKeys, environment }) => [
      ...(plainKeys !== undefined && plainKeys.length > 0 && core === undefined ? [limitFailure("variables", plainSetLimit(plainKeys))] : []),
      ...(await reach(environment)),
    ],
    list: (environmentId) =>
      project.unlessEnvironmentGone(environmentId, async () => {
        if (core) return ((await unlessGone(() => core.variables.list(environmentId))) ?? []).map(toVariable);
        const caller = await scopes.forEnvironment(environmentId);
        return (await caller("environments.list_secrets", {})).secrets.map((secret) => fromSummary(environmentId, secret));
      }, []),
    async put(environmentId, key, request) {
      if (!request.secret) {
        if (!core) throw new ProtocolLimitError(PLAIN_LIMIT);
        return toVariable(await core.variables.put(environmentId, key, { value: request.value, secret: false }));
      }
      const caller = await scopes.forEnvironment(environmentId);
      const written = await caller("environments.set_secret", { name: key, value: request.value });
      return { environmentId, key, kind: "SECRET", value: null, version: Number(written.version), createdAt: null, updatedAt: null };
    },
    delete: (environmentId, key) =>
      project.unlessEnvironmentGone(
        environmentId,
        async () => void (await (await scopes.forEnvironment(environmentId))("environments.delete_secret", { name: key })),
        undefined,
      ),
  };
}
