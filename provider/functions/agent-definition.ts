/** An agent's portable definition: the fields that recreate it in another environment (no ids, no versions). */
import { AGENT_BEHAVIOUR_FIELDS } from "../client/schemas";
import type { PlatosAgent } from "../platos";

export const AGENT_DEFINITION_FIELDS = ["slug", "name", "isActive", ...AGENT_BEHAVIOUR_FIELDS] as const;
export type AgentDefinitionFields = Pick<PlatosAgent, (typeof AGENT_DEFINITION_FIELDS)[number]>;

export function definitionOf(agent: PlatosAgent): AgentDefinitionFields {
  return Object.fromEntries(AGENT_DEFINITION_FIELDS.map((field) => [field, agent[field]])) as AgentDefinitionFields;
}
