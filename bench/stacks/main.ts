/**
 * `npm run bench`: fresh up, no-change up, preview, refresh, change 10% and destroy of a stack of N environments
 * × V variables (a quarter secret) × A agents, through the e2e harness (real dynamic-provider host, real policy
 * pack) against the emulator run as its own process, each operation followed by the floor: the same HTTP work
 * done by a bare undici client in the same run. The fresh up, no-change up and preview also run on the same
 * resources with a no-op dynamic provider through the same host, each stack right after its own run: the host's
 * floor. `--profile` writes a CPU profile per provider host and prints where it went. Prints markdown tables
 * (stdout) and progress (stderr); asserts nothing. Linux only (/proc).
 */
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { closeAllPools } from "../../provider/client";
import { startBenchWorld, type BenchWorld } from "./bench-world";
import { Floor, type FloorMeasurement } from "./floor/floor";
import { FLOOR_CALLS } from "./floor/protocol";
import { medianOf } from "./medians";
import { noopProviderCode } from "./noop/noop-provider";
import {
  measureStackOperation,
  measureTakingTurns,
  NOOP_OPERATIONS,
  OPERATIONS,
  type BenchStack,
  type HostSetup,
  type OperationName,
  type StackMeasurement,
} from "./operations";
import { commandFor, readOptions, type BenchOptions } from "./options";
import { HostProfiles } from "./profile/host-profiling";
import { profileReport } from "./profile/profile-report";
import { report } from "./report";
import { scenarioOf } from "./scenario";
import { measureStateSize, type StateSize } from "./state-size";
import type { RunFigures } from "./targets";

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

const VARIANT = "pulumi-platos";
const NOOP_VARIANT = "no-op";

/** What each run needs besides its options: the no-op provider's code, and where hosts write profiles. */
interface Hosts {
  readonly noopProvider: string;
  readonly profiles?: HostProfiles;
}

const setupOf = (hosts: Hosts, variant: string, operation: OperationName): HostSetup => ({
  ...(variant === NOOP_VARIANT ? { provider: hosts.noopProvider } : {}),
  ...(hosts.profiles ? { env: hosts.profiles.hostEnv(variant, operation) } : {}),
});

const describe = (measured: StackMeasurement): string =>
  `  ${(measured.wallMs / 1000).toFixed(1)} s, ${measured.requests} requests${measured.error ? `; failed: ${measured.error}` : ""}`;

async function runSequence(world: BenchWorld, options: BenchOptions, hosts: Hosts, run: number): Promise<RunFigures> {
  const scenario = scenarioOf(options, `s${run}`);
  const floor = new Floor(scenarioOf(options, `f${run}`), {
    baseUrl: world.emulator.url,
    concurrency: options.floorConcurrency,
    tokens: world.floorTokens,
    calls: FLOOR_CALLS[options.protocol](),
  });
  const stacks: BenchStack[] = scenario.environments.map((spec) => ({ name: spec.slug, spec, stateFile: join(world.work, `${spec.slug}.state.json`) }));
  // The same stacks and resources, with state files of their own.
  const noopStacks = stacks.map((stack) => ({ ...stack, stateFile: join(world.work, `${stack.name}.noop.state.json`) }));
  const stack = new Map<OperationName, StackMeasurement>();
  const noop = new Map<OperationName, StackMeasurement>();
  const floors = new Map<OperationName, FloorMeasurement>();
  let state: StateSize | undefined;
  for (const operation of OPERATIONS) {
    progress(`run ${run + 1}/${options.runs}: ${operation}`);
    if ((NOOP_OPERATIONS as readonly OperationName[]).includes(operation)) {
      // Stack by stack, each stack's no-op run right after its own: both see the same machine.
      const [measured, floorOfHost] = await measureTakingTurns(world, operation, [
        { stacks, setup: setupOf(hosts, VARIANT, operation) },
        { stacks: noopStacks, setup: setupOf(hosts, NOOP_VARIANT, operation) },
      ]);
      progress(describe(measured!));
      progress(`  no-op provider: ${describe(floorOfHost!).trim()}`);
      stack.set(operation, measured!);
      noop.set(operation, floorOfHost!);
    } else {
      const measured = await measureStackOperation(world, stacks, operation, setupOf(hosts, VARIANT, operation));
      progress(describe(measured));
      stack.set(operation, measured);
    }
    if (operation === "fresh up") state = measureStateSize(stacks.map((stack) => stack.stateFile));
    floors.set(operation, await floor.run(operation));
  }
  return { stack, noop, floor: floors, state, changedVariables: scenario.changedVariableCount, environments: scenario.environments.length };
}

async function main(): Promise<void> {
  // A resource the harness refuses (a policy violation, a failed create) also rejects Output promises nobody
  // awaits; the operation's own error is what the report shows.
  process.on("unhandledRejection", () => undefined);
  const options = readOptions(process.argv.slice(2));
  const loadAverageAtStart = loadavg()[0] ?? 0;
  progress(`starting the emulator (${options.protocol}${options.rateLimitPerMinute === undefined ? "" : `, ${options.rateLimitPerMinute} requests/min`})`);
  const world = await startBenchWorld(options);
  try {
    const hosts: Hosts = { noopProvider: await noopProviderCode(), ...(options.profile ? { profiles: new HostProfiles() } : {}) };
    const runs: RunFigures[] = [];
    for (let run = 0; run < options.runs; run++) runs.push(await runSequence(world, options, hosts, run));
    const context = { options, command: commandFor(options), scenario: scenarioOf(options, "s0"), loadAverageAtStart, cpus: cpus().length };
    const printout = [report(context, medianOf(runs))];
    if (hosts.profiles) {
      const profiled = OPERATIONS.flatMap((operation) => [
        { variant: VARIANT, operation },
        ...((NOOP_OPERATIONS as readonly string[]).includes(operation) ? [{ variant: NOOP_VARIANT, operation }] : []),
      ]);
      printout.push(profileReport(hosts.profiles, profiled, ["no-change up", "preview"]));
    }
    console.log(printout.join("\n\n"));
  } finally {
    await world.close();
    await closeAllPools();
  }
}

main().then(
  // gRPC channels of the SDK's runtime can keep the event loop alive after the last operation.
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
