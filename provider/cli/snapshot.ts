/** Everything `pulumi-platos import` needs from a live environment, read through the Platos API. */
import type { PlatosApi, PlatosEnvironment } from "../platos";
import { dashboardUrl } from "../platos/dashboard";
import type { ProjectSlugs } from "../platos/project-slugs";
import type { EnvironmentCollection } from "../registry";
import type { ItemOf } from "../runtime/read-cache";

/** Where each object of the snapshot is in the dashboard. */
export interface SnapshotLinks {
  /** The dashboard base URL they were made from (platos:dashboardUrl). */
  readonly base: string;
  readonly environment: string;
  readonly variables: string;
  readonly providerKeys: string;
  /** By agent slug. */
  readonly agents: Readonly<Record<string, string>>;
}

/** Each collection the registry says an environment holds, as listed: a collection added there fails `tsc` in readSnapshot. */
type Collections = { readonly [C in EnvironmentCollection]: readonly ItemOf<C>[] };

export interface EnvironmentSnapshot extends Collections {
  readonly project: string;
  readonly environment: PlatosEnvironment;
  /** Whether a key names its material's variable (V1), or a credential added in Platos's dashboard by name. */
  readonly keysNameVariables: boolean;
  readonly dashboard?: SnapshotLinks;
}

export function dashboardLinksOf(snapshot: EnvironmentSnapshot, base: string, slugs: ProjectSlugs): SnapshotLinks {
  const place = { ...slugs, environmentSlug: snapshot.environment.slug };
  return {
    base,
    environment: dashboardUrl(base, place, { kind: "environment" }),
    variables: dashboardUrl(base, place, { kind: "environment-variables" }),
    providerKeys: dashboardUrl(base, place, { kind: "providers" }),
    agents: Object.fromEntries(snapshot.agents.map((agent) => [agent.slug, dashboardUrl(base, place, { kind: "agent", agentId: agent.id })])),
  };
}

export async function readSnapshot(api: PlatosApi, project: string, slug: string, progress: (line: string) => void = () => {}): Promise<EnvironmentSnapshot> {
  progress(`reading environment "${slug}" of project "${project}"`);
  const environment = await api.environments.findBySlug(project, slug);
  if (!environment) throw new Error(`environment "${slug}" was not found in project "${project}" (check --project and --environment)`);
  progress("reading variables");
  const variables = await api.variables.list(environment.id);
  progress("reading agents");
  const agents = await api.agents.list(environment.id);
  progress("reading provider keys");
  const providerKeys = await api.providerKeys.list(environment.id);
  progress(`found ${variables.length} variables, ${agents.length} agents and ${providerKeys.length} provider keys`);
  return { project, environment, variables, agents, providerKeys, keysNameVariables: api.providerKeys.credentialsAreVariables };
}
