import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { coreApiRoutes, CoreCreateProjectRequest, type CoreCreateProject } from "../../provider/client/platform/core-api";
import { routes } from "../../provider/client/routes";
import { CreateProjectRequest, type CreateProject } from "../../provider/client/schemas";
import { projectAccess, requireAdmin, type Principal } from "../access";
import type { ProjectRecord } from "../store/projects";
import { defineRoute, defineSpecRoute } from "./define";
import { collection, item } from "./envelopes";
import { reachableProject } from "./lookups";
import { paged } from "./paging";
import { unlessRefused } from "./refusals";

const withAccess = (principal: Principal) => (project: ProjectRecord) => ({ ...project, through: projectAccess(principal) });

const isCoreBody = (body: unknown): boolean => typeof body === "object" && body !== null && "organizationId" in body;

/** Either body, each checked by its own schema so a bad field gets that schema's error code. */
const EitherProjectBody = z.unknown().transform((body, context): CreateProject | CoreCreateProject => {
  const parsed = isCoreBody(body) ? CoreCreateProjectRequest.safeParse(body) : CreateProjectRequest.safeParse(body);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) context.addIssue({ ...issue });
  return z.NEVER;
});

/** `POST /api/v1/projects` serves the V1 body `{slug, name}` and core-api's, answering each in its own shape. */
const createEitherProject = {
  ...routes.createProject,
  body: EitherProjectBody,
  response: z.union([routes.createProject.response, coreApiRoutes.createCoreProject.response]),
  fieldCodes: { ...routes.createProject.fieldCodes, ...coreApiRoutes.createCoreProject.fieldCodes },
} as const;

export function projectRoutes(api: FastifyInstance): void {
  defineRoute(api, "listProjects", async ({ query, principal, store }) => {
    const { items, page } = await store.projects.list({ ...paged(query), onlyId: principal.kind === "token" ? principal.projectId : undefined });
    return { status: 200, body: collection(items.map(withAccess(principal)), page) };
  });

  defineRoute(api, "getProject", async ({ params, principal, store }) => {
    const project = await reachableProject(store, principal, params.projectRef);
    return { status: 200, body: item(withAccess(principal)(project)) };
  });

  defineSpecRoute(api, createEitherProject, async ({ body, principal, store }) => {
    requireAdmin(principal);
    if (!("organizationId" in body)) return { status: 201 as const, body: item(withAccess(principal)(unlessRefused(await store.projects.create(body)))) };
    const created = unlessRefused(
      await store.projects.createWithEnvironment(
        body.organizationId,
        { slug: body.slug, name: body.name },
        { slug: body.environmentSlug, name: body.environmentName },
      ),
    );
    const { id, slug, name, createdAt } = created.environment;
    // No memberships are kept: the operator (the admin token) is reported as the project's ADMIN.
    return {
      status: 201 as const,
      body: item({
        project: created.project,
        environment: { id, slug, name, createdAt },
        membership: { id: `membership-${created.project.id}`, role: "ADMIN" },
      }),
    };
  });
}
