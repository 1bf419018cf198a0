/**
 * The platform gateway's tools this project uses: each one's name, description, `inputSchema` (verbatim from
 * Platos, the one source of its argument type), whether it needs an admin-tier token, its tier-1 approval floor,
 * the zod schema of its success result and the domain error codes it returns as `{"error": …}` results.
 * Tool results travel as `content[0].text = JSON.stringify(result)` (jsonrpc.ts).
 */
import { z } from "zod";
import { AgentRecord } from "./agent-record";
import { ApprovalStatus } from "./jsonrpc";
import type { FromSchema, JsonSchema } from "./json-schema";

/** Tier-1 platform minimum: `require_approval` tools wait for an operator when the approval gate is on. */
export type ApprovalFloor = "auto_allow" | "require_approval";

/**
 * What a second run of a tool does when the first may have run (its answer was lost: a dropped connection, a timeout,
 * 502 or 504). The resend rule (platos/platform/retry-rule.ts) reads it; every tool must say, so a new create cannot
 * be left resendable by omission.
 * - `reads`: it changes nothing;
 * - `same-state`: a repeat of one that ran leaves Platos as the first left it (its answer may differ: already
 *   archived, not found, no longer pending);
 * - `makes-another`: a repeat of one that ran makes a second object or a refusal (a create): never resent; its
 *   adapter looks for the object first.
 */
export type Repeat = "reads" | "same-state" | "makes-another";

/**
 * Whether a token the provider mints for an environment other than its own configured one carries the tool
 * (platos/platform/scopes.ts): in the read token and the write token, in the write token only, or never (anything
 * project-wide, introspection and approvals: a minted token must not reach them).
 */
export type MintedAccess = "read" | "write" | "never";

export interface ToolSpec {
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly requiresAdminTier: boolean;
  readonly approvalFloor: ApprovalFloor;
  readonly repeat: Repeat;
  readonly minted: MintedAccess;
  /** The tool only reads (`repeat: "reads"`): what a request counter counts as a write is every other call. */
  readonly readOnly: boolean;
  readonly result: z.ZodType;
  /** The codes of the `{error: code, …}` results; empty when the tool throws instead. */
  readonly errors: readonly string[];
}

// ---- field rules and result shapes -------------------------------------------------------------------------

/** environments.create, after trimming and lower-casing. */
export const PLATFORM_ENVIRONMENT_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,30}$/;
/** Slugs (lower-cased) environments.delete refuses with `production_env_protected`. */
export const PROTECTED_ENVIRONMENT_SLUGS: readonly string[] = ["prod", "production"];

export const PlatformEnvironment = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.string().nullable(),
});
export type PlatformEnvironment = z.infer<typeof PlatformEnvironment>;

export const CreatedEnvironment = PlatformEnvironment.pick({ id: true, slug: true, name: true, createdAt: true });

