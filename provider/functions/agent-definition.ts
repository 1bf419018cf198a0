/** An agent's portable definition: the fields that recreate it in another environment (no ids, no versions). */
import type { Agent } from "../client";
import { AGENT_BEHAVIOUR_FIELDS } from "../client/schemas";

export const AGENT_DEFINITION_FIELDS = ["slug", "name", "isActive", ...AGENT_BEHAVIOUR_FIELDS] as const;
export type AgentDefinitionFields = Pick<Agent, (typeof AGENT_DEFINITION_FIELDS)[number]>;

export function definitionOf(agent: Agent): AgentDefinitionFields {
  return Object.fromEntries(AGENT_DEFINITION_FIELDS.map((field) => [field, agent[field]])) as AgentDefinitionFields;
}
