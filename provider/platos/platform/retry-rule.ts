/**
 * Which `tools/call`s may be sent again after a failed attempt. MCP has no idempotency keys, so it depends on
 * whether the server may have acted and on what a second run of the tool does:
 *
 * 1. Any call may be resent when the server surely did not run it: the connection was refused (the request never
 *    left), or the answer was 429 or 503 (refused before the tool ran), or JSON-RPC -32099.
 * 2. After an ambiguous failure (a connection dropped or reset after sending, an attempt timeout, 502, 504) only a
 *    call whose repeat ends in the same state is resent: reads, set_secret (same value; the version goes up once
 *    more, and the provider keeps the version the last answer reports), delete_secret, environments.delete
 *    (`alreadyArchived`), agents.update (same fields: no new version), agents.delete (`ok:false`),
 *    providers.rotate_key (same variable), providers.delete_key (`not_found`, which the adapter reads as gone).
 * 3. Creates (`repeat: "makes-another"` in tools.ts: environments.create, agents.create, providers.add_key) are not: a repeat of one that ran makes
 *    `slug_taken` or `already_exists`, or worse a silently suffixed twin agent. The failure is raised instead; the
 *    environment and agent adapters then look for the object (`mayHaveRun`) before sending the create again.
 * 4. A call resent with X-Platos-Approval-Id is safe whatever the tool: an approved row runs once, and a consumed
 *    one answers its cached result.
 */
import { hasCode, isUnavailable } from "../../client/errors";
import { isRetryable } from "../../client/retry-policy";
import { TOOL_NAMES, TOOLS, type ToolName } from "../../client/platform/tools";
import type { AttemptFailure } from "../../client/transport";

/** The creates (each tool says what its repeat does: tools.ts `repeat`). */
const NOT_REPEATABLE: ReadonlySet<ToolName> = new Set(TOOL_NAMES.filter((name) => TOOLS[name].repeat === "makes-another"));

/** Socket errors that mean the request was never sent. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const REFUSED_BEFORE_RUNNING = new Set([429, 503]);

export function mayResend(tool: ToolName, withApprovalId: boolean, failure: AttemptFailure): boolean {
  if (!isRetryable(failure.outcome)) return false;
  if (withApprovalId || !NOT_REPEATABLE.has(tool)) return true;
  return failure.outcome.kind === "connection" ? NEVER_SENT.has(failure.connectionCode ?? "") : REFUSED_BEFORE_RUNNING.has(failure.outcome.status);
}

/** How often a create whose answers keep getting lost is sent, its object looked for after each. */
const CREATE_SENDS = 3;

/** A create that failed this way may have run all the same: look for its object before sending it again. */
export function mayHaveRun(err: unknown): boolean {
  return hasCode(err, "TRANSPORT_CONNECTION_FAILED") || hasCode(err, "TRANSPORT_DEADLINE_EXCEEDED") || isUnavailable(err);
}

/** What a create came to: its answer (and how many sends it took), or the object an earlier, lost send made. */
export type CreateOutcome<Answer, Found> = { readonly answered: Answer; readonly sends: number } | { readonly found: Found };

/**
 * Sends a create up to CREATE_SENDS times. After a failure that `mayHaveMade` the object (by default `mayHaveRun`;
 * `sends` is how many went out), it looks with `find` first and takes what it finds instead of sending again.
 */
export async function sendLookingFirst<Answer, Found>(
  send: () => Promise<Answer>,
  find: () => Promise<Found | undefined>,
  mayHaveMade: (err: unknown, sends: number) => boolean = mayHaveRun,
): Promise<CreateOutcome<Answer, Found>> {
  for (let sends = 1; ; sends++) {
    try {
      return { answered: await send(), sends };
    } catch (err) {
      if (!mayHaveMade(err, sends)) throw err;
      const found = await find();
      if (found) return { found };
      if (sends >= CREATE_SENDS) throw err;
    }
  }
}
