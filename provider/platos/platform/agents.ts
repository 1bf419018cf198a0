/**
 * Agents on the platform surface: agents.* act on the bindings of the token's environment, through that
 * environment's token, translated by agent-record.ts. Platos makes agent slugs unique per project and silently
 * suffixes a taken one, so a create whose result carries another slug is undone at once and fails with the way
 * out, and a create whose answer was lost is looked for before it is sent again. agents.get and agents.update throw
 * (-32603, no detail) for an agent without a binding here, so reads go through agents.list, and an update's
 * internal error is told apart from "gone" by listing.
 */
import { fromRefusal, hasCode } from "../../client/errors";
import { memoryConfigAsRead, promptOnCreate, toolsConfigAsStored, toolsConfigKeysKept } from "../../client/platform/agent-normalisation";
import { agentArgsOf, agentOfRecord, promptBlocksAsRead } from "../../client/platform/agent-record";
import { TOOLS, type ToolArgs } from "../../client/platform/tools";
import type { UpdateAgent } from "../../client/schemas";
import type { AgentConfig, AgentOperations, CreateAgentRequest, DeclaredAgent, PlatosAgent } from "../api";
import { limitFailure, ProtocolLimitError, type Limitation } from "../limits";
import type { ProjectEnvironments } from "./environments";
import type { HeldBy, HeldSlugs } from "./held-slugs";
import { sendLookingFirst } from "./retry-rule";
import type { ReachCheck, TokenScopes } from "./scopes";

const UPDATE_PROPERTIES: Readonly<Record<string, { readonly type?: unknown }>> = TOOLS["agents.update"].inputSchema.properties;

/** An update's arguments: an empty memory config is how Platos's null is written (it reads `{}` back as null). */
const updateArgsOf = (changes: UpdateAgent): UpdateAgent => (changes.memoryConfig === null ? { ...changes, memoryConfig: {} } : changes);

/** Fields set to null that agents.update's schema takes only as a value (a string or an object). */
const unclearable = (changes: UpdateAgent) =>
  Object.entries(changes)
    .filter(([field, value]) => value === null && UPDATE_PROPERTIES[field]?.type !== undefined)
    .map(([field]) => field);

/**
 * The configuration as Platos holds it after a create (agent-normalisation.ts), and after an update that sends it
 * (`withDerivedFieldsDeclared`), read back as agent-record.ts reads it. Absent fields stay absent.
 */
function heldOnPlatform<T extends Partial<AgentConfig>>(declared: T): T {
  const { systemPrompt, promptBlocks, toolsBlockConfig, memoryConfig } = declared;
  return {
    ...declared,
    ...(systemPrompt === undefined ? {} : { systemPrompt: promptOnCreate(systemPrompt, promptBlocks) }),
    ...(promptBlocks === undefined ? {} : { promptBlocks: promptBlocksAsRead(promptBlocks) }),
    ...(toolsBlockConfig === undefined ? {} : { toolsBlockConfig: toolsConfigAsStored(toolsBlockConfig) }),
    ...(memoryConfig === undefined ? {} : { memoryConfig: memoryConfigAsRead(memoryConfig) }),
  };
}

const PROMPT_KEPT = {
  limitation: "real Platos cannot clear an agent's prompt once set (agents.update takes only a string, and an empty one is stored as given)",
  wayOut: "declare the prompt you want, as `systemPrompt` or as prompt blocks, or give the agent a new slug (a new agent)",
};

const toolKeysKept = (keys: readonly string[]) => ({
  limitation: `real Platos merges an agent's toolsBlockConfig into the stored one on update, so leaving out ${keys.map((key) => `"${key}"`).join(", ")} would keep ${keys.length === 1 ? "it" : "them"}`,
  wayOut: `set ${keys.map((key) => `"${key}"`).join(", ")} to null (or to the value you want) instead of leaving ${keys.length === 1 ? "it" : "them"} out`,
});

/** What an update of a deployed agent cannot do on Platos: clear its prompt, or drop keys of its tools config. */
function agentUpdateLimits(inputs: Partial<DeclaredAgent>, prior: Partial<DeclaredAgent> | undefined): { property: string; limit: Limitation }[] {
  const sameAgent = prior !== undefined && (["project", "environment", "slug"] as const).every((field) => prior[field] === inputs[field]);
  if (!sameAgent) return [];
  const held = heldOnPlatform(inputs);
  const before = heldOnPlatform(prior);
  const limits = [];
  if (typeof before.systemPrompt === "string" && held.systemPrompt === null) limits.push({ property: "systemPrompt", limit: PROMPT_KEPT });
  if (before.toolsBlockConfig && held.toolsBlockConfig !== undefined) {
    const kept = toolsConfigKeysKept(before.toolsBlockConfig, held.toolsBlockConfig);
    if (kept.length > 0) limits.push({ property: "toolsBlockConfig", limit: toolKeysKept(kept) });
  }
  return limits;
}

/**
 * An update's changes with what Platos would otherwise derive from them stated as declared: agents.update
 * re-derives the prompt from the prompt blocks whenever a call carries blocks but no prompt
 * (agent-crud.service.ts@a9710c92 `update`, `updateSystemPrompt`), which would replace a declared prompt, so the
 * declared one (as held: given, or derived from the blocks as a create would) goes with the blocks. Without a
 * prompt to send, Platos's derivation is what `held` expects: the blocks' text, or "" (read as null) when they
 * have none. Every other field Platos takes from the call as sent (a tools config sent whole, with its mode, so the
 * merge over the stored one keeps nothing of the old but keys the program dropped, which `limits` refuses).
 */
