/** `pulumi-platos import` as a user runs it (the package's bin, built), against the emulator. */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { closeAllPools } from "../../provider/client";
import { platosWorld } from "../helpers/platos-world";

const bin = resolve(__dirname, "../../node_modules/.bin/pulumi-platos");

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function runImport(args: string[], env: Record<string, string>): Promise<Outcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(bin, ["import", ...args], { env: { PATH: process.env.PATH ?? "", PLATOS_PROTOCOL: "v1", ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("pulumi-platos import (the bin)", function () {
  this.timeout(60_000);
  const world = platosWorld();
  let work: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "platos-import-"));
    const admin = world.admin;
    const env = await admin.environments.create("default", { slug: "staging", name: "Staging" });
    await admin.variables.put(env.id, "LOG_LEVEL", { value: "info" });
    await admin.variables.put(env.id, "OPENAI_API_KEY", { value: "sk-never-printed-42", secret: true });
    await admin.agents.create(env.id, { slug: "triage", name: "Triage", model: "anthropic:claude-sonnet-4-6" });
    await closeAllPools();
  });

  after(async () => {
    rmSync(work, { recursive: true, force: true });
  });

  it("writes the program and prints the secret config commands", async () => {
    const out = join(work, "index.ts");
    const result = await runImport(["--project", "default", "--environment", "staging", "--out", out, "--stack", "staging"], {
      PLATOS_API_URL: world.emulator.url,
      PLATOS_TOKEN: world.emulator.adminToken,
    });
    assert.equal(result.code, 0, result.stderr);
    const program = readFileSync(out, "utf8");
    assert.match(program, /new Environment\("env-staging"/);
    assert.match(program, /key: "OPENAI_API_KEY", value: config.requireSecret\("OPENAI_API_KEY"\), secret: true/);
    assert.match(program, /new Agent\("agent-triage"/);
    assert.match(result.stderr, /pulumi config set --secret --stack staging OPENAI_API_KEY/);
    const everything = program + result.stdout + result.stderr;
    assert.ok(!everything.includes("sk-never-printed-42"));
    assert.ok(!everything.includes(world.emulator.adminToken));
  });

  it("refuses to overwrite an existing --out file unless --force", async () => {
    const out = join(work, "existing.ts");
    writeFileSync(out, "// the user's own program\n");
    const args = ["--project", "default", "--environment", "staging", "--out", out];
    const env = { PLATOS_API_URL: world.emulator.url, PLATOS_TOKEN: world.emulator.adminToken };
    const refused = await runImport(args, env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`${out} already exists: pass --force to overwrite it, or choose another --out`));
    assert.equal(readFileSync(out, "utf8"), "// the user's own program\n");
    const forced = await runImport([...args, "--force"], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(out, "utf8"), /new Environment\("env-staging"/);
  });

  it("reads platos:* from --stack-config as a stack does; an encrypted token must come from PLATOS_TOKEN", async () => {
    const stackFile = join(work, "Pulumi.staging.yaml");
    writeFileSync(
      stackFile,
      `config:\n  platos:protocol: v1\n  platos:apiUrl: ${world.emulator.url}\n  platos:token:\n    secure: v1:c2VjcmV0LWNpcGhlcnRleHQ=\n`,
    );
    const base = ["--project", "default", "--environment", "staging", "--stack-config", stackFile];
    const encrypted = await runImport(base, { PLATOS_PROTOCOL: "" });
    assert.equal(encrypted.code, 1);
    assert.match(
      encrypted.stderr,
      /platos:token is encrypted in .*Pulumi\.staging\.yaml, which only the Pulumi CLI can decrypt: pass it as PLATOS_TOKEN instead/,
    );
    assert.ok(!encrypted.stderr.includes("c2VjcmV0LWNpcGhlcnRleHQ="));
    const read = await runImport(base, { PLATOS_PROTOCOL: "", PLATOS_TOKEN: world.emulator.adminToken });
    assert.equal(read.code, 0, read.stderr);
    assert.match(read.stdout, /new Environment\("env-staging"/);
  });

  it("--version prints the package's version", async () => {
    const { stdout } = await promisify(execFile)(bin, ["--version"]);
    assert.equal(stdout.trim(), (JSON.parse(readFileSync(resolve(__dirname, "../../provider/package.json"), "utf8")) as { version: string }).version);
  });

  it("links each object to its dashboard page with --dashboard-url or PLATOS_DASHBOARD_URL, and refuses a malformed one", async () => {
    const env = { PLATOS_API_URL: world.emulator.url, PLATOS_TOKEN: world.emulator.adminToken };
    const base = ["--project", "default", "--environment", "staging"];
    const page = "https://dash.example.test/orgs/default/projects/default/env/staging";
    const flagged = await runImport([...base, "--dashboard-url", "https://dash.example.test/"], env);
    assert.equal(flagged.code, 0, flagged.stderr);
    assert.ok(flagged.stdout.includes(`// The environment in the dashboard: "${page}"\n`));
    assert.ok(flagged.stdout.includes(`// Variables in the dashboard: "${page}/environment-variables"\n`));
    assert.match(flagged.stdout, new RegExp(`// Agent "triage" in the dashboard: "${page}/agents/[^\\s]+"\\nnew Agent\\("agent-triage"`));
    const fromEnv = await runImport(base, { ...env, PLATOS_DASHBOARD_URL: "https://dash.example.test" });
    assert.equal(fromEnv.stdout, flagged.stdout);
    assert.ok(!(await runImport(base, env)).stdout.includes("dashboard"));

    const malformed = await runImport([...base, "--dashboard-url", "dash.example.test"], env);
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /platos:dashboardUrl must be the http\(s\) base URL of the Platos dashboard/);
  });

  it("refuses a token with a character no HTTP header carries before calling Platos, naming platos:token, not platos:apiUrl", async () => {
    const base = ["--project", "default", "--environment", "staging"];
    for (const [token, kind] of [
      [`${world.emulator.adminToken}\u200b`, "whitespace or an invisible character such as a zero-width space"],
      [`${world.emulator.adminToken}ж`, "a character outside ASCII"],
    ] as const) {
      const refused = await runImport(base, { PLATOS_API_URL: world.emulator.url, PLATOS_PROTOCOL: "v1", PLATOS_TOKEN: token });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`platos:token contains ${kind}, which an HTTP header cannot carry`));
      assert.doesNotMatch(refused.stderr, /apiUrl|not reachable/);
      assert.ok(!refused.stderr.includes(world.emulator.adminToken));
    }
    const trailing = await runImport(base, { PLATOS_API_URL: world.emulator.url, PLATOS_TOKEN: `${world.emulator.adminToken} ` });
    assert.equal(trailing.code, 1);
    assert.match(trailing.stderr, /platos:token ends with a space: remove the trailing space/);
  });

  it("explains a wrong token, a wrong slug, an unreachable URL and a missing token", async () => {
    const base = ["--project", "default", "--environment", "staging"];
    const wrongToken = await runImport(base, { PLATOS_API_URL: world.emulator.url, PLATOS_TOKEN: "plt_wrong_token_value" });
    assert.equal(wrongToken.code, 1);
    assert.match(
      wrongToken.stderr,
      new RegExp(`Platos at ${world.emulator.url} rejected platos:token; check that it is the right token.*PLATOS_\\* environment variable`),
    );
    assert.ok(!wrongToken.stderr.includes("plt_wrong_token_value"));

    const wrongSlug = await runImport(["--project", "default", "--environment", "nope"], {
      PLATOS_API_URL: world.emulator.url,
      PLATOS_TOKEN: world.emulator.adminToken,
    });
    assert.equal(wrongSlug.code, 1);
    assert.match(wrongSlug.stderr, /environment "nope" was not found in project "default"/);

    const unreachable = await runImport(base, { PLATOS_API_URL: "http://127.0.0.1:9", PLATOS_TOKEN: "t" });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /Platos is not reachable at http:\/\/127\.0\.0\.1:9; check platos:apiUrl \(each platos:\* setting is read from --api-url/);

    const noToken = await runImport(base, { PLATOS_API_URL: world.emulator.url });
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /set PLATOS_TOKEN/);
  });
});
