/**
 * agents.*: the agents bound in the token's environment, answered as Platos AgentRecords (agent-record.ts does
 * the translation). Platos's project-wide slug rule on top of this repo's per-environment rows: a create whose
 * slug any agent of the project has (bound or not, in any environment) silently gets `-<base36 ms>`. Unknown
 * agents and arguments this repo cannot store throw, which the gateway answers with -32603.
 */
import { agentFieldsOfArgs, agentRecordOf } from "../../../provider/client/platform/agent-record";
import { CreateAgentRequest, UpdateAgentRequest, type Agent } from "../../../provider/client/schemas";
import { behaviourOnCreate, slugFromName } from "../../agent-behaviour";
import type { ToolContext, ToolHandlers } from "./context";

const recordOf = (agent: Agent, { token }: ToolContext) => agentRecordOf(agent, token.scope.organizationId);

function agentNotFound(): Error {
  return new Error("Agent not found");
}

async function uniqueInProject({ store, token }: ToolContext, slug: string): Promise<string> {
  return (await store.agents.slugTakenInProject(token.scope.projectId, slug)) ? `${slug}-${Date.now().toString(36)}` : slug;
}

export const agentTools: ToolHandlers<"agents.list" | "agents.get" | "agents.create" | "agents.update" | "agents.delete"> = {
  "agents.list": async (_args, context) => ({ agents: (await context.store.agents.listBound(context.token.scope.environmentId)).map((agent) => recordOf(agent, context)) }),

  "agents.get": async ({ agentId }, context) => {
    const agent = await context.store.agents.get(context.token.scope.environmentId, agentId);
    if (!agent) throw agentNotFound();
    return recordOf(agent, context);
  },

  "agents.create": async (args, context) => {
    const fields = agentFieldsOfArgs(args);
    const slug = typeof fields.slug === "string" ? fields.slug : slugFromName(args.name);
    if (slug === undefined) throw new Error("no slug can be made from the name");
    const request = CreateAgentRequest.parse({ ...fields, isActive: undefined, slug: await uniqueInProject(context, slug) });
    const environment = await context.store.environments.findById(context.token.scope.environmentId);
    if (!environment || environment.archived) throw new Error("environment not found");
    const agent = await context.store.agents.create(environment.environment, {
      slug: request.slug ?? slug,
      name: request.name,
      isActive: true,
      behaviour: behaviourOnCreate(request),
    });
    return recordOf(agent, context);
  },

  "agents.update": async (args, context) => {
    const { slug: _slug, ...fields } = agentFieldsOfArgs(args);
    const patch = UpdateAgentRequest.parse(fields);
    const agent = await context.store.agents.update(context.token.scope.environmentId, args.agentId, patch);
    if (!agent) throw agentNotFound();
    return recordOf(agent, context);
  },

  "agents.delete": async ({ agentId }, { store, token }) => ({ ok: await store.agents.unbind(token.scope.environmentId, agentId), agentId }),
};
