/**
 * The `dashboardUrl` output of every resource. There is one only when platos:dashboardUrl is set (never a guessed
 * host), and it is made at create, read and update only: the organization and project slugs come from two list
 * calls made once per provider process, so diff, check and a no-change preview or up ask nothing. A link that
 * cannot be made is left out and said once on stderr; it never fails the step it belongs to.
 */
import { dashboardUrl, type DashboardPage } from "../platos/dashboard";
import { providerContext } from "./context";
import { noticeOnce } from "./notices";
import { dashboardBaseUrl } from "./settings";

export interface DashboardTarget {
  /** Project id or slug, as the resource names it. */
  readonly project: string;
  /** Environment slug. */
  readonly environment: string;
}

/** Spread into a resource's outputs: `dashboardUrl` is there only when it could be made. */
export type DashboardLink = { readonly dashboardUrl?: string };

const NO_LINK: DashboardLink = {};
const withoutLinks = (why: string) => noticeOnce(`Platos: no dashboardUrl outputs: ${why}`);

export async function dashboardLink(target: DashboardTarget, page: DashboardPage): Promise<DashboardLink> {
  const { url: base, problem } = dashboardBaseUrl();
  if (problem !== undefined) withoutLinks(problem);
  if (base === undefined) return NO_LINK;
  let slugs;
  try {
    slugs = (await providerContext().projectSlugs()).get(target.project);
  } catch (err) {
    withoutLinks(err instanceof Error ? err.message : String(err));
    return NO_LINK;
  }
  if (!slugs) {
    noticeOnce(
      `Platos: no dashboardUrl for project "${target.project}": the projects Platos lists do not include it (or more than one has that slug: name it by id)`,
    );
    return NO_LINK;
  }
  return { dashboardUrl: dashboardUrl(base, { ...slugs, environmentSlug: target.environment }, page) };
}
