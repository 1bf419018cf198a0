/**
 * The main job: start the local Platos emulator (embedded storage under .platos/) and bring up the dev, staging
 * and prod stacks with the real Pulumi CLI, a file backend under .platos/ and the policy pack, on the protocol real
 * Platos serves (PLATOS_PROTOCOL=v1 for the uniform contract). Where no Pulumi CLI is to be had, it says so and
 * stops, before building anything; it never pretends to have deployed anything.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { spawnEmulator } from "../emulator/spawn";
import { stackAccess, stackConfig } from "../local/stack-access";
import { Protocol } from "../provider/platos";

const root = resolve(__dirname, "..");
const platosDir = join(root, ".platos");
const stacks = (process.env.PLATOS_STACKS ?? "dev,staging,prod").split(",");
const protocol = Protocol.parse(process.env.PLATOS_PROTOCOL ?? "platform");
/** Platform: the environment the stacks' plt_mcp_ token is pinned to, as a platform team's own would be. */
const HOME_ENVIRONMENT = "ops";
const SECRET_SETTINGS = new Set(["platos:token", "platos:operatorToken"]);

const localBin = join(root, "node_modules", ".bin");

/** `pulumi` as an executable file on PATH, leaving out node_modules/.bin (which `npm run` puts first). */
function pulumiOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "" || resolve(dir) === localBin) continue;
    const candidate = join(dir, "pulumi");
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * An installed CLI first (no download), else the npm `pulumi` package's launcher (a devDependency), which fetches
 * the CLI into ~/.pulumi/versions on first use. Either way, one that answers `pulumi version`; else why not.
 */
function findPulumi(): { pulumi: string } | { why: string } {
  const installed = pulumiOnPath();
  if (installed && spawnSync(installed, ["version"], { encoding: "utf8", timeout: 60_000 }).status === 0) return { pulumi: installed };
  const local = join(localBin, "pulumi");
  if (!existsSync(local)) {
    return {
      why: "No Pulumi CLI found: `pulumi` is not on PATH, and node_modules/.bin/pulumi (the npm `pulumi` package, a devDependency) is not installed; run `npm ci` first.",
    };
  }
  console.log("Getting the Pulumi CLI through node_modules/.bin/pulumi (fetched once, then kept under ~/.pulumi/versions)...");
  const probe = spawnSync(local, ["version"], { encoding: "utf8", timeout: 15 * 60_000 });
  if (probe.status === 0) return { pulumi: local };
  const said = `${probe.stderr ?? ""}\n${probe.stdout ?? ""}`
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("Downloading "));
  const reason = probe.error ? probe.error.message : (said[0] ?? `it exited with code ${probe.status}`);
  return {
    why:
      `No Pulumi CLI to run: \`pulumi\` is not on PATH, and node_modules/.bin/pulumi (the npm \`pulumi\` package, which fetches the CLI on first use) could not fetch it: "${reason}". ` +
      "That fetch downloads from outside the npm registry, so it needs internet access; where it has it, `npm run stacks` gets the CLI by itself, " +
      "and elsewhere install the CLI (https://www.pulumi.com/docs/install/) and run `npm run stacks` again. " +
      "Nothing was deployed. `npm test` exercises the same stacks without the CLI (test/e2e).",
  };
}

function secretFile(name: string, make: () => string): string {
  const path = join(platosDir, name);
  if (!existsSync(path)) writeFileSync(path, make(), { mode: 0o600 });
  return readFileSync(path, "utf8").trim();
}

function run(pulumi: string, args: string[], env: NodeJS.ProcessEnv): void {
  console.log(`$ pulumi ${args.join(" ").replace(/--secret (\S+) \S+/, "--secret $1 [secret]")}`);
  const result = spawnSync(pulumi, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`pulumi ${args[0]} failed with exit code ${result.status}`);
}

async function main(): Promise<void> {
  mkdirSync(platosDir, { recursive: true });
  const found = findPulumi();
  if (!("pulumi" in found)) {
    console.error(found.why);
    process.exitCode = 1;
    return;
  }
  const { pulumi } = found;
  // Only now, with a CLI to run the stacks: the stacks load the built provider and the compiled policy pack.
  console.log("$ npm run build");
  if (spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" }).status !== 0) throw new Error("npm run build failed");

  const adminToken = process.env.PLATOS_EMULATOR_ADMIN_TOKEN ?? secretFile("admin-token", () => `plt_admin_${randomBytes(24).toString("hex")}`);
  const passphrase = process.env.PULUMI_CONFIG_PASSPHRASE ?? secretFile("passphrase", () => randomBytes(24).toString("hex"));
  const emulator = await spawnEmulator({
    dataDir: process.env.PLATOS_EMULATOR_DATA ?? join(platosDir, "emulator"),
    adminToken,
    port: Number(process.env.PLATOS_EMULATOR_PORT ?? 4600),
    env: { PLATOS_EMULATOR_LOG_LEVEL: "warn" },
  });
  const { url } = emulator;
  console.log(`emulator ready at ${url}`);
  // A fresh token each run (the emulator's data may have been wiped since the last one).
  const access = await stackAccess({ url, adminToken }, protocol, { home: HOME_ENVIRONMENT, tokenName: "npm run stacks" });
  const stateDir = join(platosDir, "state");
  mkdirSync(stateDir, { recursive: true });
  const env = { ...process.env, PULUMI_BACKEND_URL: `file://${stateDir}`, PULUMI_CONFIG_PASSPHRASE: passphrase, PULUMI_SKIP_UPDATE_CHECK: "true" };

  try {
    for (const stack of stacks) {
      // Secrets go into a copy of the stack file under .platos/, so the committed stack files stay clean.
      const configFile = join(platosDir, "stacks", `Pulumi.${stack}.yaml`);
      const withConfig = ["--stack", stack, "--config-file", configFile];
      run(pulumi, ["stack", "select", "--create", stack, "--non-interactive"], env);
      if (!existsSync(configFile)) {
        mkdirSync(join(platosDir, "stacks"), { recursive: true });
        copyFileSync(join(root, `Pulumi.${stack}.yaml`), configFile);
        // Local stand-ins for the provider keys, made once: a new value on every run would rewrite them every run.
        run(pulumi, ["config", "set", ...withConfig, "--secret", "anthropicApiKey", `sk-ant-local-${stack}-${randomBytes(8).toString("hex")}`], env);
        run(pulumi, ["config", "set", ...withConfig, "--secret", "openaiApiKey", `sk-local-${stack}-${randomBytes(8).toString("hex")}`], env);
      }
      for (const [key, value] of Object.entries(stackConfig(access.settings))) {
        run(pulumi, ["config", "set", ...withConfig, ...(SECRET_SETTINGS.has(key) ? ["--secret"] : []), key, value], env);
      }
      run(pulumi, ["up", ...withConfig, "--yes", "--non-interactive", "--policy-pack", join(root, "policy")], env);
    }
    console.log(`\nAll stacks are up. The emulator keeps running at ${url} (admin token in .platos/admin-token); Ctrl-C stops it.`);
    await new Promise<void>((done) => process.once("SIGINT", () => done()));
  } finally {
    await emulator.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
