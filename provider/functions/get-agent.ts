/**
 * Program-side lookup of an agent's definition, for promotion: read the agent from one environment and declare it
 * in another (the docs' "Clone to environment", as code). Credentials come from the same stack config the
 * provider uses, read when the function runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { createClient } from "../client";
import type { AgentArgs } from "../resources/agent";
import { CONFIG_KEYS } from "../runtime/settings";
import { AGENT_DEFINITION_FIELDS, definitionOf, type AgentDefinitionFields } from "./agent-definition";

export interface GetAgentArgs {
  readonly project: string;
  /** Environment slug to read from, e.g. "dev". */
  readonly environment: string;
  readonly slug: string;
}

/** An agent's portable definition: what `new Agent(...)` needs besides project and environment. */
export type AgentDefinition = AgentDefinitionFields & {
  /** The source version, for the record; not an input of Agent. */
  readonly sourceVersionNumber: number;
};

export interface ApiAccess {
  readonly apiUrl?: string;
  readonly token?: string;
}

function access(overrides: ApiAccess): { apiUrl: string; token: string } {
  const apiUrl = overrides.apiUrl ?? pulumi.runtime.getConfig(CONFIG_KEYS.apiUrl) ?? process.env.PLATOS_API_URL;
  const token = overrides.token ?? pulumi.runtime.getConfig(CONFIG_KEYS.token) ?? process.env.PLATOS_TOKEN;
  if (!apiUrl || !token) throw new Error(`getAgent needs ${CONFIG_KEYS.apiUrl} and ${CONFIG_KEYS.token} in stack config (or PLATOS_API_URL / PLATOS_TOKEN)`);
  return { apiUrl, token };
}

export async function getAgent(args: GetAgentArgs, overrides: ApiAccess = {}): Promise<AgentDefinition> {
  const client = createClient(access(overrides));
  const environment = await client.environments.findBySlug(args.project, args.environment);
  if (!environment) throw new Error(`getAgent: environment "${args.environment}" was not found in project "${args.project}"`);
  const agent = await client.agents.findBySlug(environment.id, args.slug);
  if (!agent) throw new Error(`getAgent: agent "${args.slug}" was not found in environment "${args.environment}"`);
  return { ...definitionOf(agent), sourceVersionNumber: agent.versionNumber };
}

/**
 * The Agent inputs that reproduce a definition, field by field: `new Agent(name, { ...agentArgsFrom(def), project,
 * environment: "prod" })` promotes it.
 */
export function agentArgsFrom(definition: pulumi.Output<AgentDefinition>): Omit<AgentArgs, "project" | "environment" | "adopt"> {
  return Object.fromEntries(AGENT_DEFINITION_FIELDS.map((field) => [field, definition.apply((d) => d[field])])) as unknown as Omit<AgentArgs, "project" | "environment" | "adopt">;
}

/** `getAgent` for Pulumi inputs. */
export function getAgentOutput(args: pulumi.Input<GetAgentArgs>, overrides: ApiAccess = {}): pulumi.Output<AgentDefinition> {
  return pulumi.output(args).apply((resolved) => getAgent(resolved, overrides));
}
