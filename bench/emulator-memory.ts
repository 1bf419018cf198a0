/**
 * Resident memory of the emulator process under the benchmark's load, with embedded storage (PGlite in a data
 * directory, as `npm run emulator` runs it).
 *
 *   npm run bench:emulator-memory -- [--environments 3] [--variables 200] [--agents 10] [--concurrency 8] [--data-dir DIR]
 *
 * Starts `platos-emulator start` as its own process (emulator/spawn.ts) twice, on a new data directory and then again
 * on the same one, and each time drives the V1 routes (environments; variables, a quarter secret; agents; list,
 * update, delete) and reads the process's VmRSS and VmHWM from /proc. Prints figures; asserts nothing. Linux only.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { spawnEmulator } from "../emulator/spawn";
import { inParallel } from "./in-parallel";
import { descendantsOf, sampleProcess } from "./proc";

interface Options {
  readonly environments: number;
  readonly variables: number;
  readonly agents: number;
  readonly concurrency: number;
  /** An existing data directory to start on (a restart); absent: a fresh temporary one (a first start). */
  readonly dataDir?: string;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      environments: { type: "string", default: "3" },
      variables: { type: "string", default: "200" },
      agents: { type: "string", default: "10" },
      concurrency: { type: "string", default: "8" },
      "data-dir": { type: "string" },
    },
  });
  const whole = (name: string, raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number from 1`);
    return n;
  };
  return {
    environments: whole("environments", values.environments),
    variables: whole("variables", values.variables),
    agents: whole("agents", values.agents),
    concurrency: whole("concurrency", values.concurrency),
    dataDir: values["data-dir"],
  };
}

const MIB = 1024 * 1024;

/** The process's resident set now, its peak (VmHWM) in MiB, and its CPU seconds; it must still be running. */
function mustSample(pid: number): { rss: number; hwm: number; cpuSeconds: number } {
  const sample = sampleProcess(pid);
  if (!sample) throw new Error(`process ${pid} has exited`);
  return { rss: sample.rssBytes / MIB, hwm: sample.peakRssBytes / MIB, cpuSeconds: sample.cpuSeconds };
}

/**
 * The highest VmHWM seen per process among this process's descendants: the emulator, and the one-off child that
 * initialises a new data directory, whose own VmHWM cannot be read after it exits.
 */
function treeSampler(): { stop(): Map<number, number> } {
  const peaks = new Map<number, number>();
  const sample = () => {
    for (const pid of descendantsOf(process.pid)) {
      const sample = sampleProcess(pid);
      if (sample) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, sample.peakRssBytes / MIB));
    }
  };
  const timer = setInterval(sample, 20);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

function client(base: string, token: string) {
  const counts = new Map<string, number>();
  const call = async <T>(method: Method, path: string, body?: unknown): Promise<T> => {
    counts.set(method, (counts.get(method) ?? 0) + 1);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    // Every write carries an Idempotency-Key, as the provider sends them.
    if (method !== "GET") headers["idempotency-key"] = randomUUID();
    const res = await fetch(new URL(path, base), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return { call, counts };
}

interface Page<T> {
  data: T[];
  /** Absent on the variable listing, which is not paginated. */
  page?: { nextCursor: string | null };
}

async function listAll<T>(call: ReturnType<typeof client>["call"], path: string): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? "?limit=200" : `?limit=200&cursor=${encodeURIComponent(cursor)}`;
    const page: Page<T> = await call<Page<T>>("GET", `${path}${query}`);
    all.push(...page.data);
    cursor = page.page?.nextCursor ?? null;
  } while (cursor !== null);
  return all;
}

async function drive(base: string, token: string, options: Options): Promise<Map<string, number>> {
  const { call, counts } = client(base, token);
  const { concurrency } = options;
  const slugs = Array.from({ length: options.environments }, (_, i) => `mem-${i}`);
  const envIds = await Promise.all(
    slugs.map(async (slug) => (await call<{ data: { id: string } }>("POST", "/api/v1/projects/default/environments", { slug })).data.id),
  );
  const keys = Array.from({ length: options.variables }, (_, i) => `BENCH_VAR_${i}`);
  const agentSlugs = Array.from({ length: options.agents }, (_, i) => `agent-${i}`);
  const value = (i: number, round: number): string => `value-${round}-${i}-${"x".repeat(48)}`;

  for (const envId of envIds) {
    const variables = `/api/v1/environments/${envId}/variables`;
    const agents = `/api/v1/environments/${envId}/agents`;
    await inParallel(keys, concurrency, (key, i) => call("PUT", `${variables}/${key}`, { value: value(i, 0), secret: i % 4 === 0 }));
    await inParallel(agentSlugs, concurrency, (slug) =>
      call("POST", agents, { slug, name: `Agent ${slug}`, model: "anthropic:claude-sonnet-4-6", systemPrompt: `You are ${slug}.`, maxSteps: 24 }),
    );
  }
  for (const envId of envIds) {
    const variables = `/api/v1/environments/${envId}/variables`;
    const agents = `/api/v1/environments/${envId}/agents`;
    const listedVariables = await listAll<{ key: string }>(call, variables);
    const listedAgents = await listAll<{ id: string }>(call, agents);
    if (listedVariables.length !== keys.length || listedAgents.length !== agentSlugs.length) throw new Error("a listing does not hold what was written");
    await inParallel(keys, concurrency, (key, i) => call("PUT", `${variables}/${key}`, { value: value(i, 1), secret: i % 4 === 0 }));
    await inParallel(listedAgents, concurrency, (agent, i) => call("PATCH", `${agents}/${agent.id}`, { maxSteps: 30 + i, systemPrompt: `Updated ${i}.` }));
    await inParallel(keys, concurrency, (key) => call("DELETE", `${variables}/${key}`));
    await inParallel(listedAgents, concurrency, (agent) => call("DELETE", `${agents}/${agent.id}`));
  }
  await inParallel(envIds, concurrency, (envId) => call("DELETE", `/api/v1/environments/${envId}`));
  return counts;
}

const mib = (n: number): string => `${n.toFixed(0)} MiB`;

interface Phase {
  readonly idle: number;
  readonly peak: number;
  readonly after: number;
  /** The highest VmHWM of any other process the emulator started (the data directory's initialisation). */
  readonly helperPeak?: number;
  readonly requests: Map<string, number>;
  /** From spawning `platos-emulator start` to its ready line (Node's own start included). */
  readonly readySeconds: number;
  readonly seconds: number;
  /** CPU seconds the emulator spent on the load. */
  readonly cpuSeconds: number;
}

async function runPhase(dataDir: string, options: Options): Promise<Phase> {
  const adminToken = randomUUID();
  const tree = treeSampler();
  const spawned = Date.now();
  const emulator = await spawnEmulator({ dataDir, adminToken, startTimeoutMs: 120_000 });
  const readySeconds = (Date.now() - spawned) / 1000;
  try {
    const pid = emulator.child.pid;
    if (pid === undefined) throw new Error("the emulator has no pid");
    // Idle: ready, one health check answered, then left alone for a moment.
    await fetch(new URL("/health", emulator.url));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { rss: idle, cpuSeconds: cpuBefore } = mustSample(pid);
    const started = Date.now();
    const requests = await drive(emulator.url, adminToken, options);
    const seconds = (Date.now() - started) / 1000;
    const { rss: after, hwm: peak, cpuSeconds: cpuAfter } = mustSample(pid);
    const cpuSeconds = cpuAfter - cpuBefore;
    const helpers = [...tree.stop()].filter(([other]) => other !== pid).map(([, hwm]) => hwm);
    return { idle, peak, after, requests, readySeconds, seconds, cpuSeconds, helperPeak: helpers.length > 0 ? Math.max(...helpers) : undefined };
  } finally {
    tree.stop();
    await emulator.stop();
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "platos-bench-memory-"));
  try {
    console.log(`emulator: platos-emulator start (PGlite in a data directory), Node ${process.version}`);
    console.log(
      `load per start: ${options.environments} environments × ${options.variables} variables (a quarter secret) × ${options.agents} agents, ` +
        `concurrency ${options.concurrency}: create, list, update, delete, through the V1 routes`,
    );
    console.log("");
    console.log(`${"start".padEnd(34)}${"ready".padStart(8)}${"idle RSS".padStart(10)}${"peak RSS".padStart(10)}${"after".padStart(10)}  requests`);
    // The first start initialises the data directory (unless --data-dir names one that has a cluster); the
    // second opens what the first left.
    for (const label of [options.dataDir ? "start on --data-dir" : "first start (new data directory)", "restart (same data directory)"]) {
      const phase = await runPhase(dataDir, options);
      const total = [...phase.requests.values()].reduce((a, b) => a + b, 0);
      const methods = [...phase.requests].map(([method, n]) => `${method} ${n}`).join(", ");
      console.log(
        `${label.padEnd(34)}${`${phase.readySeconds.toFixed(2)} s`.padStart(8)}${mib(phase.idle).padStart(10)}${mib(phase.peak).padStart(10)}${mib(phase.after).padStart(10)}  ${total} (${methods}) in ${phase.seconds.toFixed(1)} s (emulator CPU ${phase.cpuSeconds.toFixed(1)} s)`,
      );
      if (phase.helperPeak !== undefined) console.log(`  a child process of the emulator peaked at ${mib(phase.helperPeak)} (sampled VmHWM) and exited`);
    }
    console.log("");
    console.log("ready: from spawning `platos-emulator start` to its ready line (target ≤ 3 s); idle: after start and one health check;");
    console.log("peak: the emulator process's VmHWM (target ≤ 300 MB); after: VmRSS once the load is done.");
  } finally {
    if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
