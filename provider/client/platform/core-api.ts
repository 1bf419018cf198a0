/**
 * core-api's routes as real Platos serves them (`apps/core-api`), in the V1 route table's style: projects,
 * organizations and an environment's variables as core-api answers them (whole collections, no paging parameters,
 * variables without `environmentId`), the environment lookup by slugs, core-api's body of `POST /api/v1/projects`,
 * and the version-neutral `plt_mcp_` token lifecycle under `/mcp/platform/tokens`, which takes an operator session.
 * The provider calls these at `platos:coreApiUrl`; the emulator serves them there (docs/api.md).
 */
import { z } from "zod";
import type { RouteSpec } from "../routes";
import { PLATFORM_PATH } from "./jsonrpc";
import {
  EnvironmentResource,
  EnvironmentVariableResource,
  Id,
  ItemEnvelope,
  ListQuery,
  Name,
  PageBlock,
  ProjectResource,
  PutVariableRequest,
  Slug,
  Timestamp,
} from "../schemas";

export interface CoreRouteSpec extends RouteSpec {
  /** `required`: a write without `Idempotency-Key` is refused with 400 IDEMPOTENCY_KEY_REQUIRED. */
  readonly idempotencyKey?: "required";
}

export const MCP_TOKEN_PREFIX = "plt_mcp_";
export const MCP_TOKEN_TIERS = ["scope", "admin"] as const;
export const McpTokenTier = z.enum(MCP_TOKEN_TIERS);
export type McpTokenTier = z.infer<typeof McpTokenTier>;
export const MCP_TOKEN_DEFAULT_TTL_SECONDS = 90 * 24 * 3600;
export const MCP_TOKEN_MAX_TTL_SECONDS = 365 * 24 * 3600;
export const MCP_TOKEN_LABEL_MAX = 80;

/** `metadata` reads; `secret:mutate` writes variables and mints tokens. */
export const ENVIRONMENT_ACCESS = ["metadata", "secret:mutate"] as const;
export type EnvironmentAccess = (typeof ENVIRONMENT_ACCESS)[number];

// ---- whole collections -------------------------------------------------------------------------------------

/**
 * The page block of a collection core-api answers whole (`wholeCollection`, identity-rest.test.ts@c98b5309):
 * `limit` is the row count, so 0 for an empty list and beyond any page size for a long one.
 */
export const WholeCollectionPage = z.looseObject({
  cursor: z.string().nullable().optional(),
  nextCursor: z.string().nullable(),
  limit: z.number().int().min(0),
  hasMore: z.boolean().optional(),
  total: z.number().int().min(0).optional(),
});
export type WholeCollectionPage = z.infer<typeof WholeCollectionPage>;
export const WholeCollectionEnvelope = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), page: WholeCollectionPage });

/** core-api refuses paging parameters on a whole collection (`UNPAGED_QUERY_PIPE`): 400 naming `query.limit`. */
export const UnpagedQuery = z.strictObject({});

/** An item envelope as core-api sends it: what `meta` holds is core-api's business. */
export const CoreItemEnvelope = <T extends z.ZodType>(item: T) => z.object({ data: item, meta: z.looseObject({}).optional() });

// ---- projects and organizations ----------------------------------------------------------------------------

/** A project as core-api lists it: the provider reads its id, slug and organization. */
export const CoreProject = z.looseObject({
  id: Id,
  organizationId: Id,
  slug: z.string(),
  name: z.string(),
  /** How the operator reaches the project (projects.controller.ts ProjectResource): `organization-admin` for an owner. */
  through: z.string().optional(),
});
export type CoreProject = z.infer<typeof CoreProject>;

/** The operator's membership of an organization (organizations.controller.ts OrganizationResource). */
export const OrganizationMembership = z.looseObject({ id: Id, role: z.string(), deactivatedAt: Timestamp.nullable() });

export const OrganizationResource = z.looseObject({
  id: Id,
  slug: z.string(),
  name: z.string(),
  archivedAt: Timestamp.nullable().optional(),
  createdAt: Timestamp,
  membership: OrganizationMembership.optional(),
});
export type Organization = z.infer<typeof OrganizationResource>;

// ---- variables -----------------------------------------------------------------------------------------------

