import type { FastifyInstance } from "fastify";
import { canReachEnvironment, canReachProject } from "../access";
import { PlatosError } from "../errors";
import { defineCoreRoute } from "./define";
import { item, wholeCollection } from "./envelopes";

/** core-api's tenancy not-found names the kind that is missing (tenancy's tenantNotFound: `No such ${kind}`). */
const notFound = (kind: "organization" | "project" | "environment") => new PlatosError("TENANCY_NOT_FOUND", `No such ${kind}`);

/** core-api's organization listing and environment lookup by slugs (read-only; organizations come from migrations). */
export function organizationRoutes(api: FastifyInstance): void {
  /**
   * The emulator keeps no organization memberships: the admin token is the operator, every organization's OWNER
   * (as core-api records it for an owner), and none is archived (organizations come from migrations).
   */
  defineCoreRoute(api, "listOrganizations", async ({ store }) => {
    const organizations = await store.organizations.list();
    return {
      status: 200,
      body: wholeCollection(
        organizations.map((organization) => ({
          ...organization,
          archivedAt: null,
          membership: { id: `membership-${organization.id}`, role: "OWNER", deactivatedAt: null },
        })),
      ),
    };
  });

  /**
   * The admin token is the operator: it reaches every environment, so it meets only the 404 for slugs naming no
   * live environment (environment-scope.controller.ts@1658aef4, TENANCY_NOT_FOUND). A scoped token is the
   * emulator's own principal: it sees only its scope, and an environment outside it (in another project, or a slug
   * its list lacks) is the same 404 whether or not it exists, so the lookup discloses nothing beyond the scope.
   */
  defineCoreRoute(api, "environmentBySlugs", async ({ query, principal, store }) => {
    const admin = principal.kind === "admin";
    // A scoped token is told of no kind: every refusal reads as a missing environment, so none discloses more.
    const refuse = (kind: "organization" | "project" | "environment") => notFound(admin ? kind : "environment");
    const organization = await store.organizations.findBySlug(query.organizationSlug);
    if (!organization) throw refuse("organization");
    const project = await store.projects.findByRef(query.projectSlug);
    if (!project || project.slug !== query.projectSlug || project.organizationId !== organization.id) throw refuse("project");
    if (!canReachProject(principal, project.id)) throw refuse("project");
    const environments = (await store.environments.live(project.id)).filter((candidate) => canReachEnvironment(principal, candidate));
    const environment = environments.find((candidate) => candidate.slug === query.environmentSlug);
    if (!environment) throw refuse("environment");
    const summary = ({ id, slug, name }: { id: string; slug: string; name: string }) => ({ id, slug, name });
    return {
      status: 200,
      body: item({
        organization: summary(organization),
        project: summary(project),
        environment: summary(environment),
        environments: environments.map(summary),
        access: query.access ?? "metadata",
        organizationRole: admin ? "OWNER" : null,
        // The admin is the organization's OWNER and reaches projects through it, holding no project membership:
        // core-api then says projectRole null (environment-scope.controller.ts, the by-slugs fixture).
        projectRole: null,
      }),
    };
  });
}
