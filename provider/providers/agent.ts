/**
 * The engine side of `platos:Agent`. Omitted behaviour fields mean the server defaults, so `check` fills them in
 * and a field removed from the program goes back to its default; the configuration is then put the way the
 * protocol will hold it (real Platos derives a prompt from prompt blocks, and so on), so that a second `up` finds
 * nothing to change. A change to a behaviour field makes a new immutable version on the server.
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { behaviourOnCreate } from "../client/agent-behaviour";
import { AGENT_BEHAVIOUR_FIELDS, AGENT_DEFAULTS, AgentBehaviourFields, DEFAULT_META_TOOLS, Name, Slug, type UpdateAgent } from "../client/schemas";
import type { DeclaredAgent, PlatosAgent } from "../platos";
import { providerContext } from "../runtime/context";
import { sendJournalled, type JournalledCreate } from "../runtime/create-journal";
import { dashboardLink, type DashboardLink } from "../runtime/dashboard-links";
import { DeclaredBy } from "./declared-by";
import { engineProvider } from "./engine-provider";
import { describing } from "./describe-error";
import { takeOver } from "./own-create";
import { planDiff, type DiffPlan } from "./diff";
import { Adopt, ProjectRef } from "./environment";
import { requireEnvironment } from "./environment-lookup";
import { checkInputs, givenFields, inputsOf, isUnknown, knownFields, type OutputOnly } from "./inputs";
import { protocolFailures } from "./protocol-check";

const { model, metaTools, ...optionalBehaviour } = AgentBehaviourFields;

export const AgentInputs = z.object({
  project: ProjectRef,
  /** Slug of the environment the agent belongs to. */
  environment: Slug,
  /** The agent's natural key in its environment; changing it replaces the agent. */
  slug: Slug,
  name: Name,
  model,
  ...(Object.fromEntries(Object.entries(optionalBehaviour).map(([field, schema]) => [field, schema.optional()])) as {
    [K in keyof typeof optionalBehaviour]: z.ZodOptional<(typeof optionalBehaviour)[K]>;
  }),
  /** Meta tools to switch on or off; the others keep their defaults. */
  metaTools: metaTools.optional(),
  isActive: z.boolean().default(true),
  adopt: Adopt,
  declaredBy: DeclaredBy,
});
export type AgentInputs = z.infer<typeof AgentInputs>;

/** Inputs with every server default filled in: what the server will hold. */
export type AgentDesired = Omit<AgentInputs, "metaTools"> & typeof AGENT_DEFAULTS & { metaTools: typeof DEFAULT_META_TOOLS };

/** What the server reports beside the configuration: outputs only, never inputs. */
type AgentServerFields = {
  readonly projectId: string;
  readonly environmentId: string;
  readonly currentVersionId: string;
  /** Null on the platform protocol: Platos's AgentRecord does not report it. */
  readonly versionNumber: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
};

export type AgentOutputs = AgentDesired & AgentServerFields & DashboardLink;

const OUTPUT_ONLY: OutputOnly<AgentServerFields & DashboardLink> = {
  projectId: true,
  environmentId: true,
  currentVersionId: true,
  versionNumber: true,
  createdAt: true,
  updatedAt: true,
  dashboardUrl: true,
};

const MUTABLE_FIELDS = ["name", "isActive", ...AGENT_BEHAVIOUR_FIELDS] as const;
type MutableField = (typeof MUTABLE_FIELDS)[number];

const agentDiffPlan: DiffPlan<AgentDesired> = {
  replaceOn: ["project", "environment", "slug"],
  updateOn: MUTABLE_FIELDS,
};

/** The inputs as the server will hold them after a create (the API's own fill-in rule). */
export function withDefaults(inputs: AgentInputs): AgentDesired {
  const given = Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== undefined));
  // A metaTools map computed during preview stays unknown; merging the sentinel string would make a false map.
  const { metaTools, ...rest } = inputs;
  const behaviour = behaviourOnCreate(isUnknown(metaTools) ? rest : inputs);
  return { ...given, ...behaviour, ...(isUnknown(metaTools) ? { metaTools } : {}) } as AgentDesired;
}

function mutableFieldsOf<T extends Pick<PlatosAgent, MutableField>>(source: T): Pick<PlatosAgent, MutableField> {
  return Object.fromEntries(MUTABLE_FIELDS.map((field) => [field, source[field]])) as Pick<PlatosAgent, MutableField>;
}

async function toOutputs(agent: PlatosAgent, inputs: Pick<AgentInputs, "project" | "environment" | "adopt" | "declaredBy">): Promise<AgentOutputs> {
  const mutable = mutableFieldsOf(agent);
  return {
    project: inputs.project,
    environment: inputs.environment,
    slug: agent.slug,
    ...mutable,
    metaTools: { ...DEFAULT_META_TOOLS, ...agent.metaTools },
    ...givenFields(inputs, ["adopt", "declaredBy"]),
    projectId: agent.projectId,
    environmentId: agent.environmentId,
    currentVersionId: agent.currentVersionId,
    versionNumber: agent.versionNumber,
    createdAt: agent.createdAt,
    updatedAt: agent.updatedAt,
    ...(await dashboardLink(inputs, { kind: "agent", agentId: agent.id })),
  };
}

