/** The resources of one Platos environment: the environment, its variables and its agents. */
import type * as pulumi from "@pulumi/pulumi";
import { Agent, Environment, EnvironmentVariable } from "pulumi-platos";
import { agents } from "./agents";
import type { StackConfig } from "./config";

export interface StackOutputs {
  readonly environmentId: pulumi.Output<string>;
  readonly variableKeys: string[];
  readonly agents: Record<string, { slug: pulumi.Output<string>; id: pulumi.Output<string>; versionNumber: pulumi.Output<number | null> }>;
}

/**
 * An agent's slug in one environment. Real Platos keeps agent slugs unique across a project (each environment
 * binds its own agents, and no tool binds one agent to a second environment), so every stack names its agents
 * after its environment: `support-dev`, `support-prod`.
 */
export const agentSlug = (slug: string, environment: string) => `${slug}-${environment}`;

export function platosStack(config: StackConfig): StackOutputs {
  const { project, adopt } = config;
  const environment = new Environment(
    "environment",
    { project, slug: config.environment, name: config.environmentName, adopt },
    { retainOnDelete: config.retainEnvironment },
  );
  // Referencing the environment's outputs orders every write after it, and a replaced environment replaces them.
  const target = { project, environment: environment.slug, adopt };

  for (const [key, value] of Object.entries(config.variables)) {
    new EnvironmentVariable(key.toLowerCase(), { ...target, key, value });
  }
  for (const [key, value] of Object.entries(config.secrets)) {
    new EnvironmentVariable(key.toLowerCase(), { ...target, key, value, secret: true });
  }

  const deployed: StackOutputs["agents"] = {};
  for (const definition of agents) {
    const slug = agentSlug(definition.slug, config.environment);
    const agent = new Agent(`agent-${definition.slug}`, { ...definition, ...target, slug, model: config.model });
    deployed[definition.slug] = { slug: agent.slug, id: agent.id, versionNumber: agent.versionNumber };
  }

  return {
    environmentId: environment.id,
    variableKeys: [...Object.keys(config.variables), ...Object.keys(config.secrets)].sort(),
    agents: deployed,
  };
}