/**
 * A variable as core-api answers it (environment-variables.controller.ts@9746e3ea): the V1 resource without
 * `environmentId`, which can only be the path's.
 */
export const CoreEnvironmentVariable = EnvironmentVariableResource.omit({ environmentId: true });
export type CoreEnvironmentVariable = z.infer<typeof CoreEnvironmentVariable>;

// ---- environments by slugs ---------------------------------------------------------------------------------

export const EnvironmentBySlugsQuery = z.object({
  organizationSlug: z.string().min(1),
  projectSlug: z.string().min(1),
  environmentSlug: z.string().min(1),
  access: z
    .string()
    .refine((value): value is EnvironmentAccess => (ENVIRONMENT_ACCESS as readonly string[]).includes(value), {
      error: `must be one of ${ENVIRONMENT_ACCESS.join(", ")}`,
      params: { code: "unsupported", values: ENVIRONMENT_ACCESS },
    })
    .optional(),
});

const EnvironmentSummary = z.object({ id: Id, slug: z.string(), name: z.string() });

export const EnvironmentBySlugs = z.object({
  organization: z.object({ id: Id, slug: z.string(), name: z.string() }),
  project: z.object({ id: Id, slug: z.string(), name: z.string() }),
  environment: EnvironmentSummary,
  /** Every live environment of the project, oldest first. */
  environments: z.array(EnvironmentSummary),
  access: z.enum(ENVIRONMENT_ACCESS),
  organizationRole: z.string().nullable(),
  projectRole: z.string().nullable(),
});
export type EnvironmentBySlugs = z.infer<typeof EnvironmentBySlugs>;

// ---- projects (core-api body) ------------------------------------------------------------------------------

export const CoreCreateProjectRequest = z.strictObject({
  organizationId: Id,
  name: Name,
  slug: Slug,
  environmentName: Name,
  environmentSlug: Slug,
});
export type CoreCreateProject = z.infer<typeof CoreCreateProjectRequest>;

export const CoreProjectCreated = z.object({
  project: ProjectResource.omit({ through: true }),
  environment: EnvironmentResource.pick({ id: true, slug: true, name: true, createdAt: true }),
  membership: z.object({ id: Id, role: z.string() }),
});
export type CoreProjectCreated = z.infer<typeof CoreProjectCreated>;

// ---- plt_mcp_ tokens ---------------------------------------------------------------------------------------

const Permission = z.string().refine((value) => value.trim().length > 0, { error: "must not be blank" });

export const MintMcpTokenRequest = z.strictObject({
  environmentId: Id,
  name: z
    .string()
    .trim()
    .min(1, { error: "must not be blank" })
    .max(MCP_TOKEN_LABEL_MAX, { error: `must be at most ${MCP_TOKEN_LABEL_MAX} characters` }),
  permissions: z.array(Permission).min(1, { error: "must list at least one tool pattern" }),
  tier: McpTokenTier.optional(),
  ttlSeconds: z
    .number()
    .int()
    .positive()
    .max(MCP_TOKEN_MAX_TTL_SECONDS, { error: `must be at most ${MCP_TOKEN_MAX_TTL_SECONDS} (365 days)` })
    .nullable()
    .optional(),
});
export type MintMcpToken = z.input<typeof MintMcpTokenRequest>;

export const MintedMcpToken = z.object({
  tokenId: Id,
  token: z.string().startsWith(MCP_TOKEN_PREFIX),
  label: z.string(),
  permissions: z.array(z.string()),
  tier: McpTokenTier,
  expiresAt: Timestamp,
  createdAt: Timestamp,
});
export type MintedMcpToken = z.infer<typeof MintedMcpToken>;

export const McpTokenState = z.enum(["active", "revoked", "expired"]);

export const McpTokenResource = z.object({
  tokenId: Id,
  label: z.string(),
  permissions: z.array(z.string()),
  principalId: z.string(),
  tier: McpTokenTier,
  state: McpTokenState,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  revokedBy: z.string().nullable(),
});
export type McpTokenResource = z.infer<typeof McpTokenResource>;

export const ListMcpTokensQuery = ListQuery.omit({ slug: true }).extend({ environmentId: Id });

export const RevokeMcpTokenRequest = z.strictObject({ environmentId: Id });

