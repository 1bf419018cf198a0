/**
 * The stacks the faults-and-crashes suite runs, and what it checks of them: the sized fixture program (N variables,
 * M agents in one environment named after the stack), what Platos then holds, what "converged" means, and the crash
 * of an up at a chosen write followed by an up that recovers. Build it inside a `describe`, over its world.
 */
import { strict as assert } from "node:assert";
import { join, resolve } from "node:path";
import { typeTokens } from "../../provider/registry";
import type { ProviderHost } from "../harness/provider-host";
import type { RequestMatcher } from "../helpers/platos-requests";
import type { PlatosWorld, StackWorld } from "../helpers/platos-world";
import type { HostKiller } from "./host-killer";
import { freshProgram } from "./program-loader";
import { StackHarness, type HarnessInstrument } from "./stack-harness";

const root = resolve(__dirname, "../..");
const fixtures = join(__dirname, "fixtures");

export interface StackSize {
  readonly variables: number;
  readonly agents: number;
}

/** Points the create journal of the provider hosts (they inherit the variable) at the suite's work dir, not the machine's. */
export function createJournalInWorkDir(world: PlatosWorld): void {
  const journalBefore = process.env.PLATOS_CREATE_JOURNAL_DIR;
  before(() => void (process.env.PLATOS_CREATE_JOURNAL_DIR = join(world.work, "create-journal")));
  after(() => {
    if (journalBefore === undefined) delete process.env.PLATOS_CREATE_JOURNAL_DIR;
    else process.env.PLATOS_CREATE_JOURNAL_DIR = journalBefore;
  });
}

export function sizedStacks(world: StackWorld, options: { readonly project: string; readonly size: StackSize; readonly killer: HostKiller }) {
  const { project, size, killer } = options;

  /** A stack of one of the fixture programs; `config` without the project's namespace. */
  const stackOf = (program: string, stack: string, config: Record<string, string>, instrument?: HarnessInstrument) =>
    new StackHarness({
      project,
      stack,
      program: freshProgram(join(fixtures, program)),
      programDir: root,
      stateFile: join(world.work, `${stack}.state.json`),
      passphrase: "e2e",
      config: { ...world.platosConfig, ...Object.fromEntries(Object.entries(config).map(([key, value]) => [`${project}:${key}`, value])) },
      secretKeys: ["platos:token", "platos:operatorToken"],
      instrument,
    });
  /** A stack of the sized program. */
  const harness = (stack: string, config: Record<string, string> = {}, instrument?: HarnessInstrument) =>
    stackOf("sized-stack-program.ts", stack, { variables: String(size.variables), agents: String(size.agents), ...config }, instrument);

  const declared = (stack: string) => ({
    keys: Array.from({ length: size.variables }, (_, i) => `SETTING_${String(i).padStart(3, "0")}`),
    slugs: Array.from({ length: size.agents }, (_, i) => `${stack}-agent-${i}`),
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
    assert.deepEqual(
      inState(h, typeTokens.Environment).map((r) => r.id),
      [server.environment.id],
    );
    assert.deepEqual(
      inState(h, typeTokens.Agent)
        .map((r) => r.id)
        .sort(),
      server.agents.map((a) => a.id).sort(),
      "every agent on the server is in state",
    );
    assert.deepEqual(
      inState(h, typeTokens.EnvironmentVariable)
        .map((r) => r.outputs.key)
        .sort(),
      keys,
      "every variable on the server is in state",
    );
  }

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
    assert.ok(
      again.steps.every((s) => s.kind === "same"),
      JSON.stringify(again.steps),
    );
    assert.deepEqual(world.recorder.writes(), []);
  }

  return { stackOf, harness, onServer, assertConverged, crash, recover, assertNoWritesOnceConverged };
}
