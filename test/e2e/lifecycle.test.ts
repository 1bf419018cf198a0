/**
 * The whole lifecycle of the dev, staging and prod stacks of the root program, run the way `pulumi up`,
 * `refresh` and `destroy` run it (see stack-harness.ts), against the emulator over HTTP, on each protocol. A
 * recording proxy in front of the emulator counts the API calls each operation makes.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { freshProgram } from "./program-loader";
import { platosWorld } from "../helpers/platos-world";
import { readStackConfig } from "./stack-config";
import { StackHarness } from "./stack-harness";
import { agentSlug } from "../../program/stack";
import { agents as agentDefinitions } from "../../program/agents";
import { PROTOCOLS } from "../../provider/platos";
import { addKeyInDashboard } from "../platos/support";
import { writesDone } from "../helpers/request-recorder";
import { testProtocol } from "../helpers/test-protocols";

const root = resolve(__dirname, "../..");
const STACKS = ["dev", "staging", "prod"] as const;
const anthropicKey = (stack: string) => `sk-ant-e2e-${stack}-7c1d9e`;

for (const protocol of PROTOCOLS)
  describe(`e2e (${protocol}): the root stacks, up / refresh / destroy`, function () {
    this.timeout(600_000);
    const world = platosWorld({ protocol });
    const overrides: Record<string, Record<string, string>> = {};

    const harness = (stack: string) =>
      new StackHarness({
        project: "platos-stacks",
        stack,
        program: freshProgram(join(root, "index.ts"), [join(root, "index.ts"), join(root, "program")]),
        programDir: root,
        stateFile: join(world.work, `${stack}.state.json`),
        passphrase: `e2e-${stack}`,
        config: {
          ...readStackConfig(root, stack),
          ...world.platosConfig,
          "platos-stacks:anthropicApiKey": anthropicKey(stack),
          ...overrides[stack],
        },
        secretKeys: ["platos:token", "platos:operatorToken", "platos-stacks:anthropicApiKey"],
        policyPackDir: join(root, "policy"),
      });

    const live = async (stack: string) => {
      const environment = await world.admin.environments.findBySlug("default", stack);
      if (!environment) return undefined;
      const variables = await world.admin.variables.list(environment.id);
      const agents = await world.admin.agents.list(environment.id);
      // Agents by their slug in the program (`support`), whatever the stack named them in Platos (`support-dev`).
      const slugs = new Map(agentDefinitions.map(({ slug }) => [agentSlug(slug, stack), slug]));
      return { environment, variables: new Map(variables.map((v) => [v.key, v])), agents: new Map(agents.map((a) => [slugs.get(a.slug) ?? a.slug, a])) };
    };

    if (testProtocol(protocol).layout === "two-ports") {
      it("the stacks reach the agent app and core-api as Platos deploys them: on ports of their own, platos:coreApiUrl set", () => {
        const { "platos:apiUrl": apiUrl, "platos:coreApiUrl": coreApiUrl } = world.platosConfig;
        assert.ok(apiUrl && coreApiUrl, JSON.stringify(Object.keys(world.platosConfig)));
        assert.notEqual(new URL(coreApiUrl).port, new URL(apiUrl).port);
      });
    }

    for (const stack of STACKS) {
      it(`${stack}: up from empty creates the environment, its variables and agents`, async () => {
        const result = await harness(stack).up();
        assert.ok(result.steps.length > 0 && result.steps.every((s) => s.kind === "create"), JSON.stringify(result.steps));
        const state = await live(stack);
        assert.ok(state, "environment exists");
        assert.equal(state.environment.name, stack, "named after its slug, as real Platos names it");
        assert.equal(state.variables.get("ANTHROPIC_API_KEY")?.kind, "SECRET");
        assert.equal(state.variables.get("ANTHROPIC_API_KEY")?.value, null);
        assert.ok(state.variables.get("LOG_LEVEL"));
        assert.deepEqual([...state.agents.keys()].sort(), ["router", "support", "triage"]);
        const keys = await world.admin.providerKeys.list(state.environment.id);
        // Real Platos takes a key's material only from its dashboard: there the stack declares no key until one is added.
        const ownKeys = testProtocol(protocol).keyCredential === "variable" ? [["anthropic", "ANTHROPIC_API_KEY", true]] : [];
        assert.deepEqual(
          keys.map((k) => [k.provider, k.envVarName, k.isDefault]),
          ownKeys,
          "the stack's own provider key",
        );
        assert.equal(result.outputs.environmentId, state.environment.id);
      });

      it(`${stack}: a second up makes zero write calls`, async () => {
        world.recorder.reset();
        const result = await harness(stack).up();
        assert.deepEqual(world.recorder.writes(), []);
        assert.ok(
          result.steps.every((s) => s.kind === "same"),
          JSON.stringify(result.steps),
        );
      });
    }

    if (testProtocol(protocol).keyCredential === "dashboard") {
      it("dev: a provider key added in the dashboard is declared and adopted without a write; the next up writes nothing", async () => {
        const state = await live("dev");
        assert.ok(state);
        const added = await addKeyInDashboard(world.emulator, state.environment.id, {
          provider: "anthropic",
          label: "primary",
          envVarName: "ANTHROPIC_API_KEY",
          plaintext: "sk-ant-added-in-the-dashboard",
          isDefault: true,
        });
        overrides.dev = {
          "platos-stacks:dashboardProviderKeys": JSON.stringify([
            { provider: "anthropic", label: "primary", credential: "ANTHROPIC_API_KEY", isDefault: true },
          ]),
        };
        world.recorder.reset();
        const h = harness("dev");
        const adopted = await h.up();
        assert.equal(adopted.steps.find((s) => s.urn.endsWith("::anthropic-primary-key"))?.kind, "create");
        assert.equal([...h.state().values()].find((r) => r.urn.endsWith("::anthropic-primary-key"))?.id, added.id, "the dashboard's key is the stack's");
        assert.deepEqual(
          writesDone(world.recorder.writes()),
          [],
          "adopting the dashboard's key as it is writes nothing (a token mint for the environment is no write)",
        );
        const again = await harness("dev").up();
        assert.ok(
          again.steps.every((s) => s.kind === "same"),
          JSON.stringify(again.steps),
        );
        assert.ok(!readFileSync(join(world.work, "dev.state.json"), "utf8").includes("sk-ant-added-in-the-dashboard"), "the material never reaches state");
      });
    }

    it("dev: a changed variable and agent model update in place; a removed variable is deleted", async () => {
      const before = await live("dev");
      overrides.dev = {
        ...overrides.dev,
        "platos-stacks:model": "anthropic:claude-sonnet-4-6",
        "platos-stacks:variables": JSON.stringify({ LOG_LEVEL: "trace" }), // PLATOS_TEST_MODE removed
      };
      world.recorder.reset();
      const result = await harness("dev").up();
      const kinds = Object.fromEntries(result.steps.map((s) => [s.urn.split("::").pop(), s.kind]));
      assert.equal(kinds.log_level, "update");
      assert.equal(kinds["agent-support"], "update");
      assert.equal(kinds.platos_test_mode, "delete");
      assert.equal(kinds.environment, "same");
      const after = await live("dev");
      assert.equal(after?.variables.get("LOG_LEVEL")?.value, "trace");
      assert.equal(after?.variables.has("PLATOS_TEST_MODE"), false);
      assert.equal(after?.agents.get("support")?.model, "anthropic:claude-sonnet-4-6");
      assert.equal(after?.agents.get("support")?.versionNumber, (before?.agents.get("support")?.versionNumber ?? 0) + 1);
      assert.equal(after?.environment.id, before?.environment.id);

      world.recorder.reset();
      const again = await harness("dev").up();
      assert.deepEqual(world.recorder.writes(), [], "an up after the update changes nothing");
      assert.ok(
        again.steps.every((s) => s.kind === "same"),
        JSON.stringify(again.steps),
      );
      assert.equal((await live("dev"))?.agents.get("support")?.currentVersionId, after?.agents.get("support")?.currentVersionId, "no new agent version");
    });

    for (const stack of STACKS) {
      it(`${stack}: refresh sees a plain value, a secret rotation and a deleted agent changed through the API; up repairs the value and the agent and keeps the rotated secret`, async () => {
        const state = await live(stack);
        assert.ok(state);
        await world.admin.variables.put(state.environment.id, "LOG_LEVEL", { value: "changed-outside" });
        const rotated = await world.admin.variables.put(state.environment.id, "ANTHROPIC_API_KEY", { value: "sk-rotated-outside", secret: true });
        await world.admin.agents.delete(state.environment.id, state.agents.get("triage")!.id);

        const h = harness(stack);
        await h.refresh();
        const refreshed = [...h.state().values()];
        const byName = (name: string) => refreshed.find((r) => r.urn.endsWith(`::${name}`));
        assert.equal(byName("log_level")?.outputs.value, "changed-outside");
        assert.equal(byName("agent-triage"), undefined, "deleted agent left state");
        const secretState = byName("anthropic_api_key")!;
        assert.notEqual(secretState.outputs.version, secretState.outputs.writtenVersion, "rotation seen as a new version");

        world.recorder.reset();
        const result = await h.up();
        const kinds = Object.fromEntries(result.steps.map((s) => [s.urn.split("::").pop(), s.kind]));
        assert.equal(kinds.log_level, "update");
        assert.equal(kinds.anthropic_api_key, "same", "a secret rotated outside Pulumi is not written back");
        assert.equal(kinds["agent-triage"], "create");
        const repaired = await live(stack);
        assert.notEqual(repaired?.variables.get("LOG_LEVEL")?.value, "changed-outside");
        assert.equal(repaired?.variables.get("ANTHROPIC_API_KEY")?.version, rotated.version, "Platos still holds the rotated secret");
        assert.ok(repaired?.agents.has("triage"));
        assert.equal(writesDone(world.recorder.writes()).length, 2, JSON.stringify(world.recorder.writes()));
      });
    }

    it("state files hold no token and no secret value in plaintext", () => {
      for (const stack of STACKS) {
        const text = readFileSync(join(world.work, `${stack}.state.json`), "utf8");
        assert.ok(!text.includes(world.emulator.adminToken), `admin token in ${stack} state`);
        assert.ok(!text.includes(world.platosConfig["platos:token"]!), `platos:token in ${stack} state`);
        assert.ok(!text.includes(anthropicKey(stack)), `secret in ${stack} state`);
        assert.match(text, /"ciphertext": "v1:/);
      }
    });

    for (const stack of STACKS) {
      it(`${stack}: destroy empties its environment (prod's is retained, empty) and leaves the others untouched`, async () => {
        const others = STACKS.filter((s) => s !== stack);
        const othersBefore = await Promise.all(others.map(live));
        await harness(stack).destroy();
        const left = await live(stack);
        if (stack === "prod") {
          assert.ok(left, "prod's environment is retained (retainEnvironment: real Platos refuses to delete it)");
          assert.deepEqual([left.variables.size, left.agents.size], [0, 0]);
        } else assert.equal(left, undefined);
        const othersAfter = await Promise.all(others.map(live));
        othersAfter.forEach((after, i) => {
          const before = othersBefore[i];
          if (!before) return assert.equal(after, undefined);
          assert.equal(after?.environment.id, before.environment.id);
          assert.deepEqual(
            [...(after?.variables.values() ?? [])].map((v) => [v.key, v.version]),
            [...before.variables.values()].map((v) => [v.key, v.version]),
          );
          assert.deepEqual(
            [...(after?.agents.values() ?? [])].map((a) => [a.slug, a.versionNumber]),
            [...before.agents.values()].map((a) => [a.slug, a.versionNumber]),
          );
        });
      });
    }
  });
