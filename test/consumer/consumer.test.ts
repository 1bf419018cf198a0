/**
 * pulumi-platos and platos-policy as a user gets them: packed, installed by tarball into a project made from
 * Pulumi's TypeScript template (scratch-project.ts, one install for the whole suite), type-checked there with
 * TypeScript 5 and 6, the installed pack started as Pulumi's runner starts it, and the project's program driven
 * through the harness against the emulator: up, a dashboard key adopted, an up that writes nothing, destroy. The README's install section
 * is checked to be these same commands.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { freshProgram } from "../e2e/program-loader";
import { StackHarness } from "../e2e/stack-harness";
import { platosWorld } from "../helpers/platos-world";
import { addKeyInDashboard } from "../platos/support";
import { startPolicyPack, verdictsOf } from "../helpers/policy-analyzer";
import { writesDone } from "../helpers/request-recorder";
import { CI_COMMANDS, INSTALL_COMMANDS, PACKAGES, scratchProject, type ScratchProject } from "./scratch-project";
import * as semver from "semver";
import { CI_STEPS, runCiSteps } from "./ci-steps";
import { readmeSection } from "./readme";

const root = path.resolve(__dirname, "../..");

/** Paths inside a tarball, without npm's `package/` prefix. */
function tarballFiles(tarball: string): string[] {
  return execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((entry) => entry.replace(/^package\//, ""));
}

function tarballManifest(tarball: string): { version: string; scripts?: Record<string, string>; dependencies?: Record<string, string> } {
  return JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
}

const INSTALL_TIME_SCRIPTS = ["preinstall", "install", "postinstall", "prepare"];

describe("consumer: the packed packages in a project made from Pulumi's TypeScript template", function () {
  this.timeout(600_000);
  const world = platosWorld({ protocol: "platform" });
  let project: ScratchProject;

  before(async function () {
    project = await scratchProject();
    console.log(`      scratch project: pack ${project.timings.pack}s, install ${project.timings.install}s`);
  });
  after(() => project?.remove());

  it("each tarball has its README, the repository's LICENSE, compiled code and types, and no install-time script", () => {
    const license = fs.readFileSync(path.join(root, "LICENSE"), "utf8");
    assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
    for (const [tarball, expected] of [
      [
        project.tarballs.provider,
        ["README.md", "LICENSE", "package.json", "lib/index.js", "lib/index.d.ts", "lib/runtime/index.js", "lib/shims/environment.js", "bin/pulumi-platos.js"],
      ],
      [
        project.tarballs.policy,
        ["README.md", "LICENSE", "package.json", "PulumiPolicy.yaml", "bin/index.js", "bin/policies/index.js", "bin/policies/index.d.ts"],
      ],
      [
        project.tarballs.emulator,
        ["README.md", "LICENSE", "package.json", "bin/platos-emulator.js", "lib/emulator/index.js", "lib/emulator/index.d.ts", "lib/emulator/cli/main.js"],
      ],
    ] as const) {
      const files = tarballFiles(tarball);
      for (const file of expected) assert.ok(files.includes(file), `${path.basename(tarball)} lacks ${file}`);
      assert.ok(!files.some((file) => file.endsWith(".ts") && !file.endsWith(".d.ts")), `${path.basename(tarball)} ships TypeScript sources`);
      // Pulumi's pack runner reads the pack directory's tsconfig.json; one that extends a file of the repository breaks it.
      assert.ok(!files.includes("tsconfig.json"), `${path.basename(tarball)} ships a tsconfig.json`);
      const installed = execFileSync("tar", ["-xzOf", tarball, "package/LICENSE"], { encoding: "utf8" });
      assert.equal(installed, license, `${path.basename(tarball)}'s LICENSE is not the repository's`);
      const scripts = Object.keys(tarballManifest(tarball).scripts ?? {});
      assert.deepEqual(
        scripts.filter((name) => INSTALL_TIME_SCRIPTS.includes(name)),
        [],
        `${path.basename(tarball)} runs a script at install`,
      );
    }
    const provider = tarballManifest(project.tarballs.provider);
    assert.equal(tarballManifest(project.tarballs.policy).dependencies?.[PACKAGES.provider], `^${provider.version}`);
  });

  it("installing them warns of no engine on Node 22 and later; on Node 20 only of dependencies that left it, as the README's Compatibility section says", () => {
    // npm prints each as `EBADENGINE   package: 'name@version',` then `EBADENGINE   required: { node: '>=22' },`.
    const refused = [...project.installOutput.matchAll(/EBADENGINE\s+package: '([^']+)',\s*npm warn EBADENGINE\s+required: \{ node: '([^']+)' \}/g)].map(
      ([, name, range]) => ({ name: name!, range: range! }),
    );
    const warned = project.installOutput.match(/EBADENGINE\s+package:/g)?.length ?? 0;
    assert.equal(refused.length, warned, `an engine warning not of the form read here:\n${project.installOutput}`);
    if (semver.major(process.version) >= 22) {
      assert.deepEqual(refused, []);
      return;
    }
    for (const { name, range } of refused) {
      assert.ok(semver.satisfies("22.0.0", range) && semver.satisfies("24.0.0", range), `${name} requires node ${range}, which Node 22 or 24 does not meet`);
    }
    const compatibility = readmeSection("## Compatibility");
    assert.match(compatibility, /Node 20 reached its end of life/);
    assert.match(compatibility, /EBADENGINE/);
  });

  it("the program using every resource and getAgent type-checks without skipLibCheck or esModuleInterop, on TypeScript 5 and 6", async () => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(project.dir, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    assert.equal(tsconfig.compilerOptions.skipLibCheck, undefined);
    assert.equal(tsconfig.compilerOptions.esModuleInterop, undefined);
    const versions: string[] = [];
    for (const [compiler, config] of [
      ["typescript", "tsconfig.json"],
      ["typescript-6", "tsconfig.ts6.json"],
    ] as const) {
      const tsc = path.join(project.dir, "node_modules", compiler, "bin", "tsc");
      versions.push((await project.exec(process.execPath, [tsc, "--version"])).trim());
      await project.exec(process.execPath, [tsc, "--noEmit", "-p", config]);
    }
    assert.match(versions[0]!, /^Version 5\./);
    assert.match(versions[1]!, /^Version 6\./);
  });

  it("the installed policy pack starts as Pulumi's runner starts it and fails a prod test-mode variable", async () => {
    const pack = await startPolicyPack({ packDir: project.policyPackDir, stack: "prod", project: "platos-consumer" });
    try {
      assert.equal(pack.info.name, PACKAGES.policy);
      const diagnostics = await pack.analyze({
        type: "pulumi-nodejs:dynamic/platos:EnvironmentVariable",
        name: "test-mode",
        properties: { project: "default", environment: "prod", key: "PLATOS_TEST_MODE", value: "true", secret: false },
      });
      assert.ok(verdictsOf(diagnostics).includes("no-test-mode-in-prod:mandatory"), verdictsOf(diagnostics).join(", "));
    } finally {
      await pack.close();
    }
  });

  it("the program runs from the project with the installed pack: up, a dashboard key adopted, an up that writes nothing, destroy", async () => {
    const dev = await world.admin.environments.create("default", { slug: "dev" });
    await world.admin.agents.create(dev.id, {
      slug: "triage-dev",
      name: "Triage",
      model: "anthropic:claude-haiku-4-5",
      systemPrompt: "Sort the inbox.",
      maxSteps: 8,
    });
    const stackWith = (keyAdded: boolean) =>
      new StackHarness({
        project: "platos-consumer",
        stack: "staging",
        program: freshProgram(path.join(project.dir, "index.ts")),
        programDir: project.dir,
        stateFile: path.join(world.work, "consumer-staging.state.json"),
        passphrase: "consumer",
        config: {
          ...world.platosConfig,
          "platos-consumer:environment": "staging",
          "platos-consumer:openaiApiKey": "sk-consumer",
          "platos-consumer:webhookSecret": "whsec-consumer",
          "platos-consumer:openaiKeyAdded": String(keyAdded),
        },
        secretKeys: ["platos:token", "platos:operatorToken", "platos-consumer:openaiApiKey", "platos-consumer:webhookSecret"],
        policyPackDir: project.policyPackDir,
      });

    const up = await stackWith(false).up();
    assert.equal(up.steps.filter((s) => s.kind === "create").length, 4);
    assert.deepEqual(
      up.diagnostics.filter((d) => d.enforcementLevel === "mandatory"),
      [],
    );
    const staging = (await world.admin.environments.findBySlug("default", "staging"))!;
    assert.deepEqual((await world.admin.variables.list(staging.id)).map((v) => `${v.key}:${v.kind}`).sort(), [
      "LOG_LEVEL:PLAIN",
      "OPENAI_API_KEY:SECRET",
      "REGION:PLAIN",
      "WEBHOOK_SIGNING_SECRET:SECRET",
    ]);

    // The key added in the dashboard, then declared and adopted.
    await addKeyInDashboard(world.emulator, staging.id, {
      provider: "openai",
      label: "primary",
      envVarName: "OPENAI_API_KEY",
      plaintext: "sk-dashboard",
      isDefault: true,
    });
    const stack = stackWith(true);
    const adopted = await stack.up();
    assert.deepEqual(
      adopted.steps.filter((s) => s.kind !== "same").map((s) => s.kind),
      ["create"],
    );
    assert.deepEqual(
      (await world.admin.providerKeys.list(staging.id)).map((k) => k.provider),
      ["openai"],
    );
    const triage = await world.admin.agents.findBySlug(staging.id, "triage-staging");
    assert.equal(triage?.systemPrompt, "Sort the inbox.");

    world.recorder.reset();
    const again = await stack.up();
    assert.deepEqual(writesDone(world.recorder.writes()), [], "getAgent's token for dev is minted again; nothing is written");
    assert.ok(
      again.steps.every((s) => s.kind === "same"),
      again.steps.map((s) => s.kind).join(", "),
    );

    await stack.destroy();
    const left = await world.admin.environments.findBySlug("default", "staging");
    assert.equal(left, undefined);
  });

  it("the README's CI job runs from the installed platos-emulator: start, seed, token, up, a dashboard key, an up with the pack, destroy", async () => {
    await runCiSteps(project);
  });

  it('the README\'s "Test your stacks in CI" section is these steps', () => {
    const section = readmeSection("## Test your stacks in CI");
    for (const command of [...Object.values(CI_COMMANDS), ...Object.values(CI_STEPS)])
      assert.ok(section.includes(command), `the README's CI section lacks \`${command}\``);
    assert.match(section, /npx platos-emulator start /);
    assert.match(section, /pulumi destroy /);
  });

  it("the README's install section is these commands", () => {
    const section = readmeSection("## Install in your own Pulumi project");
    for (const command of Object.values(INSTALL_COMMANDS)) assert.ok(section.includes(command), `the README's install section lacks \`${command}\``);
    assert.match(section, /pulumi preview [^\n]*--policy-pack node_modules\/platos-policy/);
  });
});
