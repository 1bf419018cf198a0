import { collect, paginate } from "./paginate";
import type { Agent, AgentVersion, CreateAgent, UpdateAgent } from "./schemas";
import type { Transport } from "./route-caller";

export function agentsApi(transport: Transport) {
  const list = (environmentId: string, filter: { slug?: string } = {}): Promise<Agent[]> =>
    collect(paginate((cursor) => transport.call("listAgents", { params: { environmentId }, query: { cursor, limit: 200, slug: filter.slug } })));
  return {
    list,
    findBySlug: async (environmentId: string, slug: string): Promise<Agent | undefined> =>
      (await list(environmentId, { slug })).find((agent) => agent.slug === slug),
    get: (environmentId: string, agentId: string): Promise<Agent> => transport.call("getAgent", { params: { environmentId, agentId } }).then((r) => r.data),
    create: (environmentId: string, body: CreateAgent): Promise<Agent> =>
      transport.call("createAgent", { params: { environmentId }, body }).then((r) => r.data),
    update: (environmentId: string, agentId: string, body: UpdateAgent): Promise<Agent> =>
      transport.call("updateAgent", { params: { environmentId, agentId }, body }).then((r) => r.data),
    delete: (environmentId: string, agentId: string): Promise<void> => transport.call("deleteAgent", { params: { environmentId, agentId } }),
    versions: (environmentId: string, agentId: string): Promise<AgentVersion[]> =>
      collect(paginate((cursor) => transport.call("listAgentVersions", { params: { environmentId, agentId }, query: { cursor, limit: 200 } }))),
  };
}
export type AgentsApi = ReturnType<typeof agentsApi>;
