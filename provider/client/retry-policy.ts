/**
 * Which failures are worth another attempt, and how long to wait before it. Pure functions: the transport loop
 * only asks these, and tests drive them with tables.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

export type AttemptOutcome =
  | { readonly kind: "response"; readonly status: number }
  /** The connection failed, was reset or dropped, or the attempt ran past its own deadline. */
  | { readonly kind: "connection" };

export const RETRYABLE_STATUSES: readonly number[] = [429, 502, 503, 504];

export function isRetryable(outcome: AttemptOutcome): boolean {
  return outcome.kind === "connection" || RETRYABLE_STATUSES.includes(outcome.status);
}

/**
 * A 429 is not backed off here: the pacer (pacing.ts) holds its retry, and every other request to the same API
 * with the same credential, until the server's window reopens.
 */
export function waitsForRateLimit(outcome: AttemptOutcome): boolean {
  return outcome.kind === "response" && outcome.status === 429;
}

/** `attempt` counts from 1: the attempt that just produced `outcome`. */
export function shouldRetry(attempt: number, outcome: AttemptOutcome, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean {
  return attempt < policy.maxAttempts && isRetryable(outcome);
}

/**
 * Exponential backoff with full jitter, capped; a server's Retry-After (on a 503) is a floor, never shortened by
 * jitter.
 */
export function delayMs(
  attempt: number,
  retryAfterSec: number | undefined,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(ceiling * random());
  return retryAfterSec === undefined ? jittered : Math.max(retryAfterSec * 1000, jittered);
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
