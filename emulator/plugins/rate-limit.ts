import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { principalKey } from "../access";
import { PlatosError } from "../errors";

/** A fixed window of `perMinute` requests per token (reads count too, as in Platos); 0 turns it off. */
export async function rateLimitPlugin(api: FastifyInstance, options: { perMinute: number }): Promise<void> {
  if (options.perMinute <= 0) return;
  await api.register(rateLimit, {
    max: options.perMinute,
    timeWindow: 60_000,
    // After onRequest, so the key is the authenticated token rather than the address.
    hook: "preParsing",
    keyGenerator: (request) => (request.principal ? principalKey(request.principal) : request.ip),
    errorResponseBuilder: (_request, context) =>
      new PlatosError("RATE_LIMITED", `at most ${context.max} requests a minute per token`, undefined, Math.max(1, Math.ceil(context.ttl / 1000))),
  });
}
