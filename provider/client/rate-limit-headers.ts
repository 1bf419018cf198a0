/**
 * What a server's response headers say about the budget left in its current rate-limit window, in the spellings
 * seen in the wild: `X-RateLimit-Remaining/-Reset` (@fastify/rate-limit: Reset in seconds; GitHub: Reset as an
 * epoch time), the IETF draft's `RateLimit-Remaining/-Reset` (up to draft 06) and its structured `RateLimit` field
 * (draft 07: `limit=10, remaining=5, reset=3`; draft 08 on: `"policy";r=5;t=3`, one item per policy). Real Platos
 * sends none of these, only Retry-After on a 429; the pacer uses them when a server does.
 */
export interface WindowBudget {
  /** Requests the server would still accept in its current window when it answered. */
  readonly remaining: number;
  /** When that window ends, in ms since the epoch. */
  readonly resetAt: number;
}

export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** A Reset this large is a point in time (epoch seconds), not a delay. */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function whole(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return undefined;
  return Number(text);
}

function resetTime(seconds: number, now: number): number {
  return seconds >= EPOCH_SECONDS_FLOOR ? seconds * 1000 : now + seconds * 1000;
}

/** `X-RateLimit-*` or the draft's `RateLimit-*`: one number per header. */
function separateFields(headers: ResponseHeaders, prefix: string, now: number): WindowBudget | undefined {
  const remaining = whole(header(headers, `${prefix}remaining`));
  const reset = whole(header(headers, `${prefix}reset`));
  return remaining === undefined || reset === undefined ? undefined : { remaining, resetAt: resetTime(reset, now) };
}

/** Parameters `key=value` of one structured-field member, keys lower-cased. */
function parameters(member: string): Map<string, number | undefined> {
  const found = new Map<string, number | undefined>();
  for (const part of member.split(/[;,]/)) {
    const [key, value] = part.split("=", 2);
    if (key !== undefined && value !== undefined) found.set(key.trim().toLowerCase(), whole(value));
  }
  return found;
}

/** The `RateLimit` field: the policy with the least left decides, since any exhausted policy refuses. */
function structuredField(value: string, now: number): WindowBudget | undefined {
  const members = /(^|[\s,;])remaining=/i.test(value) ? [value] : value.split(",");
  let tightest: WindowBudget | undefined;
  for (const member of members) {
    const params = parameters(member);
    const remaining = params.get("remaining") ?? params.get("r");
    const reset = params.get("reset") ?? params.get("t");
    if (remaining === undefined || reset === undefined) continue;
    const budget = { remaining, resetAt: resetTime(reset, now) };
    if (!tightest || budget.remaining < tightest.remaining || (budget.remaining === tightest.remaining && budget.resetAt > tightest.resetAt)) {
      tightest = budget;
    }
  }
  return tightest;
}

/** Undefined when the headers carry no complete remaining + reset pair. Header names as Node gives them (lower case). */
export function readWindowBudget(headers: ResponseHeaders, now: number = Date.now()): WindowBudget | undefined {
  const structured = header(headers, "ratelimit");
  return (
    (structured === undefined ? undefined : structuredField(structured, now)) ??
    separateFields(headers, "ratelimit-", now) ??
    separateFields(headers, "x-ratelimit-", now)
  );
}
