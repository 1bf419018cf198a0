import type { FastifyInstance } from "fastify";
import { canManageEnvironments, reachableSlugs } from "../access";
import { forbidden, PlatosError } from "../errors";
import { defineRoute } from "./define";
import { collectionOf, item } from "./envelopes";
import { reachableEnvironment, reachableProject } from "./lookups";
import { paged } from "./paging";
import { unlessRefused } from "./refusals";

const notFound = () => new PlatosError("TENANCY_NOT_FOUND", "environment not found");

export function environmentRoutes(api: FastifyInstance): void {
  defineRoute(api, "listEnvironments", async ({ params, query, principal, store }) => {
    const project = await reachableProject(store, principal, params.projectRef);
    const page = await store.environments.list(project.id, { ...paged(query), slugs: reachableSlugs(principal) });
    return { status: 200, body: collectionOf(page) };
  });

  defineRoute(api, "createEnvironment", async ({ params, body, principal, store }) => {
    const project = await reachableProject(store, principal, params.projectRef);
    if (!canManageEnvironments(principal, project.id)) throw forbidden();
    const environment = unlessRefused(await store.environments.create(project.id, { slug: body.slug, name: body.name ?? body.slug }));
    return { status: 201, body: item(environment) };
  });

  defineRoute(api, "getEnvironment", async ({ params, principal, store }) => {
    return { status: 200, body: item(await reachableEnvironment(store, principal, params.environmentId)) };
  });

  defineRoute(api, "updateEnvironment", async ({ params, body, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const renamed = await store.environments.rename(environment.id, body.name);
    if (!renamed) throw notFound();
    return { status: 200, body: item(renamed) };
  });

  defineRoute(api, "deleteEnvironment", async ({ params, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    if (!canManageEnvironments(principal, environment.projectId)) throw forbidden();
    if (!(await store.environments.archive(environment.id))) throw notFound();
    return { status: 204 };
  });
}
