/**
 * How the API fills in an agent's versioned behaviour: a create takes the defaults for every field it leaves out,
 * and `metaTools` (on create and update alike) lists overrides of DEFAULT_META_TOOLS. The emulator applies this
 * rule and the provider predicts with it, so the two cannot disagree.
 */
import { AGENT_BEHAVIOUR_FIELDS, AGENT_DEFAULTS, DEFAULT_META_TOOLS, type AgentBehaviour } from "./schemas";

type BehaviourInput = Partial<AgentBehaviour>;

/** The behaviour fields a request actually gives. */
export function givenBehaviour(input: BehaviourInput): BehaviourInput {
  const given: Record<string, unknown> = {};
  for (const field of AGENT_BEHAVIOUR_FIELDS) {
    if (input[field] !== undefined) given[field] = input[field];
  }
  return given as BehaviourInput;
}

export function withMetaToolDefaults(behaviour: AgentBehaviour, input: BehaviourInput): AgentBehaviour {
  return input.metaTools === undefined ? behaviour : { ...behaviour, metaTools: { ...DEFAULT_META_TOOLS, ...input.metaTools } };
}

/** What the server holds after a create that gives `request`. */
export function behaviourOnCreate(request: BehaviourInput & Pick<AgentBehaviour, "model">): AgentBehaviour {
  return withMetaToolDefaults({ ...AGENT_DEFAULTS, ...givenBehaviour(request), model: request.model }, request);
}
