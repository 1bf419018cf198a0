/**
 * Runs one operation on the benchmark's stacks through the e2e harness (real provider host, real policy pack)
 * and measures it: requests at the recorder, the wall time split into start-up, provider calls, policy calls and
 * the rest, CPU and peak memory of each process involved.
 */
import { join } from "node:path";
import type { StepKind } from "../../test/harness/host-engine";
import { pathOnItsSurface } from "../../emulator/layout";
import { coreApiRoutes, OPERATOR_SESSION_PATH } from "../../provider/client/platform/core-api";
import { writesDone, type RecordedRequest } from "../../test/helpers/request-recorder";
import { StackHarness, type OperationResult } from "../../test/e2e/stack-harness";
import type { BenchWorld } from "./bench-world";
import { swapProvider } from "./noop/provider-swap";
import { busyMs, CallTimeline, type TimedCall } from "./call-timeline";
import { ProcessSampler, type ProcessRole, type RoleUsage } from "./process-sampler";
import { benchProgram } from "./program";
import { countByRoute } from "./request-routes";
import type { EnvironmentSpec } from "./scenario";
import { timedHost, timedPolicyPack, type Instrumentation } from "./timed-host";
import { splitWallTime, sumSplits, type WallTimeSplit } from "./wall-time";

export const OPERATIONS = ["fresh up", "no-change up", "preview", "refresh", "change 10%", "destroy"] as const;
export type OperationName = (typeof OPERATIONS)[number];
/** What the no-op provider runs: a fresh up for its state, then the two operations that send no request. */
export const NOOP_OPERATIONS = ["fresh up", "no-change up", "preview"] as const satisfies readonly OperationName[];

/** The program's directory (the host resolves `pulumi-platos` from its node_modules) and the policy pack's parent. */
const REPO_ROOT = join(__dirname, "..", "..");

/** The provider's resource methods; Configure belongs to start-up. */
const PROVIDER_METHODS = ["Check", "Diff", "Create", "Read", "Update", "Delete"] as const;

export interface StackMeasurement {
  readonly operation: OperationName;
  readonly wallMs: number;
  /** First line of the error when the operation failed. */
  readonly error?: string;
  readonly steps: ReadonlyMap<StepKind, number>;
  readonly requests: number;
  /**
   * Credential bookkeeping among the requests: mints, `platos.whoami` (which environment the token is pinned to, and
   * when it lapses) and the operator session's own lookup (when it lapses).
   */
  readonly tokenRequests: number;
  /** Requests that changed Platos, token mints left out. */
  readonly writes: number;
  readonly routes: ReadonlyMap<string, number>;
  /** 429s the provider received; counted only with a rate limit. */
  readonly rateLimited?: number;
  readonly split: WallTimeSplit;
  /** Per provider method: calls and the time one of them was in flight. */
  readonly methods: ReadonlyMap<string, { readonly calls: number; readonly busyMs: number }>;
  /** The first provider method call of each host, summed: it loads the provider code into the host. */
  readonly firstCallMs: number;
  readonly processes: ReadonlyMap<ProcessRole, RoleUsage>;
  /** The provider hosts' CPU seconds until Configure answered (Node and the SDK starting), summed. */
  readonly hostStartCpuSeconds: number;
  /** CPU seconds of this process: the program under the SDK, the harness, the recorder proxy. */
  readonly harnessCpuSeconds: number;
  readonly emulatorPeakIsWholeLife: boolean;
}

