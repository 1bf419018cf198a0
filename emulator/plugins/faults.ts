/**
 * Injected failures, to prove clients retry safely. Per API request, decided before the handler runs: a 503
 * (`error503`), or a dropped connection with no response (`drop`). Decided after the handler has committed its
 * write: a dropped connection instead of the response (`dropAfter`), the case only an Idempotency-Key can save.
 * `latencyMs` delays every API request.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { PlatosError } from "../errors";

const Share = z.coerce.number().min(0).max(1);

export const FaultConfig = z
  .object({
    error503: Share.default(0),
    drop: Share.default(0),
    dropAfter: Share.default(0),
    latencyMs: z.coerce.number().int().min(0).max(60_000).default(0),
  })
  .strict()
  .refine((faults) => faults.error503 + faults.drop <= 1, { error: "error503 + drop must not exceed 1" });
export type FaultConfig = z.infer<typeof FaultConfig>;

export const NO_FAULTS: FaultConfig = FaultConfig.parse({});

/** Parses `error503=0.2,drop=0.1,dropAfter=0.1,latencyMs=50` (every part optional; empty means no faults). */
export function parseFaults(spec: string): FaultConfig {
  const entries = spec
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const [name, value, extra] = part.split("=");
      if (!name || value === undefined || extra !== undefined) throw new Error(`fault "${part}" is not name=value`);
      return [name.trim(), value.trim()] as const;
    });
  const parsed = FaultConfig.safeParse(Object.fromEntries(entries));
  if (!parsed.success)
    throw new Error(`invalid faults: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "faults"} ${issue.message}`).join("; ")}`);
  return parsed.data;
}

export type Random = () => number;

/** Ends the exchange without a response; the client sees the connection close. */
function dropConnection(request: FastifyRequest): void {
  request.raw.socket?.destroy();
}

export function faultsBeforeHandler(api: FastifyInstance, faults: FaultConfig, random: Random): void {
  if (faults.error503 === 0 && faults.drop === 0 && faults.latencyMs === 0) return;
  api.addHook("preHandler", async (request, reply) => {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const roll = random();
    if (roll < faults.error503) throw new PlatosError("SERVICE_UNAVAILABLE", "the service is temporarily unavailable (injected fault)", undefined, 1);
    if (roll < faults.error503 + faults.drop) {
      reply.hijack();
      dropConnection(request);
      return reply;
    }
    return undefined;
  });
}

/** Register after the idempotency plugin: its record of the response must be saved before the response is lost. */
export function dropAfterResponse(api: FastifyInstance, faults: FaultConfig, random: Random): void {
  if (faults.dropAfter === 0) return;
  api.addHook("onSend", async (request, _reply, payload) => {
    if (random() < faults.dropAfter) dropConnection(request);
    return payload;
  });
}
