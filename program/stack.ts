/** The resources of one Platos environment: the environment, its variables, its provider keys and its agents. */
import type * as pulumi from "@pulumi/pulumi";
import { Agent, Environment, EnvironmentVariable, ProviderKey } from "pulumi-platos";
import { agents } from "./agents";
import { PROVIDER_KEYS, type StackConfig } from "./config";

interface DeployedAgent {
  readonly slug: pulumi.Output<string>;
  readonly id: pulumi.Output<string>;
  readonly versionNumber: pulumi.Output<number | null>;
  readonly dashboardUrl: pulumi.Output<string | undefined>;
}

export interface StackOutputs {
  readonly environmentId: pulumi.Output<string>;
  /** With `platos:dashboardUrl` set: the environment's page in the Platos dashboard. */
  readonly dashboardUrl: pulumi.Output<string | undefined>;
  readonly variableKeys: string[];
  readonly agents: Record<string, DeployedAgent>;
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
    const variable = new EnvironmentVariable(key.toLowerCase(), { ...target, key, value, secret: true });
    // A provider key of this environment, naming this environment's variable: keys never link across environments.
    const providerKey = PROVIDER_KEYS[key as keyof typeof PROVIDER_KEYS];
    if (providerKey && config.keysNameVariables) {
      new ProviderKey(`${providerKey.provider}-key`, { ...target, provider: providerKey.provider, label: "primary", variable, isDefault: true });
    }
  }
  // On real Platos a key's material is added in the dashboard; the stack then declares the key and adopts it.
  for (const { provider, label, credential, isDefault } of config.dashboardProviderKeys) {
    new ProviderKey(`${provider}-${label}-key`, { ...target, provider, label, variable: credential, isDefault: isDefault ?? false, adopt: true });
  }

  const deployed: StackOutputs["agents"] = {};
  for (const definition of agents) {
    const slug = agentSlug(definition.slug, config.environment);
    const agent = new Agent(`agent-${definition.slug}`, { ...definition, ...target, slug, model: config.model });
    deployed[definition.slug] = { slug: agent.slug, id: agent.id, versionNumber: agent.versionNumber, dashboardUrl: agent.dashboardUrl };
  }

  return {
    environmentId: environment.id,
    dashboardUrl: environment.dashboardUrl,
    variableKeys: [...Object.keys(config.variables), ...Object.keys(config.secrets)].sort(),
    agents: deployed,
  };
}
