import type { FastifyInstance } from "fastify";
import { projectAccess, requireAdmin, type Principal } from "../access";
import type { ProjectRecord } from "../store/projects";
import { defineRoute } from "./define";
import { collection, item } from "./envelopes";
import { reachableProject } from "./lookups";

const withAccess = (principal: Principal) => (project: ProjectRecord) => ({ ...project, through: projectAccess(principal) });

export function projectRoutes(api: FastifyInstance): void {
  defineRoute(api, "listProjects", async ({ query, principal, store }) => {
    const { items, page } = await store.projects.list({ ...query, onlyId: principal.kind === "token" ? principal.projectId : undefined });
    return { status: 200, body: collection(items.map(withAccess(principal)), page) };
  });

  defineRoute(api, "getProject", async ({ params, principal, store }) => {
    const project = await reachableProject(store, principal, params.projectRef);
    return { status: 200, body: item(withAccess(principal)(project)) };
  });

  defineRoute(api, "createProject", async ({ body, principal, store }) => {
    requireAdmin(principal);
    return { status: 201, body: item(withAccess(principal)(await store.projects.create(body))) };
  });
}
