/**
 * Each API operation once: method, path, success status and wire shapes. The transport builds requests from
 * this table and the emulator registers its routes from it, so paths, statuses and schemas cannot drift apart.
 */
import { z } from "zod";
import type { ErrorCode } from "./error-codes";
import {
  AgentResource,
  AgentVersionResource,
  CollectionEnvelope,
  CreateAgentRequest,
  CreateEnvironmentRequest,
  CreateProjectRequest,
  CreateProviderKeyRequest,
  CreateTokenRequest,
  EnvironmentResource,
  EnvironmentVariableResource,
  ItemEnvelope,
  ListQuery,
  ProjectResource,
  ProviderKeyListQuery,
  ProviderKeyResource,
  PutVariableRequest,
  TokenResource,
  UpdateAgentRequest,
  UpdateEnvironmentRequest,
  UpdateProviderKeyRequest,
} from "./schemas";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteSpec {
  readonly method: HttpMethod;
  /** Fastify-style template: `/api/v1/environments/:environmentId`. */
  readonly path: string;
  /** Statuses that mean success; the first is the usual one. */
  readonly success: readonly number[];
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Response body for the success statuses; absent for 204. */
  readonly response?: z.ZodType;
  /**
   * The error code for an invalid body or path field (by top-level field name); fields not listed, and
   * malformed JSON, get TRANSPORT_REQUEST_INVALID.
   */
  readonly fieldCodes?: Readonly<Record<string, ErrorCode>>;
  /** Error codes for a rule broken by one field, chosen by the zod issue code (e.g. too_big). */
  readonly issueCodes?: Readonly<Record<string, Readonly<Record<string, ErrorCode>>>>;
}

const V1 = "/api/v1";
const AGENT_FIELDS_INVALID = "AGENTS_AGENT_METADATA_INVALID" as const;
const PROVIDER_KEY_FIELDS_INVALID = "PROVIDER_KEY_INVALID" as const;