/** How the hosts of an operation run: on another provider than the resources', with more environment. */
export interface HostSetup {
  /** A serialised dynamic provider put in place of every call's `__provider` (the no-op floor). */
  readonly provider?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** One stack of the benchmark: one environment, as the policy pack wants a stack to manage. */
export interface BenchStack {
  readonly name: string;
  readonly spec: EnvironmentSpec;
  readonly stateFile: string;
}

interface SessionFigures {
  readonly wallMs: number;
  readonly split: WallTimeSplit;
  /** The host's first provider method call. */
  readonly firstCallMs: number;
  readonly steps: readonly StepKind[];
  readonly error?: string;
}

/** Runs `operation` on each stack in turn, as one `pulumi` command a stack, and sums what they did. */
export async function measureStackOperation(
  world: BenchWorld,
  stacks: readonly BenchStack[],
  operation: OperationName,
  setup: HostSetup = {},
): Promise<StackMeasurement> {
  const [measured] = await measureTakingTurns(world, operation, [{ stacks, setup }]);
  return measured!;
}

/** Stacks that run an operation one way (on the resources' provider, or another). */
export interface Variant {
  readonly stacks: readonly BenchStack[];
  readonly setup: HostSetup;
}

/** What one variant's sessions add up to while the variants take turns. */
class VariantTally {
  readonly providerCalls = new CallTimeline();
  readonly policyCalls = new CallTimeline();
  readonly sessions: SessionFigures[] = [];
  readonly errors: string[] = [];
  readonly requests: RecordedRequest[] = [];
  writes = 0;
  rateLimited = 0;
  harnessCpuSeconds = 0;
  hostStartCpuSeconds = 0;
  processes = new Map<ProcessRole, RoleUsage>();
  emulatorPeakIsWholeLife = false;
}

/**
 * Runs `operation` on each variant's stacks, the variants taking turns stack by stack (the first stack of each,
 * then the second of each…), so that a machine whose load drifts weighs on each variant alike; one measurement a
 * variant. Requests and processes are counted per session.
 */
export async function measureTakingTurns(world: BenchWorld, operation: OperationName, variants: readonly Variant[]): Promise<StackMeasurement[]> {
  const tallies = variants.map(() => new VariantTally());
  const turns = Math.max(...variants.map((v) => v.stacks.length));
  for (let i = 0; i < turns; i++) {
    for (const [v, variant] of variants.entries()) {
      const stack = variant.stacks[i];
      if (stack) await runCounted(world, stack, operation, variant.setup, tallies[v]!);
    }
  }
  return tallies.map((tally) => measurementOf(operation, tally, world.statusTap !== undefined));
}

async function runCounted(world: BenchWorld, stack: BenchStack, operation: OperationName, setup: HostSetup, tally: VariantTally): Promise<void> {
  world.recorder.reset();
  world.statusTap?.statuses.clear();
  const sampler = new ProcessSampler();
  const cpuBefore = process.cpuUsage();
  const instrumentation: Instrumentation = { providerCalls: tally.providerCalls, policyCalls: tally.policyCalls, moments: {}, beforeClose: sampler.sampleNow };
  const session = await runSession(harnessFor(world, stack, operation, instrumentation, setup), operation, instrumentation);
  const cpu = process.cpuUsage(cpuBefore);
  tally.sessions.push(session);
  if (session.error !== undefined) tally.errors.push(`${stack.name}: ${session.error}`);
  tally.hostStartCpuSeconds += instrumentation.moments.hostCpuSecondsWhenConfigured ?? 0;
  tally.harnessCpuSeconds += (cpu.user + cpu.system) / 1e6;
  tally.processes = addUsage(tally.processes, sampler.stop());
  tally.emulatorPeakIsWholeLife ||= !sampler.peakResetWorked;
  tally.requests.push(...world.recorder.requests);
  tally.writes += writesDone(world.recorder.writes()).length;
  tally.rateLimited += world.statusTap?.statuses.get(429) ?? 0;
}

/** Per role: the higher peak and the CPU seconds of both. */
function addUsage(a: ReadonlyMap<ProcessRole, RoleUsage>, b: ReadonlyMap<ProcessRole, RoleUsage>): Map<ProcessRole, RoleUsage> {
  const sum = new Map(a);
  for (const [role, usage] of b) {
    const before = sum.get(role) ?? { peakRssBytes: 0, cpuSeconds: 0 };
    sum.set(role, { peakRssBytes: Math.max(before.peakRssBytes, usage.peakRssBytes), cpuSeconds: before.cpuSeconds + usage.cpuSeconds });
  }
  return sum;
}

function measurementOf(operation: OperationName, tally: VariantTally, rateLimited: boolean): StackMeasurement {
  const { sessions, requests } = tally;
  const resourceCalls = resourceCallsOf(tally.providerCalls.calls);
  const methods = new Map(
    PROVIDER_METHODS.map((name) => {
      const calls = resourceCalls.filter((c) => c.name === name);
      return [name, { calls: calls.length, busyMs: busyMs(calls) }] as const;
    }).filter(([, m]) => m.calls > 0),
  );
  const steps = new Map<StepKind, number>();
  for (const kind of sessions.flatMap((s) => s.steps)) steps.set(kind, (steps.get(kind) ?? 0) + 1);
  return {
    operation,
    wallMs: sessions.reduce((total, s) => total + s.wallMs, 0),
    ...(tally.errors.length === 0 ? {} : { error: tally.errors.join("; ") }),
    steps,
    requests: requests.length,
    tokenRequests: requests.filter(isTokenRequest).length,
    writes: tally.writes,
    routes: countByRoute(requests),
    ...(rateLimited ? { rateLimited: tally.rateLimited } : {}),
    split: sumSplits(sessions.map((s) => s.split)),
    methods,
    firstCallMs: sessions.reduce((total, s) => total + s.firstCallMs, 0),
    processes: tally.processes,
    hostStartCpuSeconds: tally.hostStartCpuSeconds,
    harnessCpuSeconds: tally.harnessCpuSeconds,
    emulatorPeakIsWholeLife: tally.emulatorPeakIsWholeLife,
  };
}

function harnessFor(world: BenchWorld, stack: BenchStack, operation: OperationName, instrumentation: Instrumentation, setup: HostSetup): StackHarness {
  const { provider } = setup;
  return new StackHarness({
    project: "platos-bench",
    stack: stack.name,
    program: benchProgram(stack.spec, operation === "change 10%"),
    programDir: REPO_ROOT,
    stateFile: stack.stateFile,
    passphrase: "bench",
    config: world.platosConfig,
    secretKeys: ["platos:token", "platos:operatorToken"],
    policyPackDir: join(REPO_ROOT, "policy"),
    ...(setup.env === undefined ? {} : { hostEnv: setup.env }),
    instrument: {
      host: (host) => timedHost(provider === undefined ? host : swapProvider(host, provider), instrumentation),
      policyPack: (pack) => timedPolicyPack(pack, instrumentation),
    },
  });
}

/** One `pulumi` command on one stack; a failure is kept as its first line, and the next stack still runs. */
async function runSession(harness: StackHarness, operation: OperationName, instrumentation: Instrumentation): Promise<SessionFigures> {
  const startedMs = performance.now();
  let steps: StepKind[] = [];
  let error: string | undefined;
  try {
    steps = (await run(harness, operation)).steps.map((step) => step.kind);
  } catch (err) {
    error = String((err as Error).message ?? err)
      .split("\n")[0]!
      .slice(0, 300);
  }
  const endedMs = performance.now();
  const within = (calls: readonly TimedCall[]) => calls.filter((c) => c.startMs >= startedMs && c.startMs <= endedMs);
  const providerCalls = within(resourceCallsOf(instrumentation.providerCalls.calls));
  const first = providerCalls.reduce<TimedCall | undefined>(
    (earliest, c) => (earliest === undefined || c.startMs < earliest.startMs ? c : earliest),
    undefined,
  );
  return {
    wallMs: endedMs - startedMs,
    split: splitWallTime({ startedMs, endedMs, moments: instrumentation.moments, providerCalls, policyCalls: within(instrumentation.policyCalls.calls) }),
    firstCallMs: first ? first.endMs - first.startMs : 0,
    steps,
    ...(error === undefined ? {} : { error }),
  };
}

const isTokenRequest = (request: RecordedRequest): boolean =>
  [coreApiRoutes.mintMcpToken.path, OPERATOR_SESSION_PATH].includes(pathOnItsSurface(request.path)) || request.rpc?.tool === "platos.whoami";

const resourceCallsOf = (calls: readonly TimedCall[]): TimedCall[] => calls.filter((c) => (PROVIDER_METHODS as readonly string[]).includes(c.name));

function run(harness: StackHarness, operation: OperationName): Promise<OperationResult> {
  switch (operation) {
    case "fresh up":
    case "no-change up":
    case "change 10%":
      return harness.up();
    case "preview":
      return harness.preview();
    case "refresh":
      return harness.refresh();
    case "destroy":
      return harness.destroy();
  }
}
