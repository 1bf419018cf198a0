/**
 * What the policy pack costs a `pulumi preview`, against the floor of any Node policy pack: bench/policy-floor, one
 * policy that looks at nothing, run through the same runner (`run-policy-pack`, as the engine starts a pack) with the
 * same stack, config and resources. Prints the pack's start (spawn to a served GetAnalyzerInfo) and its Analyze time
 * per resource for both, medians of rotating rounds (so a drifting machine load weighs on all alike), and the
 * ratio against the target of 1.2×. A third run serves the floor with as many no-op policies as the pack has: what the
 * SDK itself costs for that many policies, so the figures show how much is the pack's own work.
 *
 *   npm run bench:policy [-- --rounds 5 --resources 200]
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { typeTokens } from "pulumi-platos/rules";
import { policies } from "../policy/policies";
import { startPolicyPack, type AnalyzedResource } from "../test/helpers/policy-analyzer";
import { agentProps, environmentProps, providerKeyProps, variableProps, variableSetProps } from "../test/policy/fixtures";
import { median } from "./stacks/markdown";

const REPO_ROOT = resolve(__dirname, "..");
const FLOOR = join(__dirname, "policy-floor");
/** Each pack measured: its directory and how many no-op policies the floor serves (BENCH_POLICY_FLOOR_POLICIES). */
const PACKS = {
  "platos-policy": { dir: join(REPO_ROOT, "policy"), floorPolicies: undefined },
  floor: { dir: FLOOR, floorPolicies: 1 },
  // The SDK's own cost of serving as many policies as platos-policy has: it deserialises a resource's inputs and its
  // provider once per policy, which no pack of that many policies can avoid.
  "floor-same-count": { dir: FLOOR, floorPolicies: policies.length },
} as const;
type PackName = keyof typeof PACKS;
const TARGET_RATIO = 1.2;

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" }, resources: { type: "string", default: "200" } } });
const rounds = Number(values.rounds);
const resourceCount = Number(values.resources);

/** A prod stack's resources, none a violation: what a clean CI preview sends, every kind of resource in turn. */
function resources(count: number): AnalyzedResource[] {
  const kinds = [
    (i: number) => ({ type: typeTokens.Environment, name: `env-${i}`, properties: environmentProps("prod") }),
    (i: number) => ({
      type: typeTokens.EnvironmentVariable,
      name: `var-${i}`,
      properties: variableProps({ environment: "prod", key: `KEY_${i}`, value: "info" }),
    }),
    (i: number) => ({
      type: typeTokens.EnvironmentVariables,
      name: `set-${i}`,
      properties: variableSetProps({ environment: "prod", variables: { LOG_LEVEL: "info" }, secrets: {} }),
    }),
    (i: number) => ({ type: typeTokens.Agent, name: `agent-${i}`, properties: agentProps("prod") }),
    (i: number) => ({ type: typeTokens.ProviderKey, name: `key-${i}`, properties: providerKeyProps({ environment: "prod" }) }),
  ];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!(i));
}

interface Round {
  readonly startMs: number;
  readonly analyzeMsPerResource: number;
}

async function measure(pack: PackName, analyzed: readonly AnalyzedResource[]): Promise<Round> {
  const { dir, floorPolicies } = PACKS[pack];
  if (floorPolicies === undefined) delete process.env.BENCH_POLICY_FLOOR_POLICIES;
  else process.env.BENCH_POLICY_FLOOR_POLICIES = String(floorPolicies);
  const running = await startPolicyPack({ packDir: dir, stack: "prod", project: "platos-stacks", config: {} });
  try {
    const started = process.hrtime.bigint();
    for (const resource of analyzed) await running.analyze(resource);
    const analyzeMs = Number(process.hrtime.bigint() - started) / 1e6;
    return { startMs: running.startupMs, analyzeMsPerResource: analyzeMs / analyzed.length };
  } finally {
    await running.close();
  }
}

async function main(): Promise<void> {
  const analyzed = resources(resourceCount);
  const names = Object.keys(PACKS) as PackName[];
  const measured = Object.fromEntries(names.map((name) => [name, [] as Round[]])) as Record<PackName, Round[]>;
  for (let round = 0; round < rounds; round++) {
    // Rotate which goes first, so none always meets a warmer machine.
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const pack of order) measured[pack].push(await measure(pack, analyzed));
  }
  const medians = (pack: PackName) => ({
    start: median(measured[pack].map((r) => r.startMs)),
    analyze: median(measured[pack].map((r) => r.analyzeMsPerResource)),
  });
  const ours = medians("platos-policy");
  const floor = medians("floor");
  const sameCount = medians("floor-same-count");
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const row = (what: string, a: number, b: number, c: number, unit: string, digits: number) =>
    `| ${what} | ${a.toFixed(digits)} ${unit} | ${b.toFixed(digits)} ${unit} | ${c.toFixed(digits)} ${unit} | ${ratio(a, b)} | ${a / b <= TARGET_RATIO ? "met" : "not met"} (≤ ${TARGET_RATIO}×) | ${ratio(c, b)} | ${ratio(a, c)} |`;
  console.log(
    `Policy pack cost: medians of ${rounds} rotating rounds, ${resourceCount} resources of a prod stack each, load ${(await loadAverage()).toFixed(1)}`,
  );
  console.log(
    `| | platos-policy (${policies.length} policies) | floor (one no-op policy) | floor with ${policies.length} no-op policies | ours / floor | target | SDK: ${policies.length} / 1 | ours / ${policies.length} no-op |`,
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  console.log(row("start (spawn to GetAnalyzerInfo)", ours.start, floor.start, sameCount.start, "ms", 0));
  console.log(row("Analyze per resource", ours.analyze, floor.analyze, sameCount.analyze, "ms", 3));
}

async function loadAverage(): Promise<number> {
  const { loadavg } = await import("node:os");
  return loadavg()[0] ?? 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
