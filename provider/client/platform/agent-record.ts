/**
 * Platos's `AgentRecord` (what the `agents.*` tools return) and the translation both ways between it and this
 * repo's agent fields (provider/client/schemas.ts). The emulator's tools and the provider's platform adapter both
 * translate through here, so the two cannot disagree.
 *
 * Prompt blocks: this repo's `{key, content, enabled?}` is Platos's `{id, type, name, content, enabled, editable,
 * order}` with `id = name = key`, `order` the position, and `enabled: true` the same as `enabled` absent (read back
 * without it). The record has no version number (`versionNumber: null`).
 */
import { z } from "zod";
import { memoryConfigAsRead, toolsConfigAsStored } from "./agent-normalisation";
import { AGENT_BEHAVIOUR_FIELDS, DEFAULT_META_TOOLS, META_TOOLS, type Agent, type AgentBehaviour, type JsonObject, type PromptBlock } from "../schemas";

/** A prompt block as Platos stores it (blocks written by others may lack the presentational fields). */
export const PlatformPromptBlock = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  name: z.string().optional(),
  content: z.string(),
  enabled: z.boolean().optional(),
  editable: z.boolean().optional(),
  order: z.number().optional(),
});
export type PlatformPromptBlock = z.infer<typeof PlatformPromptBlock>;

/** The block type given to blocks made from this repo's blocks. */
export const PROMPT_BLOCK_TYPE = "custom";

const JsonRecord = z.record(z.string(), z.unknown());

/** Only the fields a client needs are required; the rest are read when present. */
export const AgentRecord = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  slug: z.string().min(1),
  model: z.string(),
  modelRoutes: z.array(z.unknown()).nullable().optional(),
  systemPrompt: z.string().nullable().optional(),
  promptBlocks: z.array(PlatformPromptBlock).nullable().optional(),
  dynamicBlocks: z.array(z.unknown()).nullable().optional(),
  maxSteps: z.number().int().nullable().optional(),
  contextLimit: z.number().int().nullable().optional(),
  historyMode: z.string().nullable().optional(),
  compactThreshold: z.number().int().nullable().optional(),
  enableUserProfiling: z.boolean().nullable().optional(),
  toolMode: z.string().nullable().optional(),
  executionMode: z.string().nullable().optional(),
  toolsBlockConfig: JsonRecord.nullable().optional(),
  subAgentConfig: JsonRecord.nullable().optional(),
  memoryConfig: JsonRecord.nullable().optional(),
  metaTools: z.record(z.string(), z.boolean()).nullable().optional(),
  featureFlags: JsonRecord.nullable().optional(),
  outputSchema: JsonRecord.nullable().optional(),
  extractionPolicy: z.unknown().optional(),
  enableThreading: z.boolean().nullable().optional(),
  threadingConfig: z.unknown().optional(),
  contextMapping: z.unknown().optional(),
  providerKeyId: z.string().nullable().optional(),
  visibility: z.string().nullable().optional(),
  maxBgosPerTurn: z.number().int().nullable().optional(),
  agentRetryConfig: z.unknown().optional(),
  isActive: z.boolean(),
  organizationId: z.string().nullable().optional(),
  projectId: z.string().min(1),
  environmentId: z.string().min(1),
  currentVersionId: z.string().min(1),
  canaryVersionId: z.string().nullable().optional(),
  canaryPercent: z.number().int().nullable().optional(),
  clusteringId: z.string().nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  _count: z.looseObject({ threads: z.number().int() }).nullable().optional(),
});
export type AgentRecord = z.infer<typeof AgentRecord>;

/** An agent as the platform surface shows it: this repo's fields, with no version number. */
export type PlatformAgent = Omit<Agent, "versionNumber"> & { readonly versionNumber: null };

/** The fields of an agents.create / agents.update call this repo sets. */
export interface AgentFields extends Partial<AgentBehaviour> {
  readonly name?: string;
  readonly slug?: string;
  readonly isActive?: boolean;
}

export function toPlatformPromptBlocks(blocks: readonly PromptBlock[]): PlatformPromptBlock[] {
  return blocks.map((block, order) => ({
    id: block.key,
    type: PROMPT_BLOCK_TYPE,
    name: block.key,
    content: block.content,
    enabled: block.enabled ?? true,
    editable: true,
    order,
  }));
}

/** A block as read back: `enabled` only where it is false (a block is on unless it says otherwise). */
const blockAsRead = (key: string, content: string, enabled: boolean | undefined): PromptBlock => ({
  key,
  content,
  ...(enabled === false ? { enabled: false } : {}),
});

/** This repo's blocks as they read back from Platos, so that `enabled: true` and `enabled` left out compare equal. */
export function promptBlocksAsRead(blocks: readonly PromptBlock[]): PromptBlock[] {
  return blocks.map((block) => blockAsRead(block.key, block.content, block.enabled));
}

function fromPlatformPromptBlocks(blocks: readonly PlatformPromptBlock[]): PromptBlock[] {
  return blocks
    .map((block, index) => ({ block, order: block.order ?? index }))
    .sort((a, b) => a.order - b.order)
    .map(({ block }) => blockAsRead(block.id, block.content, block.enabled));
}

