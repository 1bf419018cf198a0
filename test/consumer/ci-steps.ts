/**
 * The README's "Test your stacks in CI" job, run in the scratch project from the installed (packed) platos-emulator:
 * start it, seed, mint the stack's token, then what `pulumi up`, `pulumi preview --policy-pack` and `pulumi destroy`
 * do, through the pieces the engine runs (StackHarness; there is no Pulumi CLI here). The `pulumi config set` lines
 * `token` prints are applied as the CLI would apply them: into the stack's config, the `--secret` ones as secrets.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnEmulator } from "../../emulator/spawn";
import { closeAllPools, createClient } from "../../provider/client";
import { freshProgram } from "../e2e/program-loader";
import { StackHarness } from "../e2e/stack-harness";
import type { ScratchProject } from "./scratch-project";

/** The job's steps against the emulator, verbatim as the README's section has them (checked). */
export const CI_STEPS = {
  seed: "npx platos-emulator seed --environment ops,dev",
  token: "npx platos-emulator token --environment ops --stack staging",
  addKey: "npx platos-emulator add-provider-key --environment staging --provider openai --label primary --env-var-name OPENAI_API_KEY --default",
  policyPack: "--policy-pack node_modules/platos-policy",
} as const;

/** `pulumi config set [--stack s] [--secret] key value` lines, as the CLI would store them; `"$VAR"` read from `env`. */
function configOfLines(lines: string, env: NodeJS.ProcessEnv): { config: Record<string, string>; secretKeys: string[] } {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const line of lines.trim().split("\n")) {
    const match = /^pulumi config set(?: --stack \S+)?( --secret)? (\S+) (.+)$/.exec(line);
    assert.ok(match, `not a pulumi config set line: ${line.replace(/plt_mcp_\S+/, "plt_mcp_…")}`);
    const [, secret, key, raw] = match;
    const variable = /^"\$([A-Z_]+)"$/.exec(raw!)?.[1];
    config[key!] = variable === undefined ? raw! : (env[variable] ?? "");
    if (secret) secretKeys.push(key!);
  }
  return { config, secretKeys };
}

export async function runCiSteps(project: ScratchProject): Promise<void> {
  const bin = path.join(project.dir, "node_modules", "platos-emulator", "bin", "platos-emulator.js");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "platos-ci-"));
  const env = { ...process.env, PLATOS_EMULATOR_ADMIN_TOKEN: randomBytes(24).toString("hex") };
  // The job's `start --port 4600`; here a free port, as other tests may hold 4600.
  const emulator = await spawnEmulator({
    bin,
    dataDir: path.join(work, "emulator"),
    adminToken: env.PLATOS_EMULATOR_ADMIN_TOKEN,
    args: ["--port", "0"],
    startTimeoutMs: 120_000,
  });
  const step = (command: string, input = ""): string => {
    const args = command.replace(/^npx platos-emulator /, "").split(" ");
    const ran = spawnSync(process.execPath, [bin, ...args, "--url", emulator.url], { cwd: project.dir, env, input, encoding: "utf8", timeout: 60_000 });
    assert.equal(ran.status, 0, `${command}: ${ran.stderr}`);
    return ran.stdout;
  };
  try {
    assert.match(step(CI_STEPS.seed), /^environment dev: created/m);
    // The user's dev stack made this agent; the staging stack copies it (getAgent).
    const admin = createClient({ apiUrl: emulator.url, token: env.PLATOS_EMULATOR_ADMIN_TOKEN });
    const dev = (await admin.environments.findBySlug("default", "dev"))!;
    await admin.agents.create(dev.id, {
      slug: "triage-dev",
      name: "Triage",
      model: "anthropic:claude-haiku-4-5",
      systemPrompt: "Sort the inbox.",
      maxSteps: 8,
    });
    const access = configOfLines(step(CI_STEPS.token), env);

    const stackWith = (keyAdded: boolean) =>
      new StackHarness({
        project: "platos-consumer",
        stack: "staging",
        program: freshProgram(path.join(project.dir, "index.ts")),
        programDir: project.dir,
        stateFile: path.join(work, "staging.state.json"),
        passphrase: "ci",
        config: {
          ...access.config,
          "platos-consumer:environment": "staging",
          "platos-consumer:openaiApiKey": "sk-ci",
          "platos-consumer:webhookSecret": "whsec-ci",
          "platos-consumer:openaiKeyAdded": String(keyAdded),
        },
        secretKeys: [...access.secretKeys, "platos-consumer:openaiApiKey", "platos-consumer:webhookSecret"],
        policyPackDir: path.join(project.dir, "node_modules", "platos-policy"),
      });
    const up = await stackWith(false).up();
    assert.equal(up.steps.filter((s) => s.kind === "create").length, 4);
    assert.match(step(CI_STEPS.addKey, "sk-ci-dashboard\n"), /^provider key openai "primary" added to default\/staging/);
    const stack = stackWith(true);
    const adopted = await stack.up();
    assert.deepEqual(
      adopted.steps.filter((s) => s.kind !== "same").map((s) => s.kind),
      ["create"],
    );
    assert.deepEqual(
      adopted.diagnostics.filter((d) => d.enforcementLevel === "mandatory"),
      [],
    );
    // `pulumi preview --policy-pack ...`: the pack passes, nothing to change.
    const again = await stack.up();
    assert.ok(
      again.steps.every((s) => s.kind === "same"),
      again.steps.map((s) => s.kind).join(", "),
    );
    await stack.destroy();
    assert.equal(await admin.environments.findBySlug("default", "staging"), undefined);
    assert.ok(!emulator.output().includes(env.PLATOS_EMULATOR_ADMIN_TOKEN), "the admin token given is never printed");
  } finally {
    await emulator.stop();
    await closeAllPools();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
