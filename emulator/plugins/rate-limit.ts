import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { principalKey } from "../access";
import { PlatosError } from "../errors";

export interface RateLimitOptions {
  /** Requests a window allows per token; 0 turns limiting off. */
  readonly max: number;
  /** A minute, as in Platos, unless a test shortens it. */
  readonly windowMs?: number;
}

/**
 * A fixed window of `max` requests per token; reads count too, and so do refused requests, as in Platos's
 * RateLimitGuard. Like Platos, a refusal carries Retry-After (seconds until the window ends) and no rate headers:
 * @fastify/rate-limit's X-RateLimit-* are turned off, so a client learns the limit only from refusals.
 */
export async function rateLimitPlugin(api: FastifyInstance, options: RateLimitOptions): Promise<void> {
  if (options.max <= 0) return;
  const noRateHeaders = { "x-ratelimit-limit": false, "x-ratelimit-remaining": false, "x-ratelimit-reset": false } as const;
  await api.register(rateLimit, {
    max: options.max,
    timeWindow: options.windowMs ?? 60_000,
    // After onRequest, so the key is the authenticated token rather than the address.
    hook: "preParsing",
    keyGenerator: (request) => (request.principal ? principalKey(request.principal) : request.ip),
    addHeadersOnExceeding: noRateHeaders,
    // Retry-After is set with the error body, from the same number (emulator/errors.ts sendError).
    addHeaders: { ...noRateHeaders, "retry-after": false },
    errorResponseBuilder: (_request, context) => {
      const retryAfterSec = Math.max(1, Math.ceil(context.ttl / 1000));
      return new PlatosError("RATE_LIMITED", `Rate limit reached. Try again in ${retryAfterSec} seconds.`, undefined, retryAfterSec);
    },
  });
}
