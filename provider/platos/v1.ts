/** The adapter for the uniform V1 REST contract (platos-api-contract.md): every operation has its own route. */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { createClient, type PlatosClient } from "../client";
import type { EnvironmentVariable } from "../client/schemas";
import { MCP_TOKEN_PREFIX } from "../client/platform/core-api";
import type { ErrorCode } from "../client/error-codes";
import { PROVIDER_KEY_CREDENTIAL_UNAVAILABLE, PROVIDER_KEY_PINNED, type PlatosApi, type PlatosVariable, type ProtocolDescriptor } from "./api";
import { ignoringGone, unlessGone } from "./gone";

/** A variable in the V1 contract's shape (core-api answers the same shape) as the seam's. */
export const toVariable = ({ environmentId, key, kind, value, version, createdAt, updatedAt }: EnvironmentVariable): PlatosVariable => ({
  environmentId,
  key,
  kind,
  value,
  version,
  createdAt,
  updatedAt,
});

/** The port's error codes are the V1 contract's own: this adapter passes the API's errors on as they are. */
const _portCodesAreV1Codes = [PROVIDER_KEY_PINNED, PROVIDER_KEY_CREDENTIAL_UNAVAILABLE] as const satisfies readonly ErrorCode[];

/** The V1 contract honours everything the resources declare. */
const honoursAll = async (): Promise<CheckFailure[]> => [];

export function v1Api(client: PlatosClient): PlatosApi {
  return {
    protocol: "v1",
    environments: {
      limits: honoursAll,
      findBySlug: (project, slug) => client.environments.findBySlug(project, slug),
      get: (environmentId) => unlessGone(() => client.environments.get(environmentId)),
      create: (project, request) => client.environments.create(project, request),
      rename: (environmentId, name) => client.environments.update(environmentId, { name }),
      delete: (environmentId) => ignoringGone(() => client.environments.delete(environmentId)),
    },
    variables: {
      limits: honoursAll,
      setLimits: honoursAll,
      list: async (environmentId) => ((await unlessGone(() => client.variables.list(environmentId))) ?? []).map(toVariable),
      put: async (environmentId, key, request) => toVariable(await client.variables.put(environmentId, key, request)),
      delete: (environmentId, key) => ignoringGone(() => client.variables.delete(environmentId, key)),
    },
    agents: {
      limits: honoursAll,
      held: (declared) => declared,
      list: async (environmentId) => (await unlessGone(() => client.agents.list(environmentId))) ?? [],
      findBySlug: (environmentId, slug) => client.agents.findBySlug(environmentId, slug),
      get: (environmentId, agentId) => unlessGone(() => client.agents.get(environmentId, agentId)),
      create: (environmentId, request) => client.agents.create(environmentId, request),
      update: (environmentId, agentId, changes) => client.agents.update(environmentId, agentId, changes),
      delete: (environmentId, agentId) => ignoringGone(() => client.agents.delete(environmentId, agentId)),
    },
    providerKeys: {
      limits: honoursAll,
      credentialsAreVariables: true,
      // This contract's credential is the SECRET variable of the key's environment named envVarName.
      credentialWayOut: () =>
        "declare the variable with an EnvironmentVariable (`secret: true`) in the key's own environment and pass that resource as `variable`, so that it is written first",
      list: async (environmentId) => (await unlessGone(() => client.providerKeys.list(environmentId))) ?? [],
      get: (environmentId, keyId) => unlessGone(() => client.providerKeys.get(environmentId, keyId)),
      create: (environmentId, request) => client.providerKeys.create(environmentId, request),
      update: (environmentId, keyId, changes) => client.providerKeys.update(environmentId, keyId, changes),
      delete: (environmentId, keyId) => ignoringGone(() => client.providerKeys.delete(environmentId, keyId)),
    },
  };
}

/** V1 contract tokens: `plt_` + 43 base64url characters (docs/api.md). A Platform MCP token starts with plt_mcp_. */
export const V1_TOKEN_PREFIX = "plt_";

export const v1Protocol: ProtocolDescriptor = {
  describe: "the uniform V1 REST contract",
  create: (settings, { approvalPollMs: _poll, announce: _announce, ...transport }) =>
    v1Api(createClient({ ...transport, apiUrl: settings.apiUrl, token: settings.token })),
  tokenProblem: (token) =>
    token.startsWith(MCP_TOKEN_PREFIX)
      ? `is a Platform MCP token (${MCP_TOKEN_PREFIX}…), which only real Platos's platform surface accepts: unset platos:protocol (the default is "platform"), or give a V1 contract token (${V1_TOKEN_PREFIX}…)`
      : undefined,
  // The V1 token reads core-api's routes where it reads everything else.
  slugSource: ({ apiUrl, token }) => ({ apiUrl, token, settingNames: { apiUrl: "platos:apiUrl", token: "platos:token" } }),
  tuningFromEnvironment: () => ({}),
};
