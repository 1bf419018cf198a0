/**
 * Faults and crashes, on each protocol, at small sizes (the large ones live in the benchmark), through the same
 * harness as lifecycle.test.ts: an up under injected 503s, dropped connections (before and after the write) and
 * latency converges with nothing twinned; the provider host killed the moment Platos has made an object whose
 * answer it then never gets, and an up run again, converges with every object on the server in state; and a
 * program with 50 invalid variables fails at preview, naming them and their rules, having written nothing.
 *
 * What the harness does after a kill is what the engine does when its provider dies: every step that finished is
 * in state, the steps in flight fail, and the resources whose create was in flight are not in state. (A killed CLI
 * leaves those as "pending operations"; the next `pulumi up` warns and creates them again, pulumi/pulumi#9293, so
 * the provider meets the same create either way.)
 */
import { strict as assert } from "node:assert";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { FaultConfig } from "../../emulator/plugins/faults";
import { PLATFORM_PATH } from "../../provider/client/platform/jsonrpc";
import { agentCreate, callOf, environmentCreate, type RequestMatcher } from "../helpers/platos-requests";
import { typeTokens } from "../../provider/tokens";
import { PROTOCOLS } from "../../provider/platos";
import { platosWorld } from "../helpers/platos-world";
import { CheckFailedError } from "../harness/host-engine";
import type { ProviderHost } from "../harness/provider-host";
import type { PropertyMap } from "../harness/wire";
import { freshProgram } from "./program-loader";
import { StackHarness, type HarnessInstrument } from "./stack-harness";

const root = resolve(__dirname, "../..");
const fixtures = join(__dirname, "fixtures");
const PROJECT = "platos-faults";
const SIZE = { variables: 30, agents: 3 };

const SOAK_FAULTS: FaultConfig = { error503: 0.1, drop: 0.02, dropAfter: 0.02, latencyMs: 20 };

/** mulberry32: the same faults on every run, for a given order of requests. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VARIABLE_PATH = /^\/api\/v1\/environments\/[^/]+\/variables\/[^/]+$/;
/** Platform: environments.set_secret, or core-api's PUT of a PLAIN variable. */
const variableWrite = callOf("PUT", VARIABLE_PATH, "environments.set_secret");
const secretWrite: RequestMatcher = (request) => variableWrite(request) && (request.url === PLATFORM_PATH || (request.body as { secret?: unknown } | undefined)?.secret === true);

/**
 * Injected faults that a test switches on and off (off: every roll misses; the latency stays), drops it forces on
 * chosen writes (the seeded ones may well miss the few creates of a small stack), and what they all did while on:
 * 503s answered, and requests never answered.
 */
class SwitchableFaults {
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

/**
 * Kills the provider host with SIGKILL the moment Platos has done the nth armed write, before its answer leaves:
 * the object exists on the server and the provider never hears of it. Other calls in flight die with the host.
 */
class HostKiller {
  private host: ProviderHost | undefined;
  private armed: { matches: RequestMatcher; left: number } | undefined;
  kills = 0;

  readonly instrument: HarnessInstrument = { host: (host) => (this.host = host) };

  arm(matches: RequestMatcher, nth = 1): void {
    this.armed = { matches, left: nth };
  }

