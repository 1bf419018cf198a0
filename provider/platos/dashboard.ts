/**
 * Where a person finds a Platos object in the dashboard. The paths are the Platos webapp's own (Remix routes under
 * apps/webapp/app/routes, built by apps/webapp/app/utils/pathBuilder.ts in winsenlabs/platos): organization, project
 * and environment are addressed by slug, an agent by its id.
 */

/** The environment a page belongs to, by the slugs the dashboard's routes take. */
export interface DashboardPlace {
  readonly organizationSlug: string;
  readonly projectSlug: string;
  readonly environmentSlug: string;
}

export type DashboardPage =
  /** `v3EnvironmentPath`: the environment (it opens on its agents). */
  | { readonly kind: "environment" }
  /** `v3EnvironmentVariablesPath`: where variables are added and rotated. */
  | { readonly kind: "environment-variables" }
  /** `agentPath`. */
  | { readonly kind: "agent"; readonly agentId: string }
  /** `agentProvidersPath`: provider keys. */
  | { readonly kind: "providers" };

const segment = encodeURIComponent;

function pathOf(place: DashboardPlace, page: DashboardPage): string {
  const environment = `/orgs/${segment(place.organizationSlug)}/projects/${segment(place.projectSlug)}/env/${segment(place.environmentSlug)}`;
  switch (page.kind) {
    case "environment":
      return environment;
    case "environment-variables":
      return `${environment}/environment-variables`;
    case "agent":
      return `${environment}/agents/${segment(page.agentId)}`;
    case "providers":
      return `${environment}/agent-providers`;
  }
}

/** The page's URL under `base`, the dashboard's base URL without a trailing slash. */
export function dashboardUrl(base: string, place: DashboardPlace, page: DashboardPage): string {
  return `${base}${pathOf(place, page)}`;
}
