import type { FastifyInstance } from "fastify";
import { canReachEnvironment, canReachProject } from "../access";
import { PlatosError } from "../errors";
import { defineCoreRoute } from "./define";
import { item, wholeCollection } from "./envelopes";

const notFound = () => new PlatosError("TENANCY_NOT_FOUND", "no such organization, project or environment");

/** core-api's organization listing and environment lookup by slugs (read-only; organizations come from migrations). */
export function organizationRoutes(api: FastifyInstance): void {
  defineCoreRoute(api, "listOrganizations", async ({ store }) => ({ status: 200, body: wholeCollection(await store.organizations.list()) }));

  /**
   * The admin token is the operator: it reaches every environment, so it meets only the 404 for slugs naming no
   * live environment (environment-scope.controller.ts@1658aef4, TENANCY_NOT_FOUND). A scoped token is the
   * emulator's own principal: it sees only its scope, and an environment outside it (in another project, or a slug
   * its list lacks) is the same 404 whether or not it exists, so the lookup discloses nothing beyond the scope.
   */
  defineCoreRoute(api, "environmentBySlugs", async ({ query, principal, store }) => {
    const organization = await store.organizations.findBySlug(query.organizationSlug);
    const project = organization && (await store.projects.findByRef(query.projectSlug));
    if (!organization || !project || project.slug !== query.projectSlug || project.organizationId !== organization.id) throw notFound();
    if (!canReachProject(principal, project.id)) throw notFound();
    const environments = (await store.environments.live(project.id)).filter((candidate) => canReachEnvironment(principal, candidate));
    const environment = environments.find((candidate) => candidate.slug === query.environmentSlug);
    if (!environment) throw notFound();
    const summary = ({ id, slug, name }: { id: string; slug: string; name: string }) => ({ id, slug, name });
    const admin = principal.kind === "admin";
    return {
      status: 200,
      body: item({
        organization: summary(organization),
        project: summary(project),
        environment: summary(environment),
        environments: environments.map(summary),
        access: query.access ?? "metadata",
        organizationRole: admin ? "OWNER" : null,
        projectRole: admin ? "ADMIN" : null,
      }),
    };
  });
}
