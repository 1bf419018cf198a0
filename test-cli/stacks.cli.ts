/**
 * The e2e stack scenarios with the real Pulumi CLI (file backend), for machines where `pulumi` is on PATH:
 * `npm run test:cli`. Without a CLI this suite fails and says why; it is not part of `npm test`.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawnEmulator, type SpawnedEmulator } from "../emulator/spawn";

const root = resolve(__dirname, "..");
const adminToken = "plt_admin_cli_suite_0123456789abcdef";

describe("stacks with the real Pulumi CLI", function () {
  let work: string;
  let emulator: SpawnedEmulator;
  let env: NodeJS.ProcessEnv;

  const pulumi = (args: string[], expectOk = true) => {
    const result = spawnSync("pulumi", args, { cwd: root, env, encoding: "utf8" });
    if (expectOk) assert.equal(result.status, 0, `pulumi ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
    return result;
  };

  before(async function () {
    const version = spawnSync("pulumi", ["version"], { encoding: "utf8" });
    if (version.status !== 0) throw new Error("`pulumi` is not on PATH: npm run test:cli needs the Pulumi CLI (https://www.pulumi.com/docs/install/)");
    work = mkdtempSync(join(tmpdir(), "platos-cli-"));
    emulator = await spawnEmulator({ dataDir: join(work, "emulator"), adminToken });
    env = { ...process.env, PULUMI_BACKEND_URL: `file://${join(work, "state")}`, PULUMI_CONFIG_PASSPHRASE: "cli-suite", PULUMI_SKIP_UPDATE_CHECK: "true" };
    spawnSync("mkdir", ["-p", join(work, "state")]);
  });

  after(async () => {
    await emulator?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const configure = (stack: string) => {
    const file = join(work, `Pulumi.${stack}.yaml`);
    copyFileSync(join(root, `Pulumi.${stack}.yaml`), file);
    const flags = ["--stack", stack, "--config-file", file];
    pulumi(["stack", "init", stack, "--non-interactive"]);
    pulumi(["config", "set", ...flags, "platos:apiUrl", emulator.url]);
    pulumi(["config", "set", ...flags, "--secret", "platos:token", adminToken]);
    pulumi(["config", "set", ...flags, "--secret", "anthropicApiKey", `sk-ant-cli-${stack}`]);
    return flags;
  };

  for (const stack of ["dev", "staging", "prod"]) {
    it(`${stack}: up, a second up with no changes, refresh, destroy`, () => {
      const flags = configure(stack);
      pulumi(["up", ...flags, "--yes", "--non-interactive", "--policy-pack", join(root, "policy")]);
      pulumi(["preview", ...flags, "--expect-no-changes", "--non-interactive", "--policy-pack", join(root, "policy")]);
      pulumi(["refresh", ...flags, "--yes", "--expect-no-changes", "--non-interactive"]);
      const state = readdirSync(join(work, "state"), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith(`${stack}.json`));
      for (const file of state) {
        const text = readFileSync(join(work, "state", file), "utf8");
        assert.ok(!text.includes(adminToken), "token in state");
        assert.ok(!text.includes(`sk-ant-cli-${stack}`), "secret in state");
      }
      pulumi(["destroy", ...flags, "--yes", "--non-interactive"]);
      pulumi(["stack", "rm", stack, "--yes", "--non-interactive"]);
    });
  }

  it("prod with PLATOS_TEST_MODE=true is stopped by the policy pack before any write", () => {
    const flags = configure("prod");
    pulumi(["config", "set", ...flags, "--path", "variables.PLATOS_TEST_MODE", "true"]);
    const result = pulumi(["up", ...flags, "--yes", "--non-interactive", "--policy-pack", join(root, "policy")], false);
    assert.notEqual(result.status, 0);
    assert.match(result.stdout + result.stderr, /no-test-mode-in-prod/);
    pulumi(["stack", "rm", "prod", "--yes", "--force", "--non-interactive"]);
  });
});
