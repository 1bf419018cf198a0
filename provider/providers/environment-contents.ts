/**
 * What deleting an environment would take with it, as far as the stack's credentials can tell. Platos archives the
 * environment (`archivedAt`) and with it whatever it holds: it refuses only for `prod`/`production`, for agents
 * still bound to it and for open threads, never for variables or provider keys
 * (apps/agent/src/admin/environment.service.ts@25c50f75, `deleteEnvironment`). The Environment resource cannot see
 * other resources' state. It need not: the engine deletes a resource's dependents before it, so whatever is still in
 * the environment when its own delete runs is not declared by this stack (added in the dashboard or by another
 * stack, or there before `adopt`). Such contents stop the delete unless the program says `deleteContents: true`.
 *
 * Some contents cannot be listed with what the stack holds: on `platform` a `plt_mcp_` token lists only its own
 * environment's variables, agents and provider keys (`environments.list_secrets`, `agents.list`,
 * `providers.list_keys` all act on the token's scope: tools/settings.ts@bd71ddb1, tools/providers.ts@0d40c417), so
 * without platos:operatorToken another environment's contents are unknown; a token lacking a list permission, or a
 * Platos line whose `providers.list_keys` fails (-32603), leaves that kind unknown too. Unknown is not empty: the
 * delete then stops before writing, naming every way out.
 */
import { isApiError, isForbidden } from "../client/errors";
import type { PlatosApi } from "../platos";
import { isProtocolLimit } from "../platos/limits";
import type { EnvironmentCollection } from "../registry";
import { COLLECTIONS, type ItemOf } from "../runtime/read-cache";

/** A kind of contents that could not be listed, and why. */
export interface UncheckedContents {
  readonly what: string;
  readonly reason: string;
  /** What would let it be listed, when the refusal says. */
  readonly wayOut?: string;
}

export interface EnvironmentContents {
  /** The objects left, as messages name them; empty when nothing is left (of what could be listed). */
  readonly left: readonly string[];
  readonly unchecked: readonly UncheckedContents[];
}

type Listed<T> = { readonly items: T[] } | { readonly unchecked: UncheckedContents };

/**
 * A failure that says these credentials cannot make the check, not that Platos is down: the reach limit of a pinned
 * token, a refused permission, or an internal error of the list tool. Anything else (transport, rate limits) is
 * thrown as it is: trying again is the way out there.
 */
function uncheckable(what: string, err: unknown): UncheckedContents | undefined {
  const reason = err instanceof Error ? err.message : String(err);
  if (isProtocolLimit(err)) return { what, reason: err.limit.limitation, wayOut: err.limit.wayOut };
  if (isForbidden(err)) return { what, reason, wayOut: "give platos:token the permission to list them (see the README's permission table)" };
  if (isApiError(err) && err.title === "internal") return { what, reason };
  return undefined;
}

async function listing<T>(what: string, list: () => Promise<T[]>): Promise<Listed<T>> {
  try {
    return { items: await list() };
  } catch (err) {
    const unchecked = uncheckable(what, err);
    if (!unchecked) throw err;
    return { unchecked };
  }
}

/** How a message names each collection an environment holds (the registry's), and each item left in it; in message order. */
const NAMED: { readonly [C in EnvironmentCollection]: { readonly what: string; name(item: ItemOf<C>): string } } = {
  variables: { what: "variables", name: (variable) => variable.key },
  providerKeys: { what: "provider keys", name: (key) => `${key.provider} "${key.label}"` },
  agents: { what: "agents", name: (agent) => `"${agent.slug}"` },
};

/** One collection's items left, as a message names them, or why it could not be listed. */
async function leftIn<C extends EnvironmentCollection>(api: PlatosApi, environmentId: string, collection: C): Promise<Listed<string>> {
  const { what, name } = NAMED[collection];
  const listed = await listing(what, () => COLLECTIONS[collection].list(api, environmentId));
  return "unchecked" in listed ? listed : { items: listed.items.map((item) => name(item)) };
}

/** What is left in the environment, and what could not be checked; both empty when nothing would go with it. */
export async function contentsOf(api: PlatosApi, environmentId: string): Promise<EnvironmentContents> {
  const collections = Object.keys(NAMED) as EnvironmentCollection[];
  const listed = await Promise.all(collections.map((collection) => leftIn(api, environmentId, collection)));
  const left: string[] = [];
  const unchecked: UncheckedContents[] = [];
  listed.forEach((each, index) => {
    if ("unchecked" in each) unchecked.push(each.unchecked);
    else if (each.items.length > 0) left.push(`${NAMED[collections[index]!].what} ${[...each.items].sort().join(", ")}`);
  });
  return { left, unchecked };
}

/** "a", "a and b", "a, b and c". */
const listed = (items: readonly string[]) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);

/** The kinds that failed for the same reason, said once. */
function uncheckedSentences(unchecked: readonly UncheckedContents[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const { what, reason } of unchecked) byReason.set(reason, [...(byReason.get(reason) ?? []), what]);
  return [...byReason].map(([reason, whats]) => `its ${listed(whats)} cannot be listed (${reason})`);
}

const DELETE_CONTENTS_WAY_OUT = "set `deleteContents: true` on the Environment to delete it with whatever it holds (Platos's own refusals still apply)";
const RETAIN_WAY_OUT = "set `retain: true` to leave the environment in Platos";

/**
 * Why the delete must not run, or undefined when nothing undeclared is left and everything could be checked. One
 * message: what is left, what could not be checked and why, and every way out.
 */
export function contentsError(what: string, contents: EnvironmentContents): Error | undefined {
  const { left, unchecked } = contents;
  if (unchecked.length === 0) return left.length === 0 ? undefined : unmanagedContentsError(what, left);
  const found = left.length > 0 ? ` It does hold what this stack does not declare: ${left.join("; ")}.` : "";
  const listingWayOuts = [...new Set(unchecked.flatMap((u) => (u.wayOut ? [u.wayOut] : [])))];
  return new Error(
    `deleting ${what} cannot check that it takes nothing this stack does not declare: ${uncheckedSentences(unchecked).join("; ")}.${found} ` +
      "The delete takes an environment's variables and provider keys with it (Platos refuses it only while agents or open threads use it), so nothing is deleted until they can be checked. " +
      `Ways out: ${[...listingWayOuts, DELETE_CONTENTS_WAY_OUT, RETAIN_WAY_OUT].join("; or ")}.`,
  );
}

function unmanagedContentsError(what: string, left: readonly string[]): Error {
  return new Error(
    `deleting ${what} would also delete what this stack does not declare: ${left.join("; ")}. ` +
      "Pulumi deletes the resources that use an environment before the environment, so these were made outside this stack " +
      "(in the dashboard, by another stack, or before it was adopted). Way out: declare them in this stack (with `adopt: true`), " +
      "or remove them in Platos, or set `deleteContents: true` on the Environment to delete them with it, " +
      "or `retain: true` to leave the environment in Platos. A resource of this stack whose `environment` is a plain string " +
      "rather than the Environment's `slug` output may be deleted after it: pass `environment: env.slug`.",
  );
}