  readonly install = (app: FastifyInstance): void => {
    app.addHook("onSend", async (request, reply, payload) => {
      if (!this.armed || reply.statusCode >= 300 || !this.armed.matches(request) || --this.armed.left > 0) return payload;
      this.armed = undefined;
      process.kill(this.host!.pid!, "SIGKILL");
      this.kills++;
      await sleep(100); // the answer leaves only once the host is gone
      return payload;
    });
  };
}

for (const protocol of PROTOCOLS) describe(`e2e (${protocol}): faults and crashes`, function () {
  this.timeout(300_000);
  const faults = new SwitchableFaults(protocol === "v1" ? 11 : 12);
  const killer = new HostKiller();
  const world = platosWorld({
    protocol,
    emulator: {
      faults: SOAK_FAULTS,
      random: faults.random,
      extend: (app) => {
        faults.install(app);
        killer.install(app);
      },
    },
  });
  // The provider hosts inherit it: this suite's create journal, not the machine's.
  const journalBefore = process.env.PLATOS_CREATE_JOURNAL_DIR;
  before(() => void (process.env.PLATOS_CREATE_JOURNAL_DIR = join(world.work, "create-journal")));
  after(() => {
    if (journalBefore === undefined) delete process.env.PLATOS_CREATE_JOURNAL_DIR;
    else process.env.PLATOS_CREATE_JOURNAL_DIR = journalBefore;
  });

  /** A stack of one of the fixture programs; `config` without the project's namespace. */
  const stackOf = (program: string, stack: string, config: Record<string, string>, instrument?: HarnessInstrument) =>
    new StackHarness({
      project: PROJECT,
      stack,
      program: freshProgram(join(fixtures, program)),
      programDir: root,
      stateFile: join(world.work, `${stack}.state.json`),
      passphrase: "e2e",
      config: { ...world.platosConfig, ...Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, value])) },
      secretKeys: ["platos:token", "platos:operatorToken"],
      instrument,
    });
  const harness = (stack: string, config: Record<string, string> = {}, instrument?: HarnessInstrument) =>
    stackOf("sized-stack-program.ts", stack, { variables: String(SIZE.variables), agents: String(SIZE.agents), ...config }, instrument);

  const declared = (stack: string) => ({
    keys: Array.from({ length: SIZE.variables }, (_, i) => `SETTING_${String(i).padStart(3, "0")}`),
    slugs: Array.from({ length: SIZE.agents }, (_, i) => `${stack}-agent-${i}`),
  });

  /** What Platos holds for the stack's environment, agent rows of the project included (unbound twins too). */
  const onServer = async (stack: string) => {
    const environment = await world.admin.environments.findBySlug("default", stack);
    assert.ok(environment, `environment ${stack} exists`);
    const variables = await world.admin.variables.list(environment.id);
    const agents = await world.admin.agents.list(environment.id);
    const agentRows = await world.emulator.db.query<{ slug: string }>("SELECT slug FROM agents WHERE project_id = $1 AND slug LIKE $2 ORDER BY slug", [
      environment.projectId,
      `${stack}-agent-%`,
    ]);
    return { environment, variables, agents, agentRows: agentRows.map((row) => row.slug) };
  };

  const inState = (h: StackHarness, type: string) => [...h.state().values()].filter((resource) => resource.type === type);

  /** Converged: exactly the declared objects on the server, each once, each in state under its own id. */
  async function assertConverged(stack: string, h: StackHarness) {
    const { keys, slugs } = declared(stack);
    const server = await onServer(stack);
    assert.deepEqual(server.variables.map((v) => v.key).sort(), keys, "every declared variable once, nothing else");
    assert.deepEqual(server.agents.map((a) => a.slug).sort(), slugs, "every declared agent once, nothing else");
    assert.deepEqual(server.agentRows, slugs, "no agent row under another slug (a suffixed twin), bound or not");
    assert.deepEqual(inState(h, typeTokens.Environment).map((r) => r.id), [server.environment.id]);
    assert.deepEqual(inState(h, typeTokens.Agent).map((r) => r.id).sort(), server.agents.map((a) => a.id).sort(), "every agent on the server is in state");
    assert.deepEqual(inState(h, typeTokens.EnvironmentVariable).map((r) => r.outputs.key).sort(), keys, "every variable on the server is in state");
  }

  it("converges under injected faults (10% 503s, 2% drops before and 2% after the write, seeded, and one forced drop on each kind of create; 20 ms latency): no twin, and a second up makes zero writes", async () => {
    const stack = "soak";
    faults.on = true;
    faults.dropNth(environmentCreate, "after");
    faults.dropNth(agentCreate, "before");
    faults.dropNth(agentCreate, "after", 2);
    faults.dropNth(secretWrite, "after", 3);
    try {
      const first = await harness(stack).up();
      assert.ok(first.steps.every((s) => s.kind === "create"), JSON.stringify(first.steps));
      world.recorder.reset();
      const second = await harness(stack).up();
      assert.ok(second.steps.every((s) => s.kind === "same"), JSON.stringify(second.steps));
      assert.deepEqual(world.recorder.writes(), [], "a second up under the same faults writes nothing");
    } finally {
      faults.on = false;
    }
    const { requests, answered, unavailable } = faults.tally;
    assert.ok(unavailable > 0, `503s were injected (${unavailable} of ${requests} requests)`);
    assert.ok(requests - answered >= 4, `the forced drops and any seeded ones went unanswered (${requests - answered} of ${requests} requests)`);
    await assertConverged(stack, harness(stack));
  });

  /** Kills the host at the armed write during an up; returns what Platos then holds that state does not know. */
  async function crash(stack: string, matches: RequestMatcher, nth = 1) {
    const h = harness(stack, {}, killer.instrument);
    const kills = killer.kills;
    killer.arm(matches, nth);
    await assert.rejects(h.up(), "the up dies with its provider");
    assert.equal(killer.kills, kills + 1, "the host was killed");
    const server = await onServer(stack).catch(() => undefined);
    const state = h.state();
    const ids = new Set([...state.values()].map((r) => r.id));
    const keys = new Set(inState(h, typeTokens.EnvironmentVariable).map((r) => r.outputs.key));
    return {
      environment: server && !ids.has(server.environment.id) ? [server.environment.slug] : [],
      agents: (server?.agents ?? []).filter((a) => !ids.has(a.id)).map((a) => a.slug),
      variables: (server?.variables ?? []).filter((v) => !keys.has(v.key)).map((v) => v.key),
    };
  }

  /** An up that recovers; answers the provider's notices. */
  async function recover(stack: string, config: Record<string, string> = {}) {
    let host: ProviderHost | undefined;
    await harness(stack, config, { host: (started) => (host = started) }).up();
    return host!.logs.filter((line) => line.includes("already existed: taken as this resource's own create"));
  }

  async function assertNoWritesOnceConverged(stack: string) {
    world.recorder.reset();
    const again = await harness(stack).up();
    assert.ok(again.steps.every((s) => s.kind === "same"), JSON.stringify(again.steps));
    assert.deepEqual(world.recorder.writes(), []);
  }

  it("the host killed once Platos has made an agent, with variable writes in flight: the next up takes each object it made as its own (not twinned), converges, and another up writes nothing", async () => {
    const stack = "crash-agent";
    const orphans = await crash(stack, agentCreate);
    assert.ok(orphans.agents.length > 0, "an agent exists on the server that state does not know");
    const notices = await recover(stack);
    await assertConverged(stack, harness(stack));
    for (const slug of orphans.agents) assert.ok(notices.some((line) => line.startsWith(`agent "${slug}"`)), `${slug} taken over: ${notices.join("\n")}`);
    for (const key of orphans.variables) assert.ok(notices.some((line) => line.includes(`variable ${key} in`)), `${key} taken over: ${notices.join("\n")}`);
    await assertNoWritesOnceConverged(stack);
  });

  // The journal is the provider's, above the protocol: its other two cases run on the protocol real Platos serves.
  const onPlatform = protocol === "platform";

  if (onPlatform) it("the host killed once Platos has made the environment: the next up takes it as its own and converges", async () => {
    const stack = "crash-env";
    const orphans = await crash(stack, environmentCreate);
    assert.deepEqual(orphans.environment, [stack], "the environment exists on the server and not in state");
    const made = await onServer(stack);
    const notices = await recover(stack);
    assert.ok(notices.some((line) => line.startsWith(`environment "${stack}"`)), notices.join("\n"));
    await assertConverged(stack, harness(stack));
    assert.equal((await onServer(stack)).environment.id, made.environment.id, "the environment made before the kill, not another");
    await assertNoWritesOnceConverged(stack);
  });

  if (onPlatform) it("the host killed during variable writes, the next up without the journal (another machine): the objects it cannot show its own are refused as already existing; adopt: true converges", async () => {
    const stack = "crash-elsewhere";
    const orphans = await crash(stack, variableWrite, 10);
    assert.ok(orphans.variables.length > 0, "a variable exists on the server that state does not know");
    const journal = process.env.PLATOS_CREATE_JOURNAL_DIR;
    process.env.PLATOS_CREATE_JOURNAL_DIR = join(world.work, "another-machine");
    try {
      await assert.rejects(harness(stack).up(), /already exists\. Set `adopt: true`/);
    } finally {
      process.env.PLATOS_CREATE_JOURNAL_DIR = journal;
    }
    await harness(stack, { adopt: "true" }).up();
    await assertConverged(stack, harness(stack));
    await assertNoWritesOnceConverged(stack);
  });

  describe("50 invalid variables at preview", () => {
    const invalid = (stack: string, shape: string, instrument?: HarnessInstrument) => stackOf("invalid-variables-program.ts", stack, { shape }, instrument);
    const invalidKeys = Array.from({ length: 50 }, (_, i) => `invalid-key-${String(i).padStart(2, "0")}`);
    const KEY_RULE = "must be an uppercase letter followed by up to 63 uppercase letters, digits or underscores";
    const VALUE_RULE = "must not be empty";

    it("as one EnvironmentVariables map: all 50 reported at preview, each by name with its rule, and nothing written", async () => {
      world.recorder.reset();
      const err = await invalid("invalid-map", "one-map").preview().catch((e: unknown) => e);
      assert.ok(err instanceof CheckFailedError, String(err));
      assert.match(err.urn, /::settings$/);
      for (const [i, key] of invalidKeys.entries()) {
        const about = err.failures.filter((f) => f.property === `variables.${key}`);
        assert.ok(about.some((f) => f.reason.includes(key) && f.reason.includes(KEY_RULE)), `${key}: its key rule`);
        if (i % 2 === 0) assert.ok(about.some((f) => f.reason.includes(VALUE_RULE)), `${key}: its value rule`);
      }
      assert.ok(!err.message.includes("value-1"), "no value in the report");
      assert.deepEqual(world.recorder.writes(), []);
    });

    it("as 50 EnvironmentVariable resources: the engine stops at the first invalid one, reporting its every failure, and checks no other; nothing written", async () => {
      world.recorder.reset();
      const checked: string[] = [];
      const counting: HarnessInstrument = {
        host: (host) =>
          Object.assign(Object.create(host) as ProviderHost, {
            check: (urn: string, olds: PropertyMap, news: PropertyMap) => {
              checked.push(urn);
              return host.check(urn, olds, news);
            },
          }),
      };
      const err = await invalid("invalid-each", "one-per-variable", counting).preview().catch((e: unknown) => e);
      assert.ok(err instanceof CheckFailedError, String(err));
      const name = err.urn.split("::").pop()!;
      assert.ok(invalidKeys.includes(name), err.urn);
      assert.ok(err.failures.some((f) => f.property === "key" && f.reason.includes(KEY_RULE)), err.message);
      if (Number(name.slice(-2)) % 2 === 0) assert.ok(err.failures.some((f) => f.property === "value" && f.reason.includes(VALUE_RULE)), err.message);
      assert.equal(checked.length, 2, `Check ran for the environment and the first variable only: ${checked.join(", ")}`);
      assert.deepEqual(world.recorder.writes(), []);
    });
  });
});