/** A variable as environments.list_secrets shows it: never a value, the version as a string. */
export const SecretSummary = z.object({
  name: z.string(),
  version: z.string(),
  isSecret: z.boolean(),
  hasSecret: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SecretSummary = z.infer<typeof SecretSummary>;

export const TokenScope = z.object({ organizationId: z.string(), projectId: z.string(), environmentId: z.string() });
export type TokenScope = z.infer<typeof TokenScope>;

/** An approval row as approvals.get shows it. */
export const ApprovalRecord = z.object({
  id: z.string(),
  toolName: z.string(),
  status: ApprovalStatus,
  environmentId: z.string(),
  /** The arguments as the gate saw them, secrets redacted. */
  redactedArgs: z.record(z.string(), z.unknown()),
  editedArgs: z.record(z.string(), z.unknown()).nullable(),
  comment: z.string().nullable(),
  respondedBy: z.string().nullable(),
  expiresAt: z.string(),
  consumedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecord>;

/**
 * A provider key as providers.list_keys shows it; `credentialId` is the Credential that holds its material. The
 * older line tools/providers.ts@1c0472cc lists keys without `environmentId` and `credentialId` (and adds `envVarSet`):
 * the key is then of the environment whose token listed it.
 */
export const ProviderKeyRecord = z.looseObject({
  id: z.string(),
  environmentId: z.string().optional(),
  credentialId: z.string().nullable().optional(),
  provider: z.string(),
  label: z.string(),
  envVarName: z.string(),
  isDefault: z.boolean(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProviderKeyRecord = z.infer<typeof ProviderKeyRecord>;

/** A domain error result: the code plus whatever the tool adds (`slug`, `environmentId`, `reason`, `count`, `message`). */
const domainError = <const C extends readonly [string, ...string[]]>(codes: C) =>
  z.looseObject({
    error: z.enum(codes),
    message: z.string().optional(),
    slug: z.string().optional(),
    environmentId: z.string().optional(),
    reason: z.string().optional(),
    count: z.number().int().optional(),
  });

const EMPTY_OBJECT = { type: "object", properties: {}, additionalProperties: false } as const;

function tool<const S extends JsonSchema, R extends z.ZodType, const E extends readonly string[]>(spec: {
  description: string;
  inputSchema: S;
  result: R;
  errors: E;
  repeat: Repeat;
  minted: MintedAccess;
  approvalFloor?: ApprovalFloor;
  requiresAdminTier?: boolean;
}) {
  return { requiresAdminTier: false, approvalFloor: "auto_allow" as ApprovalFloor, ...spec, readOnly: spec.repeat === "reads" };
}

const AGENT_CREATE_SCHEMA = {
  type: "object",
  required: ["name", "model"],
  properties: {
    name: { type: "string" },
    slug: { type: "string" },
    model: { type: "string" },
    systemPrompt: { type: "string" },
    maxSteps: { type: "integer", minimum: 1 },
    contextLimit: { type: "integer", minimum: 1 },
    historyMode: { type: "string", enum: ["rolling", "compact"] },
    toolMode: { type: "string" },
    enableUserProfiling: { type: "boolean" },
    metaTools: { type: "object" },
    toolsBlockConfig: { type: "object" },
    memoryConfig: { type: "object" },
  },
  additionalProperties: true,
} as const;

const AGENT_UPDATE_SCHEMA = {
  type: "object",
  required: ["agentId"],
  properties: {
    agentId: { type: "string" },
    name: { type: "string" },
    model: { type: "string" },
    systemPrompt: { type: "string" },
    maxSteps: { type: "integer" },
    contextLimit: { type: "integer" },
    historyMode: { type: "string", enum: ["rolling", "compact"] },
    isActive: { type: "boolean" },
    toolsBlockConfig: { type: "object" },
    metaTools: { type: "object" },
    memoryConfig: { type: "object" },
  },
  additionalProperties: true,
} as const;

const AGENT_ID_SCHEMA = { type: "object", required: ["agentId"], properties: { agentId: { type: "string" } }, additionalProperties: false } as const;

export const TOOLS = {
  "environments.list": tool({
    description: "List the non-archived environments of the token's project.",
    inputSchema: EMPTY_OBJECT,
    result: z.object({ environments: z.array(PlatformEnvironment), count: z.number().int() }),
    errors: ["access_denied", "list_failed"],
    repeat: "reads",
    minted: "never",
  }),
  "environments.create": tool({
    description: "Create an environment in the token's project.",
    inputSchema: {
      type: "object",
      required: ["slug"],
      properties: { slug: { type: "string" }, type: { type: "string", enum: ["PRODUCTION", "STAGING", "DEVELOPMENT", "PREVIEW"] } },
      additionalProperties: false,
    },
    result: CreatedEnvironment,
    errors: ["access_denied", "slug_invalid", "slug_taken", "create_failed"],
    repeat: "makes-another",
    minted: "never",
    approvalFloor: "require_approval",
  }),
  "environments.delete": tool({
    description: "Archive an environment of the token's project.",
    inputSchema: { type: "object", required: ["environmentId"], properties: { environmentId: { type: "string" } }, additionalProperties: false },
    result: z.object({ archived: z.boolean(), alreadyArchived: z.literal(true).optional() }),
    errors: ["access_denied", "not_found", "production_env_protected", "env_in_use", "delete_failed"],
    repeat: "same-state",
    minted: "never",
    approvalFloor: "require_approval",
  }),
  "environments.list_secrets": tool({
    description: "List the variables of the token's environment, without values.",
    inputSchema: EMPTY_OBJECT,
    result: z.object({ secrets: z.array(SecretSummary), count: z.number().int() }),
    errors: ["access_denied", "list_failed"],
    repeat: "reads",
    minted: "read",
  }),
  "environments.set_secret": tool({
    description: "Create or rotate a SECRET variable of the token's environment.",
    inputSchema: {
      type: "object",
      required: ["name", "value"],
      properties: { name: { type: "string" }, value: { type: "string" } },
      additionalProperties: false,
    },
    result: z.object({ ok: z.literal(true), name: z.string(), version: z.string() }),
    errors: ["access_denied", "name_invalid", "value_required", "value_too_long", "set_failed"],
    repeat: "same-state",
    minted: "write",
    approvalFloor: "require_approval",
  }),
  "environments.delete_secret": tool({
    description: "Delete a variable of the token's environment.",
    inputSchema: { type: "object", required: ["name"], properties: { name: { type: "string" } }, additionalProperties: false },
    result: z.object({ deleted: z.boolean(), name: z.string() }),
    errors: ["access_denied", "name_invalid", "delete_failed"],
    repeat: "same-state",
    minted: "write",
    approvalFloor: "require_approval",
  }),

  "agents.list": tool({
    description: "List the agents bound in the token's environment, newest binding first.",
    inputSchema: { type: "object", properties: { limit: { type: "integer", minimum: 1, maximum: 500 } }, additionalProperties: false },
    result: z.object({ agents: z.array(AgentRecord) }),
    errors: [],
    repeat: "reads",
    minted: "read",
  }),
  "agents.get": tool({
    description: "Read an agent bound in the token's environment.",
    inputSchema: AGENT_ID_SCHEMA,
    result: AgentRecord,
    errors: [],
    repeat: "reads",
    minted: "never",
  }),
  "agents.create": tool({
    description: "Create an agent (version 1) bound in the token's environment.",
    inputSchema: AGENT_CREATE_SCHEMA,
    result: AgentRecord,
    errors: ["provider_key_not_in_environment"],
    repeat: "makes-another",
    minted: "write",
  }),
  "agents.update": tool({
    description: "Update an agent; a changed configuration makes a new version.",
    inputSchema: AGENT_UPDATE_SCHEMA,
    result: AgentRecord,
    errors: ["provider_key_not_in_environment"],
    repeat: "same-state",
    minted: "write",
  }),
  "agents.delete": tool({
    description: "Remove an agent's binding in the token's environment.",
    inputSchema: AGENT_ID_SCHEMA,
    result: z.object({ ok: z.boolean(), agentId: z.string() }),
    errors: [],
    repeat: "same-state",
    minted: "write",
    approvalFloor: "require_approval",
  }),

  "providers.list_keys": tool({
    description: "List the provider keys of the token's environment, optionally of one provider.",
    inputSchema: { type: "object", properties: { provider: { type: "string" } }, additionalProperties: false },
    result: z.object({ keys: z.array(ProviderKeyRecord) }),
    errors: [],
    repeat: "reads",
    minted: "read",
  }),
  "providers.add_key": tool({
    description: "Add a provider key that points at a credential of the token's environment; isDefault clears the provider's other defaults.",
    inputSchema: {
      type: "object",
      required: ["provider", "label", "envVarName"],
      properties: {
        provider: { type: "string", minLength: 1 },
        label: { type: "string", minLength: 1, maxLength: 200 },
        envVarName: { type: "string", minLength: 1, maxLength: 200 },
        isDefault: { type: "boolean" },
      },
      additionalProperties: false,
    },
    result: z.object({ keyId: z.string(), provider: z.string(), label: z.string(), envVarName: z.string(), isDefault: z.boolean() }),
    // credential_not_found: the older line tools/providers.ts@1c0472cc's word for credential_unavailable.
    errors: ["invalid_input", "credential_unavailable", "credential_not_found", "already_exists", "not_found", "add_key_failed"],
    repeat: "makes-another",
    minted: "write",
    approvalFloor: "require_approval",
  }),
  "providers.rotate_key": tool({
    description: "Point a provider key at another credential of the token's environment, optionally relabelling it.",
    inputSchema: {
      type: "object",
      required: ["keyId", "envVarName"],
      properties: {
        keyId: { type: "string" },
        envVarName: { type: "string", minLength: 1, maxLength: 200 },
        label: { type: "string", minLength: 1, maxLength: 200 },
      },
      additionalProperties: false,
    },
    result: z.object({
      rotated: z.literal(true),
      keyId: z.string(),
      provider: z.string(),
      label: z.string(),
      previousEnvVarName: z.string(),
      envVarName: z.string(),
    }),
    errors: ["not_found", "credential_unavailable", "credential_not_found", "rotate_failed"],
    repeat: "same-state",
    minted: "write",
    approvalFloor: "require_approval",
  }),
  "providers.delete_key": tool({
    description: "Delete a provider key of the token's environment; refused while an agent version pins it.",
    inputSchema: { type: "object", required: ["keyId"], properties: { keyId: { type: "string" } }, additionalProperties: false },
    result: z.object({ deleted: z.literal(true), keyId: z.string(), provider: z.string(), label: z.string(), envVarName: z.string() }),
    errors: ["not_found", "pinned_agents", "delete_failed"],
    repeat: "same-state",
    minted: "write",
    approvalFloor: "require_approval",
  }),

  "platos.whoami": tool({
    description: "The token's scope, minting user, permissions and expiry.",
    inputSchema: EMPTY_OBJECT,
    result: z.object({ scope: TokenScope, mintedByUserId: z.string(), permissions: z.array(z.string()), expiresAt: z.string().nullable() }),
    errors: [],
    repeat: "reads",
    minted: "never",
  }),
  "platos.list_accessible_scopes": tool({
    description: "The scopes the token reaches: its pinned scope.",
    inputSchema: EMPTY_OBJECT,
    result: z.object({ scopes: z.array(TokenScope) }),
    errors: [],
    repeat: "reads",
    minted: "never",
  }),

  "approvals.get": tool({
    description: "Read an approval of the token's environment.",
    inputSchema: { type: "object", required: ["approvalId"], properties: { approvalId: { type: "string" } }, additionalProperties: false },
    result: ApprovalRecord,
    errors: [],
    repeat: "reads",
    minted: "never",
  }),
  "approvals.resolve": tool({
    description: "Approve, reject or time out a pending approval of the token's environment.",
    inputSchema: {
      type: "object",
      required: ["approvalId", "status"],
      properties: {
        approvalId: { type: "string" },
        status: { type: "string", enum: ["approved", "rejected", "timed_out", "approved_with_edits"] },
        comment: { type: "string" },
        editedArgs: { type: "object" },
      },
      additionalProperties: false,
    },
    result: ApprovalRecord,
    errors: ["not_found", "not_pending", "edited_args_required"],
    repeat: "same-state",
    minted: "never",
  }),
} as const;

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];

type Entry<N extends ToolName> = (typeof TOOLS)[N];

/** The arguments of tool `N`, from its inputSchema. */
export type ToolArgs<N extends ToolName> = FromSchema<Entry<N>["inputSchema"]>;
export type ToolSuccess<N extends ToolName> = z.output<Entry<N>["result"]>;
export type ToolErrorCode<N extends ToolName> = Entry<N>["errors"][number];
export type ToolDomainError<N extends ToolName> = { readonly error: ToolErrorCode<N>; readonly [detail: string]: unknown };
/** What a successful `tools/call` of `N` carries: the success result, or one of its domain errors. */
export type ToolResult<N extends ToolName> = ToolSuccess<N> | ToolDomainError<N>;

/** `callTool("environments.create", {slug})` in a client is typed by this. */
export type CallTool = <N extends ToolName>(name: N, args: ToolArgs<N>) => Promise<ToolResult<N>>;

export const isToolName = (name: string): name is ToolName => Object.prototype.hasOwnProperty.call(TOOLS, name);

export function toolSpec(name: ToolName): ToolSpec {
  return TOOLS[name];
}

export function isDomainError<N extends ToolName>(result: ToolResult<N>): result is ToolDomainError<N> {
  return typeof result === "object" && result !== null && typeof (result as { error?: unknown }).error === "string";
}

/** Checks a tool's decoded result against its success schema or, when it holds `error`, its domain errors. */
export function parseToolResult<N extends ToolName>(name: N, value: unknown): ToolResult<N> {
  const spec = toolSpec(name);
  const [first, ...rest] = spec.errors;
  const isError = typeof value === "object" && value !== null && "error" in value && first !== undefined;
  return (isError ? domainError([first, ...rest]) : spec.result).parse(value) as ToolResult<N>;
}
