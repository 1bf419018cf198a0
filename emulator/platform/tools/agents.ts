/**
 * agents.*: the agents bound in the token's environment, answered as Platos AgentRecords (agent-record.ts does
 * the translation). Platos's project-wide slug rule on top of this repo's per-environment rows: a create whose
 * slug any agent of the project has (bound or not, in any environment) silently gets `-<base36 ms>`. Unknown
 * agents, arguments this repo cannot store and a slug taken by a concurrent create throw, which the gateway answers
 * with -32603. A create takes `name`, `slug` and `model` as Platos takes them (any string; see `createFields`), and
 * `maxSteps`/`contextLimit`/`systemPrompt` within what its input schema allows, even where this repo's V1 rules are
 * narrower; an update likewise (PlatformUpdateAgent). The fields that name
 * provider keys (`providerKeyId`, `modelRoutes`) are kept beside the agent: they are what pins a key. Prompts, tool
 * and memory configs are stored as Platos stores them (agent-normalisation.ts).
 */
import {
  memoryConfigAsRead,
  promptOnCreate,
  promptOnUpdate,
  toolsConfigAsStored,
  toolsConfigOnUpdate,
} from "../../../provider/client/platform/agent-normalisation";
import { agentFieldsOfArgs, agentRecordOf } from "../../../provider/client/platform/agent-record";
import { z } from "zod";
import { CreateAgentRequest, UpdateAgentRequest, type Agent, type CreateAgent, type JsonObject, type PromptBlock } from "../../../provider/client/schemas";
import { behaviourOnCreate } from "../../agent-behaviour";
import type { AgentKeyRefs } from "../../store/provider-keys";
import { isRefusal } from "../../store/refusals";
import type { ToolContext, ToolHandlers } from "./context";

const recordOf = (agent: Agent, { token }: ToolContext, refs?: AgentKeyRefs) => ({
  ...agentRecordOf(agent, token.scope.organizationId),
  providerKeyId: refs?.providerKeyId ?? null,
  modelRoutes: refs?.modelRoutes ?? [],
});

/** Each agent's record with the provider keys its configuration names. */
async function recordsOf(agents: readonly Agent[], context: ToolContext) {
  const refs = await context.store.providerKeys.agentRefs(agents.map((agent) => agent.id));
  return agents.map((agent) => recordOf(agent, context, refs.get(agent.id)));
}

/** `providerKeyId` and `modelRoutes` as given (null clears); a value of another type throws. */
function keyRefsOfArgs(args: Readonly<Record<string, unknown>>): Partial<AgentKeyRefs> {
  const { providerKeyId, modelRoutes } = args;
  if (providerKeyId !== undefined && providerKeyId !== null && typeof providerKeyId !== "string") throw new Error("providerKeyId must be a string or null");
  if (modelRoutes !== undefined && modelRoutes !== null && !Array.isArray(modelRoutes)) throw new Error("modelRoutes must be an array or null");
  return { ...(providerKeyId === undefined ? {} : { providerKeyId }), ...(modelRoutes === undefined ? {} : { modelRoutes }) };
}

/** Every key id the references name, in `providerKeyId` or a model route. */
function keyIdsOf(refs: Partial<AgentKeyRefs>): string[] {
  const routed = (refs.modelRoutes ?? []).map((route) => (route as { providerKeyId?: unknown } | null)?.providerKeyId);
  return [refs.providerKeyId, ...routed].filter((id): id is string => typeof id === "string");
}

/**
 * An agent names only keys of the environment it is bound in (as Platos's providers.set_routes requires of routes):
 * a key of another environment is refused, naming both environments, before anything is written.
 */
async function foreignKeyRefusal(refs: Partial<AgentKeyRefs>, { store, token }: ToolContext) {
  const own = token.scope.environmentId;
  const slugOf = async (environmentId: string) => (await store.environments.findById(environmentId))?.environment.slug ?? environmentId;
  for (const keyId of keyIdsOf(refs)) {
    if (await store.providerKeys.get(own, keyId)) continue;
    const elsewhere = await store.providerKeys.environmentOf(keyId);
    const bound = `environment "${await slugOf(own)}" where the agent is bound`;
    const message =
      elsewhere === undefined
        ? `provider key ${keyId} is not a key of ${bound} (there is no such key)`
        : `provider key ${keyId} is a key of environment "${await slugOf(elsewhere)}", not of ${bound}; an agent names only its own environment's keys`;
    return { error: "provider_key_not_in_environment" as const, message };
  }
  return undefined;
}

/** Stores the key references a call gave, and answers the agent's record. */
async function withKeyRefs(agent: Agent, refs: Partial<AgentKeyRefs>, context: ToolContext) {
  if (Object.keys(refs).length > 0) await context.store.providerKeys.setAgentRefs(agent.id, refs);
  return (await recordsOf([agent], context))[0]!;
}

function agentNotFound(): Error {
  return new Error("Agent not found");
}

/**
 * What agents.create stores for the fields Platos derives on create (agent-crud.service.ts@a9710c92 L785-L806): the
 * slug as given, else the name lower-cased with each run of other characters made one dash, ends trimmed (so it may
 * be ""); the model as given, else the default route's, else "anthropic:claude-sonnet-4-6".
 * Nothing checks their form there, so nothing does here.
 */
function createFields(fields: Record<string, unknown>, args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const name = String(args.name);
  const slug =
    typeof args.slug === "string" && args.slug !== ""
      ? args.slug
      : name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, "");
  const model = typeof args.model === "string" && args.model !== "" ? args.model : (routedModel(args) ?? DEFAULT_MODEL);
  return { ...fields, name, slug, model };
}

