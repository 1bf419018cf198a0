/**
 * Injected faults that a test switches on and off (off: every roll misses; the latency stays), drops it forces on
 * chosen writes (the seeded ones may well miss the few creates of a small stack), and what they all did while on:
 * 503s answered, and requests never answered. Give `random` and `install` to the emulator (`faults` then sets the
 * shares of each fault).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { RequestMatcher } from "./platos-requests";
import { seededRandom } from "./seeded-random";

export class SwitchableFaults {
  on = false;
  readonly tally = { requests: 0, answered: 0, unavailable: 0 };
  private readonly rolls: () => number;
  private forced: { matches: RequestMatcher; when: "before" | "after"; left: number }[] = [];

  constructor(seed: number) {
    this.rolls = seededRandom(seed);
  }

  readonly random = (): number => (this.on ? this.rolls() : 1);

  /** Drops the connection of the nth write that `matches`, before Platos runs it or after (its answer lost). */
  dropNth(matches: RequestMatcher, when: "before" | "after", nth = 1): void {
    this.forced.push({ matches, when, left: nth });
  }

  private forcedDrop(request: FastifyRequest, when: "before" | "after"): boolean {
    const hit = this.forced.find((drop) => drop.when === when && drop.matches(request) && --drop.left === 0);
    if (hit) this.forced = this.forced.filter((drop) => drop !== hit);
    return hit !== undefined;
  }

  readonly install = (app: FastifyInstance): void => {
    app.addHook("onRequest", async () => void (this.on && this.tally.requests++));
    // Before the idempotency claim (a preHandler): a request dropped here was never run.
    app.addHook("preValidation", async (request, reply) => {
      if (!this.on || !this.forcedDrop(request, "before")) return undefined;
      reply.hijack();
      request.raw.socket?.destroy();
      return reply;
    });
    app.addHook("onSend", async (request, reply, payload) => {
      if (!this.on || reply.statusCode >= 300 || !this.forcedDrop(request, "after")) return payload;
      // Closed where the answer would be sent, so that the onSend hooks after this one (the idempotency record) run.
      reply.raw.end = (() => request.raw.socket?.destroy()) as unknown as typeof reply.raw.end;
      return payload;
    });
    app.addHook("onResponse", async (_request, reply) => {
      if (!this.on) return;
      this.tally.answered++;
      if (reply.statusCode === 503) this.tally.unavailable++;
    });
  };
}
