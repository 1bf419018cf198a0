/**
 * The Platos control-plane API v1 wire shapes (see docs/api.md). The one source of truth: the client parses
 * responses with these, the emulator validates requests and responses with these, and the resources derive
 * their input checks from them.
 */
import { z } from "zod";

export const CONTRACT_VERSION = "M0.1";

// ---- field rules -------------------------------------------------------------------------------------------

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const Slug = z
  .string()
  .max(64, { error: "must be at most 64 characters" })
  .regex(SLUG_PATTERN, { error: "must be lowercase letters and digits in dash-separated groups (^[a-z0-9]+(?:-[a-z0-9]+)*$)" });

export const Name = z.string().min(1, { error: "must not be empty" }).max(128, { error: "must be at most 128 characters" });

export const VARIABLE_KEY_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
export const VariableKey = z
  .string()
  .regex(VARIABLE_KEY_PATTERN, { error: "must be an uppercase letter followed by up to 63 uppercase letters, digits or underscores (^[A-Z][A-Z0-9_]{0,63}$)" });

/**
 * Platos counts a value's length as JavaScript does, in UTF-16 code units (`value.length` in tenancy-database's
 * environment-variables.ts), where zod's `max` counts code points: an emoji is one code point but two units.
 */
export const VARIABLE_VALUE_MAX = 8192;
export const VariableValue = z
  .string()
  .min(1, { error: "must not be empty" })
  .superRefine((value, context) => {
    if (value.length <= VARIABLE_VALUE_MAX) return;
    const message = `must be at most ${VARIABLE_VALUE_MAX} characters as Platos counts them (UTF-16 code units: an emoji counts as 2)`;
    context.addIssue({ code: "too_big", origin: "string", maximum: VARIABLE_VALUE_MAX, inclusive: true, message });
  });

export const MODEL_PATTERN = /^[a-z0-9][a-z0-9-]*:[A-Za-z0-9][A-Za-z0-9._/-]*$/;
export const ModelRef = z
  .string()
  .max(200, { error: "must be at most 200 characters" })
  .regex(MODEL_PATTERN, { error: "must be provider:model, e.g. anthropic:claude-sonnet-4-6" });

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,255}$/;
export const IdempotencyKey = z.string().regex(IDEMPOTENCY_KEY_PATTERN, { error: "must be 1-255 characters of A-Za-z0-9_.:-" });

export const Id = z.string().min(1);
export const Timestamp = z.string().datetime({ offset: true });

/** A field that may never be sent in an update: presence is the error. `fields[].code` is `immutable`. */
export const Immutable = z
  .unknown()
  .refine((value) => value === undefined, { error: "cannot be changed; create a new object instead", params: { code: "immutable" } });

// ---- projects ----------------------------------------------------------------------------------------------

export const ProjectResource = z.object({
  id: Id,
  organizationId: Id,
  slug: Slug,
  name: Name,
  archivedAt: z.null(),
  createdAt: Timestamp,
  through: z.string(),
});
export type Project = z.infer<typeof ProjectResource>;

export const CreateProjectRequest = z.strictObject({ slug: Slug, name: Name });
export type CreateProject = z.infer<typeof CreateProjectRequest>;

// ---- environments ------------------------------------------------------------------------------------------