/** The model of the default model route (else the first), where one names a model. */
function routedModel(args: Readonly<Record<string, unknown>>): string | undefined {
  const routes = Array.isArray(args.modelRoutes) ? (args.modelRoutes as { isDefault?: unknown; model?: unknown }[]) : [];
  const routed = (routes.find((route) => route?.isDefault) ?? routes[0])?.model;
  return typeof routed === "string" && routed !== "" ? routed : undefined;
}

const DEFAULT_MODEL = "anthropic:claude-sonnet-4-6";

/**
 * The create request as the gateway takes it: this repo's request schema with the fields Platos stores as given
 * widened to its input schema's rules (tools/index.ts@9960ce1f L274-L299: strings, integers at least 1).
 */
const PlatformCreateAgent = CreateAgentRequest.extend({
  name: z.string(),
  slug: z.string(),
  model: z.string(),
  systemPrompt: z.string().nullable().optional(),
  maxSteps: z.number().int().min(1).optional(),
  contextLimit: z.number().int().min(1).optional(),
});

/**
 * The update patch as the gateway takes it: the fields the tool's input schema lists widened to its rules
 * (tools/index.ts@9960ce1f, agents.update: strings, integers with no bound), which agentCrud.update stores as given
 * (agent-crud.service.ts@a9710c92, update and buildSnapshot), except an empty model, which the version row stores as
 * the default model (versionData: `snapshot.model || "anthropic:claude-sonnet-4-6"`).
 */
const PlatformUpdateAgent = UpdateAgentRequest.extend({
  name: z.string().optional(),
  model: z
    .string()
    .optional()
    .transform((model) => (model === "" ? DEFAULT_MODEL : model)),
  systemPrompt: z.string().nullable().optional(),
  maxSteps: z.number().int().optional(),
  contextLimit: z.number().int().optional(),
});

/** The update's fields: without a model, the default model route's (agent-crud.service.ts@a9710c92, update). */
function updateFields(fields: Record<string, unknown>, args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const routed = fields.model === undefined ? routedModel(args) : undefined;
  return routed === undefined ? fields : { ...fields, model: routed };
}

async function uniqueInProject({ store, token }: ToolContext, slug: string): Promise<string> {
  return (await store.agents.slugTakenInProject(token.scope.projectId, slug)) ? `${slug}-${Date.now().toString(36)}` : slug;
}

export const agentTools: ToolHandlers<"agents.list" | "agents.get" | "agents.create" | "agents.update" | "agents.delete"> = {
  "agents.list": async (_args, context) => ({ agents: await recordsOf(await context.store.agents.listBound(context.token.scope.environmentId), context) }),

  "agents.get": async ({ agentId }, context) => {
    const agent = await context.store.agents.get(context.token.scope.environmentId, agentId);
    if (!agent) throw agentNotFound();
    return (await recordsOf([agent], context))[0]!;
  },

  "agents.create": async (args, context) => {
    const fields = createFields(agentFieldsOfArgs(args), args);
    const refs = keyRefsOfArgs(args);
    const refused = await foreignKeyRefusal(refs, context);
    if (refused) return refused;
    const request: CreateAgent = PlatformCreateAgent.parse({
      ...fields,
      systemPrompt: promptOnCreate(fields.systemPrompt as string | null | undefined, fields.promptBlocks as PromptBlock[] | undefined),
      toolsBlockConfig: toolsConfigAsStored(fields.toolsBlockConfig as JsonObject | null | undefined),
      memoryConfig: memoryConfigAsRead(fields.memoryConfig as JsonObject | null | undefined),
      isActive: undefined,
      slug: await uniqueInProject(context, fields.slug as string),
    });
    const environment = await context.store.environments.findById(context.token.scope.environmentId);
    if (!environment || environment.archived) throw new Error("environment not found");
    const agent = await context.store.agents.create(environment.environment, {
      slug: request.slug ?? "",
      name: request.name,
      isActive: true,
      behaviour: behaviourOnCreate(request),
    });
    if (isRefusal(agent)) throw new Error("the environment already has an agent with that slug");
    return withKeyRefs(agent, refs, context);
  },

  "agents.update": async (args, context) => {
    // As agentCrud.update: the agent first, then what the call asks of it.
    const current = await context.store.agents.get(context.token.scope.environmentId, args.agentId);
    if (!current) throw agentNotFound();
    const { slug: _slug, ...fields } = agentFieldsOfArgs(args);
    const patch = PlatformUpdateAgent.parse(updateFields(fields, args));
    const refs = keyRefsOfArgs(args);
    const refused = await foreignKeyRefusal(refs, context);
    if (refused) return refused;
    const systemPrompt = promptOnUpdate(patch.systemPrompt, patch.promptBlocks, current.systemPrompt);
    const agent = await context.store.agents.update(context.token.scope.environmentId, args.agentId, {
      ...patch,
      ...(systemPrompt === current.systemPrompt ? {} : { systemPrompt }),
      ...(patch.toolsBlockConfig === undefined ? {} : { toolsBlockConfig: toolsConfigOnUpdate(current.toolsBlockConfig, patch.toolsBlockConfig) }),
      ...(patch.memoryConfig === undefined ? {} : { memoryConfig: memoryConfigAsRead(patch.memoryConfig) }),
    });
    if (!agent) throw agentNotFound();
    return withKeyRefs(agent, refs, context);
  },

  "agents.delete": async ({ agentId }, { store, token }) => ({ ok: await store.agents.unbind(token.scope.environmentId, agentId), agentId }),
};