/** Only the fields whose value differs: a PATCH that changes nothing makes no new version anyway. */
function changedFields(current: Partial<Record<MutableField, unknown>>, desired: AgentDesired): UpdateAgent {
  const changes = MUTABLE_FIELDS.filter((field) => !isDeepStrictEqual(current[field], desired[field]));
  return Object.fromEntries(changes.map((field) => [field, desired[field]])) as UpdateAgent;
}

/** An agent this process wrote, kept in the read cache so that later lookups of the operation see it. */
async function remembered(written: Promise<PlatosAgent>): Promise<PlatosAgent> {
  const agent = await written;
  await providerContext().cache.remember("agents", agent);
  return agent;
}

async function adopt(environmentId: string, existing: PlatosAgent, desired: AgentDesired): Promise<PlatosAgent> {
  const changes = changedFields(existing, desired);
  return Object.keys(changes).length === 0 ? existing : remembered(providerContext().api.agents.update(environmentId, existing.id, changes, desired));
}

/** The configuration as the protocol will hold it, so a diff compares like with like (unknown values untouched). */
function asHeld(desired: AgentDesired): AgentDesired {
  const { systemPrompt, promptBlocks, toolsBlockConfig, memoryConfig } = desired;
  const known = {
    ...(isUnknown(systemPrompt) || isUnknown(promptBlocks) ? {} : { systemPrompt, promptBlocks }),
    ...(isUnknown(toolsBlockConfig) ? {} : { toolsBlockConfig }),
    ...(isUnknown(memoryConfig) ? {} : { memoryConfig }),
  };
  return { ...desired, ...providerContext().api.agents.held(known) };
}

const describedAgent = (inputs: { slug: string; environment: string }) => `agent "${inputs.slug}" in environment "${inputs.environment}"`;

export const agentProvider = engineProvider<AgentDesired, AgentOutputs>({
  async check(olds, news) {
    const checked = checkInputs(AgentInputs, news);
    const prior = Object.keys(olds).length > 0 ? (knownFields(olds) as Partial<DeclaredAgent>) : undefined;
    const limits = await protocolFailures((api) => api.agents.limits(knownFields(checked.inputs), prior));
    if (checked.failures.length > 0 || limits.length > 0) return { inputs: checked.inputs, failures: [...checked.failures, ...limits] };
    return { inputs: asHeld(withDefaults(checked.inputs)), failures: [] };
  },

  async diff(_id, olds, news) {
    return planDiff(agentDiffPlan, olds, news);
  },

  async create(desired) {
    const context = providerContext();
    return describing(`creating ${describedAgent(desired)}`, async () => {
      const environment = await requireEnvironment(context, desired.project, desired.environment);
      const request = { slug: desired.slug, ...mutableFieldsOf(desired) };
      const journalled: JournalledCreate = { kind: "agent", declaredBy: desired.declaredBy, request: { environmentId: environment.id, ...request } };
      // Look before creating: a real Platos agent service suffixes a taken slug instead of refusing it.
      const existing = [...(await context.cache.listOf("agents", environment.id)).values()].find((agent) => agent.slug === desired.slug);
      const agent = existing
        ? await takeOver(desired.adopt, journalled, existing, describedAgent(desired), () => adopt(environment.id, existing, desired))
        : await sendJournalled(journalled, () => remembered(context.api.agents.create(environment.id, request)));
      return { id: agent.id, outs: await toOutputs(agent, desired) };
    });
  },

  async read(id, prior) {
    const { cache } = providerContext();
    // One list per environment serves the refresh of all its agents.
    const agent = (await describing(`reading ${describedAgent(prior)}`, () => cache.listOf("agents", prior.environmentId))).get(id);
    if (!agent) return { id: "" };
    const outs = await toOutputs(agent, prior);
    return { id, props: outs, inputs: inputsOf(outs, OUTPUT_ONLY) };
  },

  async update(id, prior, desired) {
    const { api } = providerContext();
    const agent = await describing(`updating ${describedAgent(desired)}`, () =>
      remembered(api.agents.update(prior.environmentId, id, changedFields(prior, desired), desired)),
    );
    return { outs: await toOutputs(agent, desired) };
  },

  async delete(id, props) {
    const { api, cache } = providerContext();
    await describing(`deleting ${describedAgent(props)}`, () => api.agents.delete(props.environmentId, id, props.slug));
    await cache.forget("agents", props.environmentId, id);
  },
});
