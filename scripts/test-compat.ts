/**
 * `npm run test:compat`: the tests that depend on Node and on the Pulumi SDKs, run where users are — Node 24 and 22
 * with the newest @pulumi/pulumi and @pulumi/policy the packages' declared ranges allow — beside the Node 20 /
 * @pulumi/pulumi 3.248 baseline that `npm test` runs. The main tree is not touched: Node comes from the registry's
 * `node-<platform>-<arch>` package into .cache/compat/node-<version>/ (reused when present), and the tests run in a
 * scratch copy of the tree (git's tracked and unignored files) whose package.json files pin the SDKs to those
 * versions, installed there with the fetched Node first on PATH.
 *
 *   node -r ts-node/register/transpile-only scripts/test-compat.ts [--node 24,22] [--spec <glob>]... [--keep]
 *
 * COMPAT_NODE_VERSIONS (e.g. "24" or "24,22") and COMPAT_SPEC (comma-separated globs) stand in for the flags.
 * Exits non-zero when any version fails to fetch, run, install, build, type-check or pass its tests.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const cacheDir = path.join(root, ".cache", "compat");

const DEFAULT_NODE_VERSIONS = ["24", "22"];
/** What the SDK upgrade can break: provider unit + lifecycle + host round trip, policy, harness, e2e stacks, pins. */
const DEFAULT_SPEC = [
  "test/providers/*.test.ts",
  "test/client/*.test.ts",
  "test/policy/*.test.ts",
  "test/harness/*.test.ts",
  "test/e2e/*.test.ts",
  "test/consumer/*.test.ts",
  "test/compat/*.test.ts",
];
const SDKS = ["@pulumi/pulumi", "@pulumi/policy"] as const;
type Sdk = (typeof SDKS)[number];

interface Options {
  nodeVersions: string[];
  spec: string[];
  keep: boolean;
}

interface Counts {
  passing: number;
  failing: number;
  pending: number;
}

interface Outcome {
  requested: string;
  node?: string;
  sdk: Partial<Record<Sdk, string>>;
  steps: { name: string; ok: boolean; seconds: number }[];
  counts?: Counts;
  problem?: string;
  seconds: number;
  scratch?: string;
}

function parseArgs(argv: string[]): Options {
  const list = (value: string | undefined) =>
    (value ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const options: Options = {
    nodeVersions: list(process.env.COMPAT_NODE_VERSIONS),
    spec: list(process.env.COMPAT_SPEC),
    keep: false,
  };
  const specArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    if (flag === "--node") options.nodeVersions = list(value());
    else if (flag === "--spec") specArgs.push(...list(value()));
    else if (flag === "--keep") options.keep = true;
    else if (flag === "--help" || flag === "-h") {
      console.log("usage: scripts/test-compat.ts [--node 24,22] [--spec <glob>]... [--keep]");
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (specArgs.length > 0) options.spec = specArgs;
  if (options.nodeVersions.length === 0) options.nodeVersions = DEFAULT_NODE_VERSIONS;
  if (options.spec.length === 0) options.spec = DEFAULT_SPEC;
  return options;
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

/** The environment for everything run under the fetched Node: its bin first, nothing of the outer `npm run`. */
function childEnv(nodeBinDir?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === "INIT_CWD") continue; // would point npm at the main tree
    env[key] = value;
  }
  const mainBin = path.join(root, "node_modules", ".bin");
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter((d) => d !== "" && path.resolve(d) !== mainBin);
  env.PATH = [...(nodeBinDir ? [nodeBinDir] : []), ...dirs].join(path.delimiter);
  return env;
}

function run(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? childEnv(),
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

let active: ReturnType<typeof spawn> | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (active?.pid) killGroup(active.pid);
    process.exit(130);
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL"); // the child's whole process group (mocha's child, hosts, emulators)
  } catch {
    // already gone
  }
}