function withDerivedFieldsDeclared(changes: UpdateAgent, declared: Partial<AgentConfig>): UpdateAgent {
  const prompt = declared.systemPrompt;
  if (changes.promptBlocks === undefined || changes.systemPrompt !== undefined || typeof prompt !== "string" || prompt === "") return changes;
  return { ...changes, systemPrompt: prompt };
}

/** A create leaves null fields out: null is what Platos fills in for them. */
const withoutNulls = (args: Record<string, unknown>) => Object.fromEntries(Object.entries(args).filter(([, value]) => value !== null));

const anotherSlugWayOut = (slug: string) => `give this environment's agent a slug of its own (e.g. "${slug}-<environment>")`;

/** A slug this machine knows Platos holds: refused before anything is sent, so no further row is made. */
const heldSlugLimit = (slug: string, by: HeldBy) =>
  by === "deleted"
    ? {
        limitation: `agent slug "${slug}" is held by an agent deleted earlier by this stack (or with the same token on this machine): Platos keeps a deleted agent's row, inactive, and its slug stays taken in the project; nothing was sent`,
        wayOut: `give the agent a new slug (e.g. "${slug}-2")`,
      }
    : {
        limitation: `agent slug "${slug}" is taken elsewhere in this project (an earlier create of it was suffixed by Platos and undone): an agent of another environment, or one deleted earlier (Platos keeps a deleted agent's row, inactive, with its slug), holds it; nothing was sent`,
        wayOut: anotherSlugWayOut(slug),
      };

export function platformAgents(scopes: TokenScopes, project: ProjectEnvironments, held: HeldSlugs, reach: ReachCheck): AgentOperations {
  const callerFor = (environmentId: string) => scopes.forEnvironment(environmentId);
  const projectId = async () => (await scopes.scope()).projectId;
  const list = (environmentId: string): Promise<PlatosAgent[]> =>
    project.unlessEnvironmentGone(environmentId, async () => (await (await callerFor(environmentId))("agents.list", {})).agents.map(agentOfRecord), []);

  return {
    limits: async (inputs, prior) => [
      ...agentUpdateLimits(inputs, prior).map(({ property, limit }) => limitFailure(property, limit)),
      ...(await reach(inputs.environment)),
    ],
    held: heldOnPlatform,
    list,
    findBySlug: async (environmentId, slug) => (await list(environmentId)).find((agent) => agent.slug === slug),
    get: async (environmentId, agentId) => (await list(environmentId)).find((agent) => agent.id === agentId),

    async create(environmentId, request: CreateAgentRequest) {
      const heldBy = await held.heldBy(await projectId(), request.slug);
      if (heldBy) throw new ProtocolLimitError(heldSlugLimit(request.slug, heldBy));
      const caller = await callerFor(environmentId);
      const args = withoutNulls(agentArgsOf(request)) as ToolArgs<"agents.create">;
      const boundWithTheSlug = async () => (await list(environmentId)).find((agent) => agent.slug === request.slug);
      // agents.create always makes an active agent.
      const deactivatedIfAsked = async (agent: PlatosAgent) =>
        request.isActive === false && agent.isActive ? agentOfRecord(await caller("agents.update", { agentId: agent.id, isActive: false })) : agent;
      // A lost answer is looked for before the create is sent again, since a second run would make a suffixed twin.
      const outcome = await sendLookingFirst(() => caller("agents.create", args), boundWithTheSlug);
      if ("found" in outcome) return deactivatedIfAsked(outcome.found);
      const { answered: record, sends } = outcome;
      if (record.slug === request.slug) return deactivatedIfAsked(agentOfRecord(record));
      await caller("agents.delete", { agentId: record.id });
      // Sent again and suffixed: an earlier send ran after all, late.
      const earlierSend = sends > 1 ? await boundWithTheSlug() : undefined;
      if (earlierSend) return deactivatedIfAsked(earlierSend);
      await held.hold(await projectId(), request.slug, "taken");
      throw new ProtocolLimitError({
        limitation: `agent slug "${request.slug}" is taken elsewhere in this project, by an agent of another environment or by one deleted earlier (Platos keeps a deleted agent's row, inactive, with its slug): Platos agent slugs are unique per project, not per environment, and it made the agent as "${record.slug}" instead (the provider removed that binding again; Platos keeps the inactive row, and a create of "${request.slug}" from this machine now fails before it is sent)`,
        wayOut: anotherSlugWayOut(request.slug),
      });
    },

    async update(environmentId, agentId, requested, declared) {
      const changes = withDerivedFieldsDeclared(requested, heldOnPlatform(declared));
      const cleared = unclearable(updateArgsOf(changes));
      if (cleared.length > 0) {
        throw new ProtocolLimitError({
          limitation: `real Platos cannot clear an agent's ${cleared.join(", ")} once set (agents.update takes only a value there)`,
          wayOut: 'set an empty value instead ("" for a prompt, {} for a config)',
        });
      }
      const caller = await callerFor(environmentId);
      try {
        return agentOfRecord(await caller("agents.update", { agentId, ...agentArgsOf(updateArgsOf(changes)) }));
      } catch (err) {
        if (!hasCode(err, "RPC_INTERNAL_ERROR") || (await list(environmentId)).some((agent) => agent.id === agentId)) throw err;
        throw fromRefusal("tools/call agents.update", "JSON-RPC -32603", {
          code: "AGENT_NOT_BOUND",
          title: "not_found",
          body: `agent ${agentId} has no binding in this environment`,
        });
      }
    },

    delete: (environmentId, agentId, slug) =>
      project.unlessEnvironmentGone(
        environmentId,
        async () => {
          const { ok } = await (await callerFor(environmentId))("agents.delete", { agentId });
          // Unbound, the row keeps its slug: a later create of it would make a suffixed twin.
          if (ok && slug !== undefined) await held.hold(await projectId(), slug, "deleted");
        },
        undefined,
      ),
  };
}
