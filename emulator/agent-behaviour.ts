/**
 * How an agent's versioned behaviour changes; pure, so the store only decides where it goes. The fill-in rule for
 * creates and the `metaTools` override rule live in provider/client/agent-behaviour.ts, shared with the provider.
 */
import { givenBehaviour, withMetaToolDefaults } from "../provider/client/agent-behaviour";
import type { AgentBehaviour, UpdateAgent } from "../provider/client/schemas";
import { canonicalJson } from "../provider/client/canonical-json";

export { behaviourOnCreate } from "../provider/client/agent-behaviour";

export function patchedBehaviour(current: AgentBehaviour, patch: UpdateAgent): AgentBehaviour {
  return withMetaToolDefaults({ ...current, ...givenBehaviour(patch) }, patch);
}

export const sameBehaviour = (a: AgentBehaviour, b: AgentBehaviour): boolean => canonicalJson(a) === canonicalJson(b);

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
