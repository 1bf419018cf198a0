/**
 * The organization and project slugs the dashboard's paths take, where tokens and objects carry only ids. Both
 * protocols read them from the same two routes, core-api's whole collections `GET /api/v1/projects` and
 * `GET /api/v1/organizations`: with the V1 token at platos:apiUrl, or on the platform protocol with the operator
 * token at platos:coreApiUrl (core-api takes an operator session; a `plt_mcp_` token reaches neither route). Read
 * once per reader, failures included, so a process asks at most twice. Each protocol's descriptor says which credential.
 */
import type { TransportConfig } from "../client/transport";
import type { PlatosSettings } from "./api";
import { ProtocolLimitError } from "./limits";
import { coreApiClient } from "./platform/core-api";
import { protocolDescriptor } from "./protocols";

export interface ProjectSlugs {
  readonly organizationSlug: string;
  readonly projectSlug: string;
}

/** Every project the credential lists, by id, and by slug where the slug names one project only. */
export type ProjectSlugsByRef = ReadonlyMap<string, ProjectSlugs>;

export type ProjectSlugsReader = () => Promise<ProjectSlugsByRef>;

const SLUGS_NEED_OPERATOR = {
  limitation: "dashboard links need the organization and project slugs, and on the platform protocol only core-api lists them, to an operator session",
  wayOut: "set platos:operatorToken, or leave platos:dashboardUrl unset",
};

async function readAll(config: TransportConfig): Promise<ProjectSlugsByRef> {
  const core = coreApiClient(config);
  const [projects, organizations] = await Promise.all([core.projects.list(), core.organizations.list()]);
  const organizationSlugs = new Map(organizations.map((organization) => [organization.id, organization.slug]));
  const slugCounts = new Map<string, number>();
  for (const { slug } of projects) slugCounts.set(slug, (slugCounts.get(slug) ?? 0) + 1);
  const byRef = new Map<string, ProjectSlugs>();
  for (const project of projects) {
    const organizationSlug = organizationSlugs.get(project.organizationId);
    if (organizationSlug === undefined) continue;
    const slugs = { organizationSlug, projectSlug: project.slug };
    byRef.set(project.id, slugs);
    if (slugCounts.get(project.slug) === 1) byRef.set(project.slug, slugs);
  }
  return byRef;
}

export function projectSlugsReader(settings: PlatosSettings, tuning: Omit<TransportConfig, "apiUrl" | "token"> = {}): ProjectSlugsReader {
  const { apiUrl, token, settingNames } = protocolDescriptor(settings.protocol).slugSource(settings);
  let read: Promise<ProjectSlugsByRef> | undefined;
  return () =>
    (read ??= token === undefined ? Promise.reject(new ProtocolLimitError(SLUGS_NEED_OPERATOR)) : readAll({ ...tuning, apiUrl, token, settingNames }));
}