export const routes = {
  listProjects: { method: "GET", path: `${V1}/projects`, success: [200], query: ListQuery, response: CollectionEnvelope(ProjectResource) },
  getProject: { method: "GET", path: `${V1}/projects/:projectRef`, success: [200], response: ItemEnvelope(ProjectResource) },
  createProject: {
    method: "POST",
    path: `${V1}/projects`,
    success: [201],
    body: CreateProjectRequest,
    response: ItemEnvelope(ProjectResource),
    fieldCodes: { slug: "TENANCY_INVALID_SLUG", name: "TENANCY_INVALID_NAME" },
  },

  listEnvironments: {
    method: "GET",
    path: `${V1}/projects/:projectRef/environments`,
    success: [200],
    query: ListQuery,
    response: CollectionEnvelope(EnvironmentResource),
  },
  createEnvironment: {
    method: "POST",
    path: `${V1}/projects/:projectRef/environments`,
    success: [201],
    body: CreateEnvironmentRequest,
    response: ItemEnvelope(EnvironmentResource),
    fieldCodes: { slug: "TENANCY_INVALID_SLUG", name: "TENANCY_INVALID_NAME" },
  },
  getEnvironment: { method: "GET", path: `${V1}/environments/:environmentId`, success: [200], response: ItemEnvelope(EnvironmentResource) },
  updateEnvironment: {
    method: "PATCH",
    path: `${V1}/environments/:environmentId`,
    success: [200],
    body: UpdateEnvironmentRequest,
    response: ItemEnvelope(EnvironmentResource),
    fieldCodes: { name: "TENANCY_INVALID_NAME" },
  },
  deleteEnvironment: { method: "DELETE", path: `${V1}/environments/:environmentId`, success: [204] },

  listVariables: {
    method: "GET",
    path: `${V1}/environments/:environmentId/variables`,
    success: [200],
    response: CollectionEnvelope(EnvironmentVariableResource),
  },
  getVariable: {
    method: "GET",
    path: `${V1}/environments/:environmentId/variables/:key`,
    success: [200],
    response: ItemEnvelope(EnvironmentVariableResource),
    fieldCodes: { key: "ENVIRONMENT_VARIABLE_KEY_INVALID" },
  },
  putVariable: {
    method: "PUT",
    path: `${V1}/environments/:environmentId/variables/:key`,
    success: [201, 200],
    body: PutVariableRequest,
    response: ItemEnvelope(EnvironmentVariableResource),
    fieldCodes: { key: "ENVIRONMENT_VARIABLE_KEY_INVALID" },
    issueCodes: {
      value: {
        invalid_type: "ENVIRONMENT_VARIABLE_VALUE_REQUIRED",
        too_small: "ENVIRONMENT_VARIABLE_VALUE_REQUIRED",
        too_big: "ENVIRONMENT_VARIABLE_VALUE_TOO_LONG",
      },
    },
  },
  deleteVariable: {
    method: "DELETE",
    path: `${V1}/environments/:environmentId/variables/:key`,
    success: [204],
    fieldCodes: { key: "ENVIRONMENT_VARIABLE_KEY_INVALID" },
  },

  listAgents: {
    method: "GET",
    path: `${V1}/environments/:environmentId/agents`,
    success: [200],
    query: ListQuery,
    response: CollectionEnvelope(AgentResource),
  },
  createAgent: {
    method: "POST",
    path: `${V1}/environments/:environmentId/agents`,
    success: [201],
    body: CreateAgentRequest,
    response: ItemEnvelope(AgentResource),
    fieldCodes: Object.fromEntries(Object.keys(CreateAgentRequest.shape).map((field) => [field, AGENT_FIELDS_INVALID])),
  },
  getAgent: { method: "GET", path: `${V1}/environments/:environmentId/agents/:agentId`, success: [200], response: ItemEnvelope(AgentResource) },
  updateAgent: {
    method: "PATCH",
    path: `${V1}/environments/:environmentId/agents/:agentId`,
    success: [200],
    body: UpdateAgentRequest,
    response: ItemEnvelope(AgentResource),
    fieldCodes: Object.fromEntries(
      Object.keys(UpdateAgentRequest.shape)
        .filter((field) => field !== "slug")
        .map((field) => [field, AGENT_FIELDS_INVALID]),
    ),
  },
  deleteAgent: { method: "DELETE", path: `${V1}/environments/:environmentId/agents/:agentId`, success: [204] },
  listAgentVersions: {
    method: "GET",
    path: `${V1}/environments/:environmentId/agents/:agentId/versions`,
    success: [200],
    query: ListQuery,
    response: CollectionEnvelope(AgentVersionResource),
  },

  listProviderKeys: {
    method: "GET",
    path: `${V1}/environments/:environmentId/provider-keys`,
    success: [200],
    query: ProviderKeyListQuery,
    response: CollectionEnvelope(ProviderKeyResource),
  },
  createProviderKey: {
    method: "POST",
    path: `${V1}/environments/:environmentId/provider-keys`,
    success: [201],
    body: CreateProviderKeyRequest,
    response: ItemEnvelope(ProviderKeyResource),
    fieldCodes: Object.fromEntries(Object.keys(CreateProviderKeyRequest.shape).map((field) => [field, PROVIDER_KEY_FIELDS_INVALID])),
  },
  getProviderKey: {
    method: "GET",
    path: `${V1}/environments/:environmentId/provider-keys/:keyId`,
    success: [200],
    response: ItemEnvelope(ProviderKeyResource),
  },
  updateProviderKey: {
    method: "PATCH",
    path: `${V1}/environments/:environmentId/provider-keys/:keyId`,
    success: [200],
    body: UpdateProviderKeyRequest,
    response: ItemEnvelope(ProviderKeyResource),
    fieldCodes: Object.fromEntries(
      Object.keys(UpdateProviderKeyRequest.shape)
        .filter((field) => field !== "provider")
        .map((field) => [field, PROVIDER_KEY_FIELDS_INVALID]),
    ),
  },
  deleteProviderKey: { method: "DELETE", path: `${V1}/environments/:environmentId/provider-keys/:keyId`, success: [204] },

  createToken: { method: "POST", path: `${V1}/tokens`, success: [201], body: CreateTokenRequest, response: ItemEnvelope(TokenResource) },
  revokeToken: { method: "DELETE", path: `${V1}/tokens/:tokenId`, success: [204] },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof routes;

/** The `:name` placeholders of a path template, as a union of names. */
export type ParamName<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamName<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

/** The path parameters of an operation, by name. */
export type ParamsOf<R extends RouteName> = Record<ParamName<(typeof routes)[R]["path"]>, string>;

/** Fills `:param` placeholders, each value percent-encoded. */
export function buildPath(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}
