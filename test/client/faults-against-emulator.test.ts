/**
 * The client against the emulator with injected faults: 503s, connections dropped before the handler, and
 * connections dropped after the write committed (only the Idempotency-Key saves those). Every write must land
 * exactly once. Faults are drawn from a seeded generator and the writes run one after another, so a run is
 * repeatable.
 */
import { strict as assert } from "node:assert";
import { closeAllPools, createClient, PlatosTransportError, type AttemptEvent } from "../../provider/client";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { seededRandom } from "../helpers/seeded-random";

describe("client against the emulator with injected faults", function () {
  this.timeout(120_000);
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await closeAllPools();
    await emulator?.close();
    emulator = undefined;
  });

  it("retries 503s and dropped connections and applies every write exactly once", async () => {
    emulator = await startEmulator({ faults: { error503: 0.2, drop: 0.1, dropAfter: 0.15, latencyMs: 0 }, random: seededRandom(20261123) });
    const attempts: AttemptEvent[] = [];
    const client = createClient({
      apiUrl: emulator.url,
      token: emulator.adminToken,
      retryPolicy: { maxAttempts: 12, baseDelayMs: 10, maxDelayMs: 50 },
      onAttempt: (event) => attempts.push(event),
    });
    const env = await client.environments.create("default", { slug: "soak" });
    for (let i = 0; i < 12; i++) await client.variables.put(env.id, `SOAK_${i}`, { value: `value-${i}`, secret: i % 2 === 0 });
    const agents = [];
    for (let i = 0; i < 6; i++)
      agents.push(await client.agents.create(env.id, { slug: `agent-${i}`, name: `Agent ${i}`, model: "anthropic:claude-haiku-4-5" }));
    for (const agent of agents) await client.agents.update(env.id, agent.id, { maxSteps: 30 });

    const variables = await client.variables.list(env.id);
    assert.equal(variables.length, 12);
    assert.ok(
      variables.every((v) => v.version === 1),
      `a PUT applied twice: ${variables.map((v) => `${v.key}@${v.version}`).join(", ")}`,
    );
    const live = await client.agents.list(env.id);
    assert.deepEqual(live.map((a) => a.slug).sort(), agents.map((a) => a.slug).sort(), "no twin agents");
    assert.ok(
      live.every((a) => a.versionNumber === 2),
      "each PATCH made exactly one version",
    );

    const failed503 = attempts.filter((a) => a.status === 503).length;
    const dropped = attempts.filter((a) => a.status === undefined).length;
    assert.ok(failed503 > 0 && dropped > 0, `faults fired: ${failed503} × 503, ${dropped} dropped`);
  });

  it("waits out Retry-After on 429 rather than hammering, and reports the rate limit when it reopens later than a call may wait", async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 2 });
    const attempts: AttemptEvent[] = [];
    const client = createClient({ apiUrl: emulator.url, token: emulator.adminToken, queueTimeoutMs: 3_000, onAttempt: (e) => attempts.push(e) });
    await client.projects.get("default");
    await client.projects.get("default");
    const err = await client.projects.get("default").catch((e: unknown) => e);
    assert.ok(err instanceof PlatosTransportError, String(err));
    assert.equal(err.code, "TRANSPORT_DEADLINE_EXCEEDED");
    assert.match(err.message, /RATE_LIMITED/);
    assert.equal(attempts.filter((a) => a.status === 429).length, 1, "one 429, then no retry before Retry-After");
  });

  it("gives up with a clear error after its deadline, having written nothing", async () => {
    emulator = await startEmulator({ faults: { error503: 1, drop: 0, dropAfter: 0, latencyMs: 0 } });
    const client = createClient({
      apiUrl: emulator.url,
      token: emulator.adminToken,
      operationTimeoutMs: 1_500,
      retryPolicy: { maxAttempts: 50, baseDelayMs: 20, maxDelayMs: 100 },
    });
    const started = Date.now();
    const err = await client.environments.create("default", { slug: "never" }).catch((e: unknown) => e);
    assert.ok(err instanceof PlatosTransportError, String(err));
    assert.equal(err.code, "TRANSPORT_DEADLINE_EXCEEDED");
    assert.match(err.message, /POST \/api\/v1\/projects\/:projectRef\/environments: gave up after \d+ attempts/);
    assert.ok(Date.now() - started < 3_000);
    const rows = await emulator.db.query<{ count: number }>("SELECT count(*)::int AS count FROM environments WHERE slug = $1", ["never"]);
    assert.equal(rows[0]?.count, 0);
  });
});
