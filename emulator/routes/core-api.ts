/**
 * What real core-api answers where its shapes differ from the V1 contract at the same paths: the projects and an
 * environment's variables as whole collections (paging parameters refused, `page.limit` the row count), variables
 * without `environmentId`, and a variable PUT answering 200 whether it created or updated. Served under the
 * core-api surface only (app.ts); the V1 contract keeps its own shapes at the root.
 */
import type { FastifyInstance } from "fastify";
import { principalName, projectAccess } from "../access";
import { defineCoreRoute } from "./define";
import { item, wholeCollection } from "./envelopes";
import { operatorEnvironment } from "./lookups";

export function coreApiOnlyRoutes(api: FastifyInstance): void {
  defineCoreRoute(api, "listCoreProjects", async ({ principal, store }) => {
    const { items } = await store.projects.list({ limit: Number.MAX_SAFE_INTEGER, onlyId: principal.kind === "token" ? principal.projectId : undefined });
    // The admin token is the organization's OWNER: core-api's listVisibleProjects reaches the project through it.
    const through = principal.kind === "admin" ? "organization-admin" : projectAccess(principal);
    return { status: 200, body: wholeCollection(items.map((project) => ({ ...project, through }))) };
  });

  defineCoreRoute(api, "listCoreVariables", async ({ params, principal, store }) => {
    const environment = await operatorEnvironment(store, principal, params.environmentId);
    return { status: 200, body: wholeCollection(await store.variables.list(environment.id)) };
  });

  defineCoreRoute(api, "putCoreVariable", async ({ params, body, principal, store }) => {
    const environment = await operatorEnvironment(store, principal, params.environmentId);
    const { variable } = await store.variables.put(environment.id, params.key, { value: body.value, secret: body.secret ?? false }, principalName(principal));
    return { status: 200, body: item(variable) };
  });
}
