/**
 * The client's pacer against real rate limiters over HTTP: the emulator's (like Platos: a fixed window per token,
 * reads counted, only Retry-After on a 429) with the window shortened to seconds, and @fastify/rate-limit with its
 * rate headers on, as servers other than Platos send them. Without the pacer, a burst of N calls into a limit of L
 * a window gets about N - L refusals in the first window alone, and as many again when the refused calls all come
 * back when the window reopens.
 */
import { strict as assert } from "node:assert";
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance } from "fastify";
import { closeAllPools, createClient, type AttemptEvent } from "../../provider/client";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";

const refusals = (attempts: readonly AttemptEvent[]) => attempts.filter((a) => a.status === 429).length;

describe("rate-limit pacing", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator | undefined;
  let server: FastifyInstance | undefined;
  afterEach(async () => {
    await closeAllPools();
    await emulator?.close();
    await server?.close();
    emulator = undefined;
    server = undefined;
  });

  it("paces 60 concurrent variable PUTs and 15 reads through 20 requests per 2 s, learning the limit from Retry-After alone", async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 20, rateLimitWindowMs: 2_000 });
    const attempts: AttemptEvent[] = [];
    const client = createClient({ apiUrl: emulator.url, token: emulator.adminToken, onAttempt: (e) => attempts.push(e) });
    const env = await client.environments.create("default", { slug: "paced" });

    const started = Date.now();
    const puts = Array.from({ length: 60 }, (_, i) => client.variables.put(env.id, `PACED_${i}`, { value: `value-${i}`, secret: i % 4 === 0 }));
    const reads = Array.from({ length: 15 }, () => client.variables.list(env.id));
    const [written, read] = await Promise.all([Promise.all(puts), Promise.all(reads)]);
    const elapsedMs = Date.now() - started;

    assert.equal(written.length, 60);
    assert.ok(read.every((page) => Array.isArray(page)));
    const refused = refusals(attempts);
    const summary = `${refused} of ${attempts.length} requests refused, ${elapsedMs} ms for ${attempts.length - refused} accepted (≥ ${Math.floor((attempts.length - refused) / 20) * 2} s at 20 per 2 s)`;
    // Unpaced, the first window alone refuses 55 of the 76 requests, and the retries that all return together more.
    assert.ok(refused <= 16, summary);
    const readRefusals = attempts.filter((a) => a.route === "listVariables" && a.status === 429).length;
    assert.ok(readRefusals <= 8, `reads are paced with the writes: ${readRefusals} read refusals; ${summary}`);

    const stored = await client.variables.list(env.id);
    assert.equal(stored.length, 60);
    assert.ok(
      stored.every((v) => v.version === 1),
      "each PUT applied once",
    );
  });

  for (const [spelling, enableDraftSpec] of [
    ["X-RateLimit-*", false],
    ["the IETF draft's RateLimit-*", true],
  ] as const) {
    it(`spends no request on a 429 when the server announces its budget in ${spelling} headers`, async () => {
      server = Fastify();
      await server.register(rateLimit, { max: 10, timeWindow: 1_000, enableDraftSpec });
      server.get("/api/v1/projects/:ref", async () => ({
        data: { id: "p1", organizationId: "o1", slug: "default", name: "Default", archivedAt: null, createdAt: "2026-11-23T00:00:00.000Z", through: "token" },
        meta: { contractVersion: "M0.1" },
      }));
      const url = await server.listen({ host: "127.0.0.1", port: 0 });
      const attempts: AttemptEvent[] = [];
      const client = createClient({ apiUrl: url, token: "tok_pacing_test", onAttempt: (e) => attempts.push(e) });

      await Promise.all(Array.from({ length: 30 }, () => client.projects.get("default")));

      assert.equal(attempts.length - refusals(attempts), 30);
      assert.ok(refusals(attempts) <= 1, `${refusals(attempts)} refused; unpaced, 20 of the first 30 would be`);
    });
  }

  it("does not spend a call's deadline while it waits in line for the rate limit", async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 5, rateLimitWindowMs: 1_000 });
    const attempts: AttemptEvent[] = [];
    const client = createClient({ apiUrl: emulator.url, token: emulator.adminToken, operationTimeoutMs: 1_000, onAttempt: (e) => attempts.push(e) });
    const started = Date.now();

    const projects = await Promise.all(Array.from({ length: 20 }, () => client.projects.get("default")));

    assert.equal(projects.length, 20);
    assert.ok(Date.now() - started >= 2_500, "20 calls at 5 a second take seconds, most of it in line, past each call's 1 s deadline");
    // Unpaced, the first window alone refuses 15 of the 20.
    assert.ok(refusals(attempts) < 15, `${refusals(attempts)} refused`);
  });
});
