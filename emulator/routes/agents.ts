import type { FastifyInstance } from "fastify";
import { behaviourOnCreate, slugFromName } from "../agent-behaviour";
import { PlatosError } from "../errors";
import { defineRoute } from "./define";
import { collectionOf, item } from "./envelopes";
import { reachableEnvironment } from "./lookups";
import { paged } from "./paging";
import { unlessRefused } from "./refusals";

const notFound = () => new PlatosError("AGENTS_AGENT_NOT_FOUND", "no such agent in this environment");

export function agentRoutes(api: FastifyInstance): void {
  defineRoute(api, "listAgents", async ({ params, query, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    return { status: 200, body: collectionOf(await store.agents.list(environment.id, paged(query))) };
  });

  defineRoute(api, "createAgent", async ({ params, body, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const slug = body.slug ?? slugFromName(body.name);
    if (slug === undefined) {
      throw new PlatosError("AGENTS_AGENT_METADATA_INVALID", "no slug given and none can be made from the name", [
        { field: "slug", code: "required", message: "give a slug: the name has no letters or digits to make one from" },
      ]);
    }
    const agent = unlessRefused(
      await store.agents.create(environment, { slug, name: body.name, isActive: body.isActive ?? true, behaviour: behaviourOnCreate(body) }),
    );
    return { status: 201, body: item(agent) };
  });

  defineRoute(api, "getAgent", async ({ params, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const agent = await store.agents.get(environment.id, params.agentId);
    if (!agent) throw notFound();
    return { status: 200, body: item(agent) };
  });

  defineRoute(api, "updateAgent", async ({ params, body, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const agent = await store.agents.update(environment.id, params.agentId, body);
    if (!agent) throw notFound();
    return { status: 200, body: item(agent) };
  });

  defineRoute(api, "deleteAgent", async ({ params, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    if (!(await store.agents.delete(environment.id, params.agentId))) throw notFound();
    return { status: 204 };
  });

  defineRoute(api, "listAgentVersions", async ({ params, query, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const versions = await store.agents.versions(environment.id, params.agentId, paged(query));
    if (!versions) throw notFound();
    return { status: 200, body: collectionOf(versions) };
  });
}
