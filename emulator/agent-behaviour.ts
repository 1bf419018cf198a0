/**
 * How an agent's versioned behaviour changes; pure, so the store only decides where it goes. The fill-in rule for
 * creates and the `metaTools` override rule live in provider/client/agent-behaviour.ts, shared with the provider.
 */
import { givenBehaviour, withMetaToolDefaults } from "../provider/client/agent-behaviour";
import type { AgentBehaviour, UpdateAgent } from "../provider/client/schemas";

export { behaviourOnCreate } from "../provider/client/agent-behaviour";

export function patchedBehaviour(current: AgentBehaviour, patch: UpdateAgent): AgentBehaviour {
  return withMetaToolDefaults({ ...current, ...givenBehaviour(patch) }, patch);
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