const isMetaTool = (name: string): name is (typeof META_TOOLS)[number] => (META_TOOLS as readonly string[]).includes(name);

/** Platos's defaults for the record fields this repo does not hold (§4.2 of the surface doc). */
const platformOnlyDefaults = () => ({
  // versionData writes `coerceBlockList(modelRoutes) ?? []`: an agent without routes reads back [].
  modelRoutes: [],
  dynamicBlocks: [],
  historyMode: "rolling",
  compactThreshold: 40,
  enableUserProfiling: false,
  toolMode: "direct",
  executionMode: "direct",
  subAgentConfig: null,
  extractionPolicy: null,
  enableThreading: false,
  threadingConfig: null,
  contextMapping: null,
  providerKeyId: null,
  // agent-crud.service.ts@a9710c92 stores `dto.visibility ?? null`: an agent made without one reads back null.
  visibility: null,
  maxBgosPerTurn: null,
  agentRetryConfig: null,
  canaryVersionId: null,
  canaryPercent: 0,
  clusteringId: null,
});

/** This repo's agent as an AgentRecord (the emulator's tools answer with this). */
export function agentRecordOf(agent: Agent, organizationId: string): AgentRecord {
  return {
    ...platformOnlyDefaults(),
    id: agent.id,
    name: agent.name,
    slug: agent.slug,
    model: agent.model,
    systemPrompt: agent.systemPrompt,
    promptBlocks: toPlatformPromptBlocks(agent.promptBlocks),
    maxSteps: agent.maxSteps,
    contextLimit: agent.contextLimit,
    // Platos reads every version's tools config with a mode and its memory config without `__runtime`.
    toolsBlockConfig: toolsConfigAsStored(agent.toolsBlockConfig),
    memoryConfig: memoryConfigAsRead(agent.memoryConfig),
    metaTools: { ...DEFAULT_META_TOOLS, ...agent.metaTools },
    // buildSnapshot: `featureFlags ?? null`; an agent made without flags reads back null.
    featureFlags: Object.keys(agent.featureFlags).length > 0 ? agent.featureFlags : null,
    outputSchema: agent.outputSchema,
    isActive: agent.isActive,
    organizationId,
    projectId: agent.projectId,
    environmentId: agent.environmentId,
    currentVersionId: agent.currentVersionId,
    createdAt: agent.createdAt,
    updatedAt: agent.updatedAt,
    _count: { threads: 0 },
  };
}

const booleansOf = (record: Record<string, unknown> | null | undefined): Record<string, boolean> =>
  Object.fromEntries(Object.entries(record ?? {}).filter((entry): entry is [string, boolean] => typeof entry[1] === "boolean"));

/** An AgentRecord as this repo's agent (the provider's adapter reads with this). Unknown meta tools are dropped. */
export function agentOfRecord(record: AgentRecord): PlatformAgent {
  return {
    id: record.id,
    projectId: record.projectId,
    environmentId: record.environmentId,
    slug: record.slug,
    name: record.name,
    model: record.model,
    // An update that carries blocks whose text is all disabled or blank stores the empty prompt they derive
    // (agent-crud.service.ts@a9710c92 `update`), where a create stores null (`dto.systemPrompt || derived || null`):
    // both are no prompt, and this repo never declares "" (a create would store null), so "" reads as null.
    systemPrompt: record.systemPrompt || null,
    promptBlocks: fromPlatformPromptBlocks(record.promptBlocks ?? []),
    toolsBlockConfig: (record.toolsBlockConfig ?? null) as JsonObject | null,
    metaTools: { ...DEFAULT_META_TOOLS, ...Object.fromEntries(Object.entries(record.metaTools ?? {}).filter(([name]) => isMetaTool(name))) },
    memoryConfig: (record.memoryConfig ?? null) as JsonObject | null,
    featureFlags: booleansOf(record.featureFlags),
    outputSchema: (record.outputSchema ?? null) as JsonObject | null,
    maxSteps: record.maxSteps ?? 20,
    contextLimit: record.contextLimit ?? 20,
    isActive: record.isActive,
    currentVersionId: record.currentVersionId,
    versionNumber: null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/**
 * This repo's create or update fields as agents.create / agents.update arguments. Platos replaces `metaTools`
 * whole, so a given map is sent merged over the defaults (this repo's override rule).
 */
export function agentArgsOf(fields: AgentFields): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (field === "promptBlocks") args.promptBlocks = toPlatformPromptBlocks(value as PromptBlock[]);
    else if (field === "metaTools") args.metaTools = { ...DEFAULT_META_TOOLS, ...(value as AgentBehaviour["metaTools"]) };
    else args[field] = value;
  }
  return args;
}

/**
 * agents.create / agents.update arguments as this repo's fields (the emulator stores with this): the fields this
 * repo holds, unchecked (the caller validates them); every other Platos field is left out.
 */
export function agentFieldsOfArgs(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of ["name", "slug", "isActive", ...AGENT_BEHAVIOUR_FIELDS] as const) {
    const value = args[field];
    if (value === undefined) continue;
    if (field === "promptBlocks" && Array.isArray(value)) fields.promptBlocks = fromPlatformPromptBlocks(z.array(PlatformPromptBlock).parse(value));
    else fields[field] = value;
  }
  return fields;
}