/** Runs with output streamed to the console (and, when asked, collected); resolves with the exit code. */
function stream(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; collect?: string[] }): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    active = child;
    const timer = setTimeout(() => {
      console.error(`compat: ${path.basename(command)} ${args.join(" ")} ran past ${opts.timeoutMs / 60_000} min; stopping it`);
      if (child.pid) killGroup(child.pid);
    }, opts.timeoutMs);
    const forward = (out: NodeJS.WriteStream) => (chunk: Buffer) => {
      out.write(chunk);
      opts.collect?.push(chunk.toString());
    };
    child.stdout.on("data", forward(process.stdout));
    child.stderr.on("data", forward(process.stderr));
    child.on("error", (err) => {
      console.error(`compat: cannot run ${command}: ${err.message}`);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      active = undefined;
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

function npmView(spec: string, field: string): unknown {
  const res = run("npm", ["view", spec, field, "--json"], { cwd: os.tmpdir() });
  if (res.status !== 0)
    throw new Error(`npm view ${spec} ${field} failed: ${(res.stderr || res.error?.message || "").trim().split("\n").slice(0, 2).join(" ")}`);
  return res.stdout.trim() ? JSON.parse(res.stdout) : undefined;
}

/** The newest published version matching `range` (npm lists matches oldest first). */
function newestVersion(name: string, range: string): string {
  const found = npmView(`${name}@${range}`, "version");
  const versions = Array.isArray(found) ? (found as string[]) : typeof found === "string" ? [found] : [];
  const newest = versions.at(-1);
  if (!newest) throw new Error(`no published ${name} matches "${range}"`);
  return newest;
}

// ---------------------------------------------------------------------------------------------------------------
// SDK versions: the newest the declared ranges allow

interface PackageJson {
  name?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const DEP_FIELDS = ["dependencies", "devDependencies", "optionalDependencies"] as const;

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** The root package.json and each workspace's, relative to `dir`. */
function manifests(dir: string): string[] {
  const rootManifest = readJson<PackageJson>(path.join(dir, "package.json"));
  return ["package.json", ...(rootManifest.workspaces ?? []).map((w) => path.join(w, "package.json"))];
}

/**
 * The SDK versions to test: @pulumi/policy, the newest the pack's declared range allows; @pulumi/pulumi, the newest
 * that every workspace's peer range and that @pulumi/policy's own dependency range allow (one copy for all).
 */
function targetSdkVersions(): { versions: Record<Sdk, string>; ranges: Record<Sdk, string> } {
  const declared = manifests(root).map((m) => readJson<PackageJson>(path.join(root, m)));
  const rangesOf = (name: Sdk, fields: readonly (keyof PackageJson)[]) =>
    declared.flatMap((m) => fields.map((f) => (m[f] as Record<string, string> | undefined)?.[name]).filter((r): r is string => !!r));
  const policyRanges = rangesOf("@pulumi/policy", DEP_FIELDS);
  if (policyRanges.length === 0) throw new Error("no workspace depends on @pulumi/policy");
  const policyRange = policyRanges.join(" ");
  const policy = newestVersion("@pulumi/policy", policyRange);
  const pulumiPeers = rangesOf("@pulumi/pulumi", ["peerDependencies"]);
  if (pulumiPeers.length === 0) throw new Error("no workspace declares a peer range for @pulumi/pulumi");
  const policyNeeds = (npmView(`@pulumi/policy@${policy}`, "dependencies") as Record<string, string> | undefined)?.["@pulumi/pulumi"];
  const pulumiRange = [...new Set([...pulumiPeers, ...(policyNeeds ? [policyNeeds] : [])])].join(" ");
  return {
    versions: { "@pulumi/pulumi": newestVersion("@pulumi/pulumi", pulumiRange), "@pulumi/policy": policy },
    ranges: { "@pulumi/pulumi": pulumiRange, "@pulumi/policy": policyRange },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Node from the registry

const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;

function cachedNodeVersions(): string[] {
  if (!fs.existsSync(cacheDir)) return [];
  return fs
    .readdirSync(cacheDir)
    .map((d) => /^node-(\d+\.\d+\.\d+)$/.exec(d)?.[1])
    .filter((v): v is string => !!v && fs.existsSync(nodeBin(v)))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

function nodeBin(version: string): string {
  return path.join(cacheDir, `node-${version}`, "bin", "node");
}

/** The newest Node matching `requested` ("24", "22.23", "24.22.3"); the newest cached one when the registry cannot say. */
function resolveNodeVersion(requested: string): string {
  try {
    return newestVersion(NODE_PACKAGE, requested);
  } catch (err) {
    const cached = cachedNodeVersions().filter((v) => v === requested || v.startsWith(`${requested}.`));
    if (cached.length === 0) throw err;
    console.log(`compat: registry lookup for ${NODE_PACKAGE}@${requested} failed (${(err as Error).message}); using cached Node ${cached.at(-1)}`);
    return cached.at(-1)!;
  }
}

/** Node `version` from the registry package into .cache/compat/node-<version>/, unless already there. */
function fetchNode(version: string): void {
  const target = path.join(cacheDir, `node-${version}`);
  if (fs.existsSync(nodeBin(version))) {
    console.log(`compat: Node ${version} from ${path.relative(root, target)}/ (cached)`);
    return;
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(cacheDir, `.fetch-${version}-`));
  try {
    console.log(`compat: fetching ${NODE_PACKAGE}@${version} from the registry`);
    const packed = run("npm", ["pack", `${NODE_PACKAGE}@${version}`, "--pack-destination", work, "--silent"], { cwd: work, timeoutMs: 600_000 });
    if (packed.status !== 0) throw new Error(`npm pack ${NODE_PACKAGE}@${version} failed: ${packed.stderr.trim()}`);
    const tarball = path.join(work, packed.stdout.trim().split("\n").pop()!.trim());
    const untar = run("tar", ["-xzf", tarball, "-C", work], { cwd: work, timeoutMs: 300_000 });
    if (untar.status !== 0) throw new Error(`unpacking ${tarball} failed: ${untar.stderr.trim()}`);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(path.join(work, "package"), target);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`compat: Node ${version} cached in ${path.relative(root, target)}/`);
}

/** `process.version` of the fetched binary, or why it cannot run here (a glibc too old, say). */
function probeNode(version: string): string {
  const res = run(nodeBin(version), ["-p", "process.version"], { cwd: os.tmpdir(), timeoutMs: 30_000 });
  if (res.status === 0) return res.stdout.trim();
  const why = (res.error?.message ?? res.stderr ?? "").trim().split("\n").slice(0, 4).join(" | ");
  const glibc = /GLIBC_[\d.]+/.exec(why);
  const libc = spawnSync("ldd", ["--version"], { encoding: "utf8" }).stdout?.split("\n")[0]?.trim();
  throw new Error(
    `Node ${version} (registry package ${NODE_PACKAGE}) cannot run on this machine` +
      (glibc ? `: it needs ${glibc[0]}, and this machine has ${libc ?? "an older glibc"}` : "") +
      `. ${why || `exit status ${res.status}`}`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The scratch copy

function copyTree(dest: string): number {
  const listed = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root });
  if (listed.status !== 0) throw new Error(`git ls-files failed (the compat run copies git's view of the tree): ${listed.stderr.trim()}`);
  let copied = 0;
  for (const file of new Set(listed.stdout.split("\0").filter(Boolean))) {
    const from = path.join(root, file);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(from);
    } catch {
      continue; // deleted in the working tree
    }
    const to = path.join(dest, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    else if (stat.isFile()) fs.copyFileSync(from, to);
    else continue;
    copied++;
  }
  return copied;
}

/** Pins the SDKs wherever a package installs them itself; peer ranges stay as declared (npm checks them). */
function pinSdks(dir: string, versions: Record<Sdk, string>): string[] {
  const changes: string[] = [];
  for (const manifest of manifests(dir)) {
    const file = path.join(dir, manifest);
    const pkg = readJson<PackageJson>(file);
    for (const field of DEP_FIELDS) {
      for (const sdk of SDKS) {
        const current = pkg[field]?.[sdk];
        if (current === undefined || current === versions[sdk]) continue;
        pkg[field]![sdk] = versions[sdk];
        changes.push(`${manifest} ${field}: ${sdk} ${current} -> ${versions[sdk]}`);
      }
    }
    fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  return changes;
}

/** Every installed copy of each SDK in the scratch tree, as `<version> at <path>`. */
function installedCopies(dir: string): Record<Sdk, { version: string; at: string }[]> {
  const found: Record<Sdk, { version: string; at: string }[]> = { "@pulumi/pulumi": [], "@pulumi/policy": [] };
  const visit = (modules: string, depth: number) => {
    if (depth > 6 || !fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      if (entry.startsWith(".")) continue;
      const names = entry.startsWith("@") ? fs.readdirSync(path.join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
      for (const name of names) {
        const pkgDir = path.join(modules, name);
        if (fs.lstatSync(pkgDir).isSymbolicLink()) continue; // workspace links are visited from their own dirs
        if ((SDKS as readonly string[]).includes(name)) {
          const { version } = readJson<{ version: string }>(path.join(pkgDir, "package.json"));
          found[name as Sdk].push({ version: version.replace(/^v/, ""), at: path.relative(dir, pkgDir) });
        }
        visit(path.join(pkgDir, "node_modules"), depth + 1);
      }
    }
  };
  for (const manifest of manifests(dir)) visit(path.join(dir, path.dirname(manifest), "node_modules"), 0);
  return found;
}

function mochaCounts(output: string): Counts | undefined {
  // eslint-disable-next-line no-control-regex
  const text = output.replace(/\u001b\[[0-9;]*m/g, "");
  const count = (label: string) => Number(new RegExp(`^\\s*(\\d+) ${label}\\b`, "m").exec(text)?.[1] ?? 0);
  if (!/^\s*\d+ (passing|failing|pending)\b/m.test(text)) return undefined;
  return { passing: count("passing"), failing: count("failing"), pending: count("pending") };
}

// ---------------------------------------------------------------------------------------------------------------

async function runOne(requested: string, version: string | undefined, sdk: Record<Sdk, string>, options: Options): Promise<Outcome> {
  const started = Date.now();
  const outcome: Outcome = { requested, sdk: {}, steps: [], seconds: 0 };
  const step = async (name: string, fn: () => Promise<boolean> | boolean): Promise<boolean> => {
    const t0 = Date.now();
    console.log(`\n==> [node ${outcome.node ?? requested}] ${name}`);
    let ok = false;
    try {
      ok = await fn();
    } catch (err) {
      outcome.problem ??= (err as Error).message;
      console.error(`compat: ${(err as Error).message}`);
    }
    const seconds = Math.round((Date.now() - t0) / 1000);
    outcome.steps.push({ name, ok, seconds });
    console.log(`==> [node ${outcome.node ?? requested}] ${name}: ${ok ? "ok" : "FAILED"} (${seconds}s)`);
    return ok;
  };
  const finish = () => ({ ...outcome, seconds: Math.round((Date.now() - started) / 1000) });

  if (!version) {
    outcome.problem = `no Node matching "${requested}" on the registry or in ${path.relative(root, cacheDir)}/`;
    outcome.steps.push({ name: "fetch Node", ok: false, seconds: 0 });
    return finish();
  }
  if (!(await step("fetch Node", () => (fetchNode(version), true)))) return finish();
  if (!(await step("run Node", () => ((outcome.node = probeNode(version)), true)))) return finish();
  const env = childEnv(path.dirname(nodeBin(version)));
  const node = nodeBin(version);

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `platos-compat-node${version}-`));
  outcome.scratch = scratch;
  const copied = await step("copy the tree", () => {
    console.log(`compat: ${copyTree(scratch)} files into ${scratch}`);
    for (const change of pinSdks(scratch, sdk)) console.log(`compat: ${change}`);
    const config = readJson<Record<string, unknown>>(path.join(scratch, ".mocharc.json"));
    fs.writeFileSync(path.join(scratch, ".mocharc.compat.json"), JSON.stringify({ ...config, spec: options.spec }, null, 2));
    return true;
  });
  if (!copied) return finish();

  const npmCli = ["--no-audit", "--no-fund", "--prefer-offline"];
  if (!(await step("npm install", async () => (await stream("npm", ["install", ...npmCli], { cwd: scratch, env, timeoutMs: 15 * 60_000 })) === 0)))
    return finish();
  await step("resolved versions", () => {
    const copies = installedCopies(scratch);
    for (const name of SDKS) {
      const list = copies[name];
      console.log(`compat: ${name}: ${list.map((c) => `${c.version} (${c.at})`).join(", ") || "not installed"}`);
      outcome.sdk[name] = [...new Set(list.map((c) => c.version))].join("+") || "missing";
    }
    const bad = SDKS.filter((name) => copies[name].length !== 1 || copies[name][0]!.version !== sdk[name]);
    if (bad.length > 0)
      throw new Error(
        `expected one copy of each SDK at the target version; ${bad.map((n) => `${n}: ${outcome.sdk[n]}`).join(", ")} (a private copy means some package pins its own)`,
      );
    return true;
  });
  if (!(await step("build", async () => (await stream("npm", ["run", "build"], { cwd: scratch, env, timeoutMs: 10 * 60_000 })) === 0))) return finish();
  await step("typecheck", async () => (await stream("npm", ["run", "typecheck"], { cwd: scratch, env, timeoutMs: 10 * 60_000 })) === 0);

  const output: string[] = [];
  await step(`mocha ${options.spec.join(" ")}`, async () => {
    const code = await stream(node, [path.join(scratch, "node_modules", "mocha", "bin", "mocha.js"), "--config", ".mocharc.compat.json"], {
      cwd: scratch,
      env,
      timeoutMs: 25 * 60_000,
      collect: output,
    });
    outcome.counts = mochaCounts(output.join(""));
    return code === 0 && outcome.counts !== undefined && outcome.counts.failing === 0;
  });
  return finish();
}

function passed(o: Outcome): boolean {
  return o.steps.length > 0 && o.steps.every((s) => s.ok) && o.counts !== undefined && o.counts.failing === 0;
}

function minutes(seconds: number): string {
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

function printSummary(outcomes: Outcome[]): void {
  const rows = [
    ["Node", "@pulumi/pulumi", "@pulumi/policy", "passing", "failing", "pending", "time", "result"],
    ...outcomes.map((o) => [
      o.node ?? `${o.requested} (not run)`,
      o.sdk["@pulumi/pulumi"] ?? "-",
      o.sdk["@pulumi/policy"] ?? "-",
      String(o.counts?.passing ?? "-"),
      String(o.counts?.failing ?? "-"),
      String(o.counts?.pending ?? "-"),
      minutes(o.seconds),
      passed(o)
        ? "PASS"
        : `FAIL (${
            o.steps
              .filter((s) => !s.ok)
              .map((s) => s.name.split(" ")[0])
              .join(", ") || "no test counts"
          })`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log("\ncompat summary (SDK versions as installed in the scratch copy):");
  for (const row of rows) console.log(`  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`);
  for (const o of outcomes) {
    if (o.problem) console.log(`  node ${o.node ?? o.requested}: ${o.problem}`);
    if (!passed(o) && o.scratch && fs.existsSync(o.scratch)) console.log(`  node ${o.node ?? o.requested}: scratch copy kept at ${o.scratch}`);
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const baseline = readJson<{ version: string }>(require.resolve("@pulumi/pulumi/package.json", { paths: [root] })).version;
  const { versions, ranges } = targetSdkVersions();
  console.log(`compat: baseline (npm test) is Node ${process.version} with @pulumi/pulumi ${baseline}`);
  console.log(
    `compat: @pulumi/pulumi ${versions["@pulumi/pulumi"]} (newest for "${ranges["@pulumi/pulumi"]}"), @pulumi/policy ${versions["@pulumi/policy"]} (newest for "${ranges["@pulumi/policy"]}")`,
  );
  console.log(`compat: tests: ${options.spec.join(" ")}`);

  const nodeVersions = new Map<string, string | undefined>();
  for (const requested of options.nodeVersions) {
    try {
      nodeVersions.set(requested, resolveNodeVersion(requested));
    } catch (err) {
      console.error(`compat: ${(err as Error).message}`);
      nodeVersions.set(requested, undefined);
    }
  }
  console.log(`compat: Node ${[...nodeVersions].map(([r, v]) => `${v ?? `${r} (not found)`}`).join(", ")} (registry package ${NODE_PACKAGE})`);

  const outcomes: Outcome[] = [];
  for (const [requested, version] of nodeVersions) {
    const outcome = await runOne(requested, version, versions, options);
    outcomes.push(outcome);
    if (passed(outcome) && !options.keep && outcome.scratch) fs.rmSync(outcome.scratch, { recursive: true, force: true });
  }
  printSummary(outcomes);
  process.exitCode = outcomes.every(passed) ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(`compat: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
});
