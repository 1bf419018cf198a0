/**
 * The `platos-emulator` command as a user's CI runs it: the package's bin as its own process (start), and the steps
 * against it (seed, token, add-provider-key) as further processes. Needs the package built (`npm run build`).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "../../provider/client";
import { closeAllPools } from "../../provider/client";
import { EMULATOR_BIN, spawnEmulator, type SpawnedEmulator } from "../../emulator/spawn";

const ADMIN = "admin-cli-test-0123456789abcdef";

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One `platos-emulator <args>` run to its end, with the admin token in its environment (never on its command line). */
function cli(args: readonly string[], input = "", adminToken: string | null = ADMIN): Ran {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (adminToken === null) delete env.PLATOS_EMULATOR_ADMIN_TOKEN;
  else env.PLATOS_EMULATOR_ADMIN_TOKEN = adminToken;
  const ran = spawnSync(process.execPath, [EMULATOR_BIN, ...args], { env, input, encoding: "utf8", timeout: 60_000 });
  return { status: ran.status, stdout: ran.stdout, stderr: ran.stderr };
}

const portOf = (url: string) => new URL(url).port;

describe("platos-emulator (the package's command, as its own process)", function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  const running: SpawnedEmulator[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "platos-emulator-cli-"));
    dirs.push(dir);
    return dir;
  };
  const start = async (args: readonly string[], dataDir = tempDir()) => {
    const emulator = await spawnEmulator({ dataDir, adminToken: ADMIN, args, startTimeoutMs: 120_000 });
    running.push(emulator);
    return emulator;
  };

  after(async () => {
    await Promise.all(running.map((each) => each.stop()));
    await closeAllPools();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("starts on its embedded database in the data directory given, says where its data is and that it is ready", async () => {
    const dataDir = tempDir();
    const emulator = await start(["--port", "0", "--data-dir", join(dataDir, "given")]);
    assert.match(emulator.output(), new RegExp(`^Data: ${join(dataDir, "given").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}; ready in \\d+\\.\\d\\d s$`, "m"));
    const lines = emulator.output().trim().split("\n");
    assert.match(lines[lines.length - 1]!, /^Platos emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await fetch(`${emulator.url}/api/v1/projects`, { headers: { authorization: `Bearer ${ADMIN}` } })).status, 200);
  });

  /** One in-memory emulator for the steps against a running one (each start costs seconds). */
  let shared: SpawnedEmulator | undefined;
  const inMemory = async () => (shared ??= await start(["--in-memory"]));

  it("seeds a project and its environments, and a second seed changes nothing", async () => {
    const emulator = await inMemory();
    assert.match(emulator.output(), /^Data: in memory/m);
    const first = cli(["seed", "--url", emulator.url, "--project", "shop", "--environment", "dev,staging", "--environment", "prod"]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^organization default: exists \(/m);
    assert.match(first.stdout, /^project shop: created \(/m);
    for (const slug of ["dev", "staging", "prod"]) assert.match(first.stdout, new RegExp(`^environment ${slug}: created \\(`, "m"));
    const again = cli(["seed", "--url", emulator.url, "--project", "shop", "--environment", "dev,staging,prod"]);
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /created/);
    // The same ids both times: nothing was made again.
    const ids = (out: string) => [...out.matchAll(/\(([0-9a-f-]{36})\)/g)].map((match) => match[1]);
    assert.deepEqual(ids(again.stdout), ids(first.stdout));
    const admin = createClient({ apiUrl: emulator.url, token: ADMIN });
    const environments = await admin.environments.list("shop");
    assert.deepEqual(environments.map((each) => each.slug).sort(), ["dev", "prod", "staging"]);
  });

  it("mints a plt_mcp_ token and shows it only in the `pulumi config set --secret` line; the token works", async () => {
    const emulator = await inMemory();
    assert.equal(cli(["seed", "--url", emulator.url, "--environment", "dev"]).status, 0);
    const ran = cli(["token", "--url", emulator.url, "--environment", "dev", "--stack", "dev"]);
    assert.equal(ran.status, 0, ran.stderr);
    assert.equal(ran.stderr, "");
    const lines = ran.stdout.trim().split("\n");
    assert.deepEqual(
      lines.filter((line) => !line.includes("platos:token ")),
      [
        `pulumi config set --stack dev platos:apiUrl ${emulator.url}`,
        `pulumi config set --stack dev platos:coreApiUrl ${emulator.url}/core`,
        `pulumi config set --stack dev --secret platos:operatorToken "$PLATOS_EMULATOR_ADMIN_TOKEN"`,
      ],
    );
    const token = /^pulumi config set --stack dev --secret platos:token (plt_mcp_\S+)$/m.exec(ran.stdout)?.[1];
    assert.ok(token, ran.stdout);
    assert.equal(ran.stdout.split(token).length, 2, "the token appears once");
    assert.ok(!ran.stdout.includes(ADMIN), "the admin token is never printed");
    // The token is a real one: the gateway takes it.
    const reply = await fetch(`${emulator.url}/mcp/platform`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
    assert.ok(reply.ok, `HTTP ${reply.status}`);
    assert.ok(((await reply.json()) as { result: { tools: unknown[] } }).result.tools.length > 0);
    const bogus = await fetch(`${emulator.url}/mcp/platform`, {
      method: "POST",
      headers: { authorization: `Bearer plt_mcp_${"0".repeat(40)}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
    assert.equal(bogus.status, 401);
  });

  it("refuses to run a step without the admin token in PLATOS_EMULATOR_ADMIN_TOKEN", async () => {
    const ran = cli(["seed", "--url", "http://127.0.0.1:9", "--environment", "dev"], "", null);
    assert.equal(ran.status, 1);
    assert.match(ran.stderr, /set PLATOS_EMULATOR_ADMIN_TOKEN/);
  });

  it("adds a provider key from standard input as the dashboard does, and never prints the key", async () => {
    const emulator = await inMemory();
    assert.equal(cli(["seed", "--url", emulator.url, "--environment", "dev"]).status, 0);
    const material = "sk-cli-test-material-abcdefghijklmnop";
    const args = [
      "add-provider-key",
      "--url",
      emulator.url,
      "--environment",
      "dev",
      "--provider",
      "openai",
      "--label",
      "main",
      "--env-var-name",
      "OPENAI_API_KEY",
      "--default",
    ];
    const ran = cli(args, `${material}\n`);
    assert.equal(ran.status, 0, ran.stderr);
    assert.match(ran.stdout, /^provider key openai "main" added to default\/dev \(/);
    assert.ok(!`${ran.stdout}${ran.stderr}`.includes(material));
    const admin = createClient({ apiUrl: emulator.url, token: ADMIN });
    const environment = await admin.environments.findBySlug("default", "dev");
    const keys = await admin.providerKeys.list(environment!.id);
    assert.deepEqual(
      keys.map((key) => [key.provider, key.label, key.isDefault]),
      [["openai", "main", true]],
    );
    const empty = cli(args, "");
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /no key on standard input/);
    const unknown = cli([...args.slice(0, 4), "nowhere", ...args.slice(5)], material);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /--environment: project "default" has no environment "nowhere"/);
  });

  it("serves core-api on a port of its own with --core-api-port, and the steps reach it with --core-api-url", async () => {
    const emulator = await start(["--in-memory", "--core-api-port", "0"]);
    assert.notEqual(portOf(emulator.coreApiUrl), portOf(emulator.url));
    const seeded = cli(["seed", "--url", emulator.url, "--core-api-url", emulator.coreApiUrl, "--environment", "dev"]);
    assert.equal(seeded.status, 0, seeded.stderr);
    const token = cli(["token", "--url", emulator.url, "--core-api-url", emulator.coreApiUrl, "--environment", "dev"]);
    assert.equal(token.status, 0, token.stderr);
    assert.match(token.stdout, new RegExp(`^pulumi config set platos:coreApiUrl ${emulator.coreApiUrl}$`, "m"));
  });

  it("refuses a port in use, naming --port", async () => {
    const emulator = await inMemory();
    const ran = cli(["start", "--in-memory", "--port", portOf(emulator.url)]);
    assert.equal(ran.status, 1);
    assert.match(ran.stderr, new RegExp(`^platos-emulator: --port: port ${portOf(emulator.url)} on 127\\.0\\.0\\.1 is already in use$`, "m"));
    const core = cli(["start", "--in-memory", "--port", "0", "--core-api-port", portOf(emulator.url)]);
    assert.equal(core.status, 1);
    assert.match(core.stderr, /^platos-emulator: --core-api-port: port \d+ on 127\.0\.0\.1 is already in use$/m);
  });

  it("refuses a data directory it cannot write, naming --data-dir", () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "");
    const ran = cli(["start", "--port", "0", "--data-dir", join(file, "data")]);
    assert.equal(ran.status, 1);
    assert.match(ran.stderr, /^platos-emulator: --data-dir: the data directory \S+ is not writable \(ENOTDIR\)$/m);
    const both = cli(["start", "--port", "0", "--data-dir", tempDir(), "--in-memory"]);
    assert.equal(both.status, 1);
    assert.match(both.stderr, /--data-dir: --in-memory keeps no data directory/);
  });

  it("starts in this process through the package's exported startEmulator, as a library user does", async () => {
    // The package by its name (the workspace link in the repository, as node_modules/platos-emulator in a project).
    const { startEmulator, readConfig } = require("platos-emulator") as typeof import("../../emulator/index");
    const emulator = await startEmulator(readConfig({ PLATOS_EMULATOR_PORT: "0", PLATOS_EMULATOR_ADMIN_TOKEN: ADMIN, PLATOS_EMULATOR_LOG_LEVEL: "warn" }), {
      inMemory: true,
    });
    try {
      assert.equal(emulator.storage, "memory");
      assert.equal(emulator.generatedAdminToken, undefined);
      assert.equal(emulator.coreApiUrl, `${emulator.url}/core`);
      assert.equal((await fetch(`${emulator.url}/api/v1/projects`, { headers: { authorization: `Bearer ${ADMIN}` } })).status, 200);
      assert.equal((await fetch(`${emulator.url}/api/v1/projects`, { headers: { authorization: "Bearer not-the-admin-token" } })).status, 401);
    } finally {
      await emulator.close();
    }
  });

  it("keeps two emulators' data apart on one machine (two ports, two data directories)", async () => {
    const [a, b] = [await start(["--port", "0"]), await start(["--port", "0"])];
    assert.notEqual(portOf(a.url), portOf(b.url));
    assert.equal(cli(["seed", "--url", a.url, "--project", "alpha", "--environment", "dev"]).status, 0);
    assert.equal(cli(["seed", "--url", b.url, "--project", "beta", "--environment", "dev"]).status, 0);
    const projects = async (url: string) =>
      (await createClient({ apiUrl: url, token: ADMIN }).projects.list()).map((each) => each.slug).filter((slug) => slug !== "default");
    assert.deepEqual(await projects(a.url), ["alpha"]);
    assert.deepEqual(await projects(b.url), ["beta"]);
    // Restarted on its own directory, each still has only its own.
    await a.stop();
    const again = await start(["--port", "0"], /^Data: (.+); ready/m.exec(a.output())![1]);
    assert.deepEqual(await projects(again.url), ["alpha"]);
  });
});
