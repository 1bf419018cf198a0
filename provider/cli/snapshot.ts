/** Everything `pulumi-platos import` needs from a live environment, read through the Platos API. */
import type { PlatosAgent, PlatosApi, PlatosEnvironment, PlatosVariable } from "../platos";

export interface EnvironmentSnapshot {
  readonly project: string;
  readonly environment: PlatosEnvironment;
  readonly variables: readonly PlatosVariable[];
  readonly agents: readonly PlatosAgent[];
}

export async function readSnapshot(api: PlatosApi, project: string, slug: string, progress: (line: string) => void = () => {}): Promise<EnvironmentSnapshot> {
  progress(`reading environment "${slug}" of project "${project}"`);
  const environment = await api.environments.findBySlug(project, slug);
  if (!environment) throw new Error(`environment "${slug}" was not found in project "${project}" (check --project and --environment)`);
  progress("reading variables");
  const variables = await api.variables.list(environment.id);
  progress("reading agents");
  const agents = await api.agents.list(environment.id);
  progress(`found ${variables.length} variables and ${agents.length} agents`);
  return { project, environment, variables, agents };
}
