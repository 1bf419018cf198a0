/**
 * Program-side lookup of an agent's definition, for promotion: read the agent from one environment and declare it
 * in another (the docs' "Clone to environment", as code). Credentials come from the same stack config the
 * provider uses, read when the function runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { createPlatosApi } from "../platos";
import type { AgentArgs } from "../resources/agent";
import { readSettings, withOverrides } from "../runtime/settings";
import type { AgentDefinitionShape } from "../resources/public-shapes";
import { AGENT_DEFINITION_FIELDS, definitionOf } from "./agent-definition";

export interface GetAgentArgs {
  readonly project: string;
  /** Environment slug to read from, e.g. "dev". */
  readonly environment: string;
  readonly slug: string;
}

/** An agent's portable definition: what `new Agent(...)` needs besides project and environment. */
export type AgentDefinition = AgentDefinitionShape & {
  /** The source version, for the record; not an input of Agent. Null on the platform protocol, which does not report it. */
  readonly sourceVersionNumber: number | null;
};

/**
 * Settings that win over the stack config (`platos:*`), which wins over the environment (PLATOS_*). Written out so
 * the published declarations need no zod; test/types/public-types.ts holds it to the provider's settings.
 */
export interface ApiAccess {
  protocol?: string;
  apiUrl?: string;
  coreApiUrl?: string;
  token?: string;
  operatorToken?: string;
  dashboardUrl?: string;
}

export async function getAgent(args: GetAgentArgs, overrides: ApiAccess = {}): Promise<AgentDefinition> {
  const reading = readSettings(withOverrides(overrides, { get: (key) => pulumi.runtime.getConfig(key) }));
  if (reading.problems) throw new Error(`getAgent: ${reading.problems.join("; ")}`);
  const api = createPlatosApi(reading.settings);
  const environment = await api.environments.findBySlug(args.project, args.environment);
  if (!environment) throw new Error(`getAgent: environment "${args.environment}" was not found in project "${args.project}"`);
  const agent = await api.agents.findBySlug(environment.id, args.slug);
  if (!agent) throw new Error(`getAgent: agent "${args.slug}" was not found in environment "${args.environment}"`);
  return { ...definitionOf(agent), sourceVersionNumber: agent.versionNumber };
}

/**
 * The Agent inputs that reproduce a definition, field by field: `new Agent(name, { ...agentArgsFrom(def), project,
 * environment: "prod" })` promotes it.
 */
export function agentArgsFrom(definition: pulumi.Output<AgentDefinition>): Omit<AgentArgs, "project" | "environment" | "adopt"> {
  return Object.fromEntries(AGENT_DEFINITION_FIELDS.map((field) => [field, definition.apply((d) => d[field])])) as unknown as Omit<
    AgentArgs,
    "project" | "environment" | "adopt"
  >;
}

/** `getAgent` for Pulumi inputs. */
export function getAgentOutput(args: pulumi.Input<GetAgentArgs>, overrides: ApiAccess = {}): pulumi.Output<AgentDefinition> {
  return pulumi.output(args).apply((resolved) => getAgent(resolved, overrides));
}
