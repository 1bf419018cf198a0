/**
 * Each example program, run through the same harness as the stacks on the protocol the examples use by default
 * (real Platos's platform surface): up, a second up that writes nothing, destroy.
 */
import { strict as assert } from "node:assert";
import { addKeyInDashboard } from "../platos/support";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { freshProgram } from "./program-loader";
import type { RegisteredResource } from "../harness/program-runner";
import { storedValue } from "../helpers/stored-secret";
import { StackHarness, type StackHarnessOptions } from "./stack-harness";
import { platosWorld } from "../helpers/platos-world";
import { writesDone } from "../helpers/request-recorder";

const examples = resolve(__dirname, "../../examples");

describe("e2e: examples", function () {
  this.timeout(300_000);
  const world = platosWorld({ protocol: "platform" });

  const example = (
    name: string,
    stack: string,
    config: Record<string, string> = {},
    secretKeys: string[] = [],
    mockedResources: StackHarnessOptions["mockedResources"] = {},
  ) =>
    new StackHarness({
      project: `platos-${name}`,
      stack,
      program: freshProgram(join(examples, name, "index.ts")),
      programDir: join(examples, name),
      stateFile: join(world.work, `${name}-${stack}.state.json`),
      passphrase: "examples",
      config: { ...world.platosConfig, ...config },
      secretKeys: ["platos:token", "platos:operatorToken", ...secretKeys],
      policyPackDir: resolve(__dirname, "../../policy"),
      mockedResources,
    });

  it("basic: one environment, a plain and a secret variable, one agent, a provider key added in the dashboard and adopted; a rename moves them", async () => {
    const basic = (environment: string, keyAdded = false) =>
      example(
        "basic",
        "sandbox",
        {
          "platos-basic:anthropicApiKey": "sk-ant-basic",
          "platos-basic:environment": environment,
          "platos:environment": environment,
          "platos-basic:anthropicKeyAdded": String(keyAdded),
        },
        ["platos-basic:anthropicApiKey"],
      );
    const contents = async (slug: string) => {
      const env = await world.admin.environments.findBySlug("default", slug);
      if (!env) return undefined;
      return {
        variables: (await world.admin.variables.list(env.id)).map((v) => [v.key, v.kind]).sort(),
        keys: (await world.admin.providerKeys.list(env.id)).map((k) => [k.provider, k.envVarName]),
        agents: (await world.admin.agents.list(env.id)).map((a) => a.slug),
      };
    };
    const up = await basic("sandbox").up();
    assert.equal(up.steps.filter((s) => s.kind === "create").length, 4);
    assert.equal(up.outputs.supportVersion, null, "real Platos's agent record has no version number");
    const filled = (slug: string, keys: string[][] = []) => ({
      variables: [
        ["ANTHROPIC_API_KEY", "SECRET"],
        ["LOG_LEVEL", "PLAIN"],
      ],
      keys,
      agents: [`support-${slug}`],
    });
    assert.deepEqual(await contents("sandbox"), filled("sandbox"));
    world.recorder.reset();
    await basic("sandbox").up();
    assert.deepEqual(world.recorder.writes(), []);

    // The README's provider key: added in the dashboard, then declared and adopted, with no write.
    const sandbox = (await world.admin.environments.findBySlug("default", "sandbox"))!;
    await addKeyInDashboard(world.emulator, sandbox.id, {
      provider: "anthropic",
      label: "primary",
      envVarName: "ANTHROPIC_API_KEY",
      plaintext: "sk-ant-dashboard",
      isDefault: true,
    });
    world.recorder.reset();
    const adopted = await basic("sandbox", true).up();
    assert.deepEqual(adopted.steps.filter((s) => s.kind === "create").length, 1);
    assert.deepEqual(writesDone(world.recorder.writes()), []);
    assert.deepEqual(await contents("sandbox"), filled("sandbox", [["anthropic", "ANTHROPIC_API_KEY"]]));

    // The README's rename: `pulumi config set environment sandbox-eu && pulumi up`. The new environment has no key
    // until one is added in its dashboard, so the key is left out of the rename.
    const renamed = await basic("sandbox-eu").up();
    assert.equal(renamed.steps.filter((s) => s.kind === "replace").length, 4);
    assert.deepEqual(await contents("sandbox-eu"), filled("sandbox-eu"));
    assert.equal(await contents("sandbox"), undefined);
    await basic("sandbox-eu").destroy();
    assert.equal(await contents("sandbox-eu"), undefined);
  });

  it("webhook-secret: a generated secret written as a SECRET variable, rotated by bumping keepers; an unchanged up writes nothing", async () => {
    // @pulumi/random's provider is a plugin binary the harness cannot run. Its RandomPassword is mocked here,
    // deterministically: the result is derived from the keepers, so the same keepers give the same password (as the
    // real resource keeps its state) and new keepers a new one (as the real one is replaced).
    const passwordOf = (keepers: unknown) => createHash("sha256").update(JSON.stringify(keepers)).digest("base64url").slice(0, 48);
    const randomPassword = {
      "random:index/randomPassword:RandomPassword": (resource: RegisteredResource) => ({ result: passwordOf(resource.inputs.keepers) }),
    };
    const webhooks = (rotation: string) => example("webhook-secret", "webhooks", { "platos-webhook-secret:rotation": rotation }, [], randomPassword);
    const secretIn = async () => {
      const env = (await world.admin.environments.findBySlug("default", "webhooks"))!;
      const [variable] = (await world.admin.variables.list(env.id)).filter((v) => v.key === "WEBHOOK_SIGNING_SECRET");
      return { kind: variable?.kind, value: await storedValue(world.emulator, env.id, "WEBHOOK_SIGNING_SECRET") };
    };

    const up = await webhooks("1").up();
    assert.deepEqual(
      up.diagnostics.filter((d) => d.enforcementLevel === "mandatory"),
      [],
    );
    assert.deepEqual(await secretIn(), { kind: "SECRET", value: passwordOf({ rotation: "1" }) });
    const stateFile = readFileSync(webhooks("1").options.stateFile, "utf8");
    assert.ok(stateFile.includes("WEBHOOK_SIGNING_SECRET") && !stateFile.includes(passwordOf({ rotation: "1" })), "the generated secret is encrypted in state");

    world.recorder.reset();
    await webhooks("1").up();
    assert.deepEqual(world.recorder.writes(), []);

    world.recorder.reset();
    const rotated = await webhooks("2").up();
    assert.deepEqual(writesDone(world.recorder.writes()), ["environments.set_secret"]);
    assert.deepEqual(
      rotated.steps.filter((s) => s.kind !== "same").map((s) => s.kind),
      ["update"],
    );
    assert.deepEqual(await secretIn(), { kind: "SECRET", value: passwordOf({ rotation: "2" }) });

    await webhooks("2").destroy();
    assert.equal(await world.admin.environments.findBySlug("default", "webhooks"), undefined);
  });

  it("promote-agent: declares dev's agent in prod, and follows it when dev changes", async () => {
    const dev = await world.admin.environments.create("default", { slug: "dev" });
    const source = await world.admin.agents.create(dev.id, {
      slug: "support-dev",
      name: "Support",
      model: "anthropic:claude-sonnet-4-6",
      systemPrompt: "Be helpful.",
      maxSteps: 12,
      featureFlags: { beta: true },
    });
    await world.admin.environments.create("default", { slug: "prod" });
    const promote = example("promote-agent", "prod", { "platos:environment": "prod" });

    await promote.up();
    const prod = (await world.admin.environments.findBySlug("default", "prod"))!;
    const promoted = (await world.admin.agents.findBySlug(prod.id, "support-prod"))!;
    assert.equal(promoted.systemPrompt, "Be helpful.");
    assert.equal(promoted.maxSteps, 12);
    assert.deepEqual(promoted.featureFlags, { beta: true });
    assert.equal(promoted.model, source.model);

    await world.admin.agents.update(dev.id, source.id, { maxSteps: 16 });
    await promote.up();
    const followed = (await world.admin.agents.findBySlug(prod.id, "support-prod"))!;
    assert.equal(followed.id, promoted.id, "updated in place");
    assert.equal(followed.maxSteps, 16);
    assert.equal(followed.versionNumber, 2);

    await promote.destroy();
    assert.equal(await world.admin.agents.findBySlug(prod.id, "support-prod"), undefined);
    assert.ok(await world.admin.agents.findBySlug(dev.id, "support-dev"), "the source is untouched");
  });

  it("import-existing: adopts a hand-made environment; a second up writes nothing", async () => {
    const staging = await world.admin.environments.create("default", { slug: "staging" });
    await world.admin.variables.put(staging.id, "LOG_LEVEL", { value: "info" });
    await world.admin.variables.put(staging.id, "OPENAI_API_KEY", { value: "sk-staging", secret: true });
    await world.admin.agents.create(staging.id, { slug: "triage", name: "Triage", model: "anthropic:claude-haiku-4-5" });
    const adopt = example("import-existing", "staging", { "platos-import-existing:OPENAI_API_KEY": "sk-staging" }, ["platos-import-existing:OPENAI_API_KEY"]);

    world.recorder.reset();
    await adopt.up();
    // The agent differs from the program; the secret's value cannot be compared, so it is written. Nothing else.
    assert.deepEqual(writesDone(world.recorder.writes(), staging.id), ["agents.update", "environments.set_secret"]);
    assert.equal((await world.admin.agents.findBySlug(staging.id, "triage"))?.model, "anthropic:claude-sonnet-4-6");

    world.recorder.reset();
    await adopt.up();
    assert.deepEqual(world.recorder.writes(), []);
  });
});