export const EnvironmentResource = z.object({
  id: Id,
  projectId: Id,
  slug: Slug,
  name: Name,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Environment = z.infer<typeof EnvironmentResource>;

export const CreateEnvironmentRequest = z.strictObject({ slug: Slug, name: Name.optional() });
export type CreateEnvironment = z.infer<typeof CreateEnvironmentRequest>;

export const UpdateEnvironmentRequest = z.strictObject({ name: Name, slug: Immutable.optional() });
export type UpdateEnvironment = Pick<z.infer<typeof UpdateEnvironmentRequest>, "name">;

// ---- environment variables ---------------------------------------------------------------------------------

export const VariableKind = z.enum(["PLAIN", "SECRET"]);
export type VariableKind = z.infer<typeof VariableKind>;

export const EnvironmentVariableResource = z.object({
  id: Id,
  environmentId: Id,
  key: VariableKey,
  kind: VariableKind,
  /** Always null for SECRET: secret values are write-only. */
  value: z.string().nullable(),
  hasSecret: z.boolean(),
  version: z.number().int().min(1),
  lastUpdatedBy: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type EnvironmentVariable = z.infer<typeof EnvironmentVariableResource>;

/** Strict: a misspelt `secret` must fail, not write a PLAIN variable. */
export const PutVariableRequest = z.strictObject({ value: VariableValue, secret: z.boolean().optional() });
export type PutVariable = z.infer<typeof PutVariableRequest>;

// ---- agents ------------------------------------------------------------------------------------------------

export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;

/** Platos's agent meta tools; all on by default but `memory_extract`. */
export const META_TOOLS = [
  "find_tools",
  "execute_tools",
  "remember",
  "recall",
  "forget",
  "list_memories",
  "relate",
  "memory_extract",
  "spawn_bgo",
  "spawn_task",
  "agent_batch",
] as const;
export const MetaToolName = z.enum(META_TOOLS);
export const MetaTools = z.partialRecord(MetaToolName, z.boolean());
export const DEFAULT_META_TOOLS: Record<(typeof META_TOOLS)[number], boolean> = {
  find_tools: true,
  execute_tools: true,
  remember: true,
  recall: true,
  forget: true,
  list_memories: true,
  relate: true,
  memory_extract: false,
  spawn_bgo: true,
  spawn_task: true,
  agent_batch: true,
};

export const PromptBlock = z.object({
  key: z.string().min(1, { error: "must not be empty" }).max(64, { error: "must be at most 64 characters" }),
  content: z.string().max(100_000, { error: "must be at most 100000 characters" }),
  enabled: z.boolean().optional(),
});
export type PromptBlock = z.infer<typeof PromptBlock>;

export const SystemPrompt = z.string().max(100_000, { error: "must be at most 100000 characters" });
export const StepLimit = z.number().int({ error: "must be an integer" }).min(1, { error: "must be at least 1" }).max(200, { error: "must be at most 200" });

/** The versioned fields: a change to any of these makes a new immutable agent version. */
export const AgentBehaviourFields = {
  model: ModelRef,
  systemPrompt: SystemPrompt.nullable(),
  promptBlocks: z.array(PromptBlock),
  toolsBlockConfig: JsonObject.nullable(),
  metaTools: MetaTools,
  memoryConfig: JsonObject.nullable(),
  featureFlags: z.record(z.string(), z.boolean()),
  outputSchema: JsonObject.nullable(),
  maxSteps: StepLimit,
  contextLimit: StepLimit,
};
/** What the server fills in for a behaviour field a create leaves out. */
export const AGENT_DEFAULTS: AgentBehaviourDefaults = {
  systemPrompt: null,
  promptBlocks: [],
  toolsBlockConfig: null,
  metaTools: DEFAULT_META_TOOLS,
  memoryConfig: null,
  featureFlags: {},
  outputSchema: null,
  maxSteps: 20,
  contextLimit: 20,
};
type AgentBehaviourDefaults = Omit<{ [K in keyof typeof AgentBehaviourFields]: z.infer<(typeof AgentBehaviourFields)[K]> }, "model">;

export const AGENT_BEHAVIOUR_FIELDS = Object.keys(AgentBehaviourFields) as (keyof typeof AgentBehaviourFields)[];
export const AgentBehaviour = z.object(AgentBehaviourFields);
export type AgentBehaviour = z.infer<typeof AgentBehaviour>;

export const AgentResource = z.object({
  id: Id,
  projectId: Id,
  environmentId: Id,
  slug: Slug,
  name: Name,
  ...AgentBehaviourFields,
  isActive: z.boolean(),
  currentVersionId: Id,
  versionNumber: z.number().int().min(1),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Agent = z.infer<typeof AgentResource>;

export const CreateAgentRequest = AgentBehaviour.partial()
  .extend({
    name: Name,
    model: ModelRef,
    slug: Slug.optional(),
    isActive: z.boolean().optional(),
  })
  .strict();
export type CreateAgent = z.infer<typeof CreateAgentRequest>;

export const UpdateAgentRequest = AgentBehaviour.partial()
  .extend({
    name: Name.optional(),
    isActive: z.boolean().optional(),
    slug: Immutable.optional(),
  })
  .strict();
export type UpdateAgent = Omit<z.infer<typeof UpdateAgentRequest>, "slug">;

export const AgentVersionResource = z.object({
  id: Id,
  versionNumber: z.number().int().min(1),
  snapshot: AgentBehaviour,
  createdAt: Timestamp,
});
export type AgentVersion = z.infer<typeof AgentVersionResource>;

// ---- provider keys -----------------------------------------------------------------------------------------

/** A provider id as models name it before the `:` (`anthropic` in `anthropic:claude-sonnet-4-6`). */
export const PROVIDER_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const ProviderId = z.string().regex(PROVIDER_ID_PATTERN, {
  error: "must be a provider id as models name it before the colon: lowercase letters, digits and dashes, e.g. anthropic (^[a-z0-9][a-z0-9-]{0,63}$)",
});

export const PROVIDER_KEY_LABEL_MAX = 200;
export const ProviderKeyLabel = z
  .string()
  .min(1, { error: "must not be empty" })
  .max(PROVIDER_KEY_LABEL_MAX, { error: `must be at most ${PROVIDER_KEY_LABEL_MAX} characters` });

/**
 * A provider key of an environment: it names the SECRET variable of the same environment (`envVarName`) that holds
 * the key material, and never carries the material itself. At most one key per provider is the default.
 */
export const ProviderKeyResource = z.object({
  id: Id,
  environmentId: Id,
  provider: ProviderId,
  label: ProviderKeyLabel,
  envVarName: VariableKey,
  isDefault: z.boolean(),
  createdBy: z.string().nullable(),
  lastUsedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ProviderKey = z.infer<typeof ProviderKeyResource>;

export const CreateProviderKeyRequest = z.strictObject({
  provider: ProviderId,
  label: ProviderKeyLabel,
  envVarName: VariableKey,
  isDefault: z.boolean().optional(),
});
export type CreateProviderKey = z.infer<typeof CreateProviderKeyRequest>;

/** Rotation points the key at another variable (`envVarName`); `provider` is the key's identity and cannot change. */
export const UpdateProviderKeyRequest = z.strictObject({
  envVarName: VariableKey.optional(),
  label: ProviderKeyLabel.optional(),
  isDefault: z.boolean().optional(),
  provider: Immutable.optional(),
});
export type UpdateProviderKey = Omit<z.infer<typeof UpdateProviderKeyRequest>, "provider">;

export const ProviderKeyListQuery = z.object({ provider: ProviderId.optional() });

// ---- tokens ------------------------------------------------------------------------------------------------

export const CreateTokenRequest = z.strictObject({
  name: Name,
  project: z.string().min(1, { error: "must name a project by id or slug" }),
  environments: z.union([z.literal("*"), z.array(Slug).min(1, { error: 'must list at least one environment slug, or be "*"' })]),
});
export type CreateToken = z.infer<typeof CreateTokenRequest>;
export const TokenResource = z.object({ id: Id, token: z.string().min(1) });

// ---- envelopes ---------------------------------------------------------------------------------------------

export const ItemMeta = z.object({ contractVersion: z.literal(CONTRACT_VERSION) });
export const ItemEnvelope = <T extends z.ZodType>(item: T) => z.object({ data: item, meta: ItemMeta });

export const MAX_PAGE_LIMIT = 200;
export const PageBlock = z.object({
  cursor: z.string().nullable(),
  nextCursor: z.string().nullable(),
  limit: z.number().int().min(1).max(MAX_PAGE_LIMIT),
  hasMore: z.boolean(),
});
export type PageBlock = z.infer<typeof PageBlock>;
export const CollectionEnvelope = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), page: PageBlock });

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
  cursor: z.string().min(1).optional(),
  slug: Slug.optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const ErrorTitle = z.enum([
  "invalid_input",
  "unauthenticated",
  "forbidden",
  "not_found",
  "conflict",
  "precondition_failed",
  "rate_limited",
  "unavailable",
  "internal",
]);
export type ErrorTitle = z.infer<typeof ErrorTitle>;

export const FieldError = z.object({ field: z.string(), code: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldError>;

export const WireError = z.object({
  code: z.string(),
  title: ErrorTitle,
  body: z.string(),
  errorId: z.string(),
  traceRef: z.string(),
  version: z.literal("1"),
  fields: z.array(FieldError).optional(),
  retryAfterSec: z.number().optional(),
});
export type WireError = z.infer<typeof WireError>;
export const ErrorEnvelope = z.object({ error: WireError });
