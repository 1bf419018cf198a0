/** Everything `pulumi-platos import` needs from a live environment, read through the client. */
import type { Agent, Environment, EnvironmentVariable, PlatosClient } from "../client";

export interface EnvironmentSnapshot {
  readonly project: string;
  readonly environment: Environment;
  readonly variables: readonly EnvironmentVariable[];
  readonly agents: readonly Agent[];
}

export async function readSnapshot(client: PlatosClient, project: string, slug: string, progress: (line: string) => void = () => {}): Promise<EnvironmentSnapshot> {
  progress(`reading environment "${slug}" of project "${project}"`);
  const environment = await client.environments.findBySlug(project, slug);
  if (!environment) throw new Error(`environment "${slug}" was not found in project "${project}" (check --project and --environment)`);
  progress("reading variables");
  const variables = await client.variables.list(environment.id);
  progress("reading agents");
  const agents = await client.agents.list(environment.id);
  progress(`found ${variables.length} variables and ${agents.length} agents`);
  return { project, environment, variables, agents };
}