export const RevokedMcpToken = z.object({
  tokenId: Id,
  label: z.string(),
  revokedAt: Timestamp,
  newlyRevoked: z.boolean(),
  previousState: McpTokenState,
  revokedBy: z.string().nullable(),
});

/** core-api's collection page also counts the whole collection. */
export const CountedPageBlock = PageBlock.extend({ total: z.number().int().min(0) });
export const CountedCollectionEnvelope = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), page: CountedPageBlock });

// ---- the operator session ---------------------------------------------------------------------------------

/**
 * `GET /api/v1/identity/session`: the operator session the bearer is (transports/rest/identity-session.controller.ts
 * @92f696bd, resources.ts@6d3d834d operatorSessionResource). The provider reads `expiresAt` only; `email` is never
 * shown anywhere.
 */
export const OperatorSession = z.looseObject({ sessionId: z.string(), expiresAt: Timestamp });
export type OperatorSession = z.infer<typeof OperatorSession>;
export const OPERATOR_SESSION_PATH = "/api/v1/identity/session";

const V1 = "/api/v1";
/** Where `plt_mcp_` tokens are minted (POST) and listed. */
export const TOKENS_PATH = `${PLATFORM_PATH}/tokens`;
const MINT_FIELDS_INVALID = "CREDENTIAL_MATERIAL_INVALID" as const;

export const coreApiRoutes = {
  listCoreProjects: { method: "GET", path: `${V1}/projects`, success: [200], query: UnpagedQuery, response: WholeCollectionEnvelope(CoreProject) },
  listOrganizations: {
    method: "GET",
    path: `${V1}/organizations`,
    success: [200],
    query: UnpagedQuery,
    response: WholeCollectionEnvelope(OrganizationResource),
  },
  listCoreVariables: {
    method: "GET",
    path: `${V1}/environments/:environmentId/variables`,
    success: [200],
    query: UnpagedQuery,
    response: WholeCollectionEnvelope(CoreEnvironmentVariable),
  },
  putCoreVariable: {
    method: "PUT",
    path: `${V1}/environments/:environmentId/variables/:key`,
    // `@HttpCode(HttpStatus.OK)`: core-api answers 200 whether it created or updated. 201 is the V1 contract's
    // answer for a create at the same path, where one origin serves both (this repo's emulator at its root).
    success: [200, 201],
    // setEnvironmentVariableValidator reads value and secret and ignores any other field (the V1 contract refuses one).
    body: PutVariableRequest.loose(),
    response: CoreItemEnvelope(CoreEnvironmentVariable),
  },
  environmentBySlugs: {
    method: "GET",
    path: `${V1}/environments/by-slugs`,
    success: [200],
    query: EnvironmentBySlugsQuery,
    response: ItemEnvelope(EnvironmentBySlugs),
  },
  createCoreProject: {
    method: "POST",
    path: `${V1}/projects`,
    success: [201],
    body: CoreCreateProjectRequest,
    response: ItemEnvelope(CoreProjectCreated),
    fieldCodes: {
      slug: "TENANCY_INVALID_SLUG",
      environmentSlug: "TENANCY_INVALID_SLUG",
      name: "TENANCY_INVALID_NAME",
      environmentName: "TENANCY_INVALID_NAME",
    },
  },
  mintMcpToken: {
    method: "POST",
    path: TOKENS_PATH,
    success: [201],
    body: MintMcpTokenRequest,
    response: ItemEnvelope(MintedMcpToken),
    idempotencyKey: "required",
    fieldCodes: { name: MINT_FIELDS_INVALID, permissions: MINT_FIELDS_INVALID, ttlSeconds: MINT_FIELDS_INVALID },
  },
  listMcpTokens: {
    method: "GET",
    path: TOKENS_PATH,
    success: [200],
    query: ListMcpTokensQuery,
    response: CountedCollectionEnvelope(McpTokenResource),
  },
  revokeMcpToken: {
    method: "POST",
    path: `${TOKENS_PATH}/:tokenId/revoke`,
    success: [200],
    body: RevokeMcpTokenRequest,
    response: ItemEnvelope(RevokedMcpToken),
  },
  operatorSession: { method: "GET", path: OPERATOR_SESSION_PATH, success: [200], response: CoreItemEnvelope(OperatorSession) },
} as const satisfies Record<string, CoreRouteSpec>;

export type CoreApiRouteName = keyof typeof coreApiRoutes;
