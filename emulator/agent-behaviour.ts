/**
 * How an agent's versioned behaviour is filled in and changed; pure, so the store only decides where it goes.
 * A request's `metaTools` lists overrides of DEFAULT_META_TOOLS, on create and on update alike, so sending the
 * same map always yields the same behaviour.
 */
import {
  AGENT_BEHAVIOUR_FIELDS,
  AGENT_DEFAULTS,
  DEFAULT_META_TOOLS,
  type AgentBehaviour,
  type CreateAgent,
  type UpdateAgent,
} from "../provider/client/schemas";

type BehaviourInput = Partial<AgentBehaviour>;

function givenFields(input: BehaviourInput): BehaviourInput {
  const given: Record<string, unknown> = {};
  for (const field of AGENT_BEHAVIOUR_FIELDS) {
    if (input[field] !== undefined) given[field] = input[field];
  }
  return given as BehaviourInput;
}

function withMetaToolDefaults(behaviour: AgentBehaviour, input: BehaviourInput): AgentBehaviour {
  return input.metaTools === undefined ? behaviour : { ...behaviour, metaTools: { ...DEFAULT_META_TOOLS, ...input.metaTools } };
}

export function initialBehaviour(request: CreateAgent): AgentBehaviour {
  return withMetaToolDefaults({ ...AGENT_DEFAULTS, ...givenFields(request), model: request.model }, request);
}

export function patchedBehaviour(current: AgentBehaviour, patch: UpdateAgent): AgentBehaviour {
  return withMetaToolDefaults({ ...current, ...givenFields(patch) }, patch);
}

/** JSON with object keys sorted, so equal behaviours compare equal whatever order the database returns keys in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export const sameBehaviour = (a: AgentBehaviour, b: AgentBehaviour): boolean => canonical(a) === canonical(b);

/** The slug a name implies (`Support Bot` → `support-bot`); undefined when nothing usable is left. */
export function slugFromName(name: string): string | undefined {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
  return slug.length > 0 ? slug : undefined;
}
