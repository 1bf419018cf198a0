/**
 * The pack as the engine runs it: spawned with run-policy-pack, spoken to over the Analyzer gRPC protocol, with
 * the Platos type tokens and properties in wire form (secret envelopes, unknown sentinels). One process per stack.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Agent, Environment, EnvironmentVariable, ProviderKey } from "pulumi-platos";
import { DEFAULT_OPTIONS, PRODUCTION_OPTIONS } from "../../policy/config";
import { runProgram } from "../harness/program-runner";
import { startPolicyPack, type Diagnostic, type RunningPolicyPack } from "../helpers/policy-analyzer";
import { agentProps, providerKeyProps, secret, typeTokens, UNKNOWN, variableProps } from "./fixtures";

const PACK_DIR = path.resolve(__dirname, "../../policy");

function testMode(environment: string, value: unknown) {
  return { type: typeTokens.EnvironmentVariable, name: "test-mode", properties: variableProps({ environment, key: "PLATOS_TEST_MODE", value }) };
}

function defaultOf(schema: unknown): unknown {
  return (schema as { default?: unknown } | undefined)?.default;
}

function summary(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.policyName}:${d.enforcementLevel}`).sort();
}

describe("policy pack over the Analyzer protocol", function () {
  this.timeout(120_000);

  describe("on a prod stack", () => {
    let pack: RunningPolicyPack;
    before(async () => {
      pack = await startPolicyPack({ packDir: PACK_DIR, stack: "prod" });
      console.log(`      (policy pack started in ${pack.startupMs} ms)`);
    });
    after(() => pack?.close());
    afterEach(() => pack.configure({}));

    it("describes the pack: six policies, their levels, severities, remediation and config defaults", () => {
      assert.equal(pack.info.name, "platos-policy");
      assert.deepEqual(
        pack.info.policies.map((p) => `${p.name}:${p.enforcementLevel}:${p.severity}`),
        [
          "no-test-mode-in-prod:mandatory:critical",
          "test-mode-value-valid:mandatory:high",
          "environments-do-not-cross:mandatory:high",
          "credentials-secret-in-prod:mandatory:high",
          "secrets-are-secret:advisory:medium",
          "provider-key-variable-in-prod:mandatory:high",
        ],
      );
      for (const p of pack.info.policies) assert.ok(p.remediationSteps, p.name);
      const [testModePolicy, , , , secrets] = pack.info.policies;
      assert.deepEqual(defaultOf(secrets!.configSchema.credentialKeyGlobs), DEFAULT_OPTIONS.credentialKeyGlobs);
      for (const option of PRODUCTION_OPTIONS) assert.deepEqual(defaultOf(testModePolicy!.configSchema[option]), DEFAULT_OPTIONS[option], option);
    });

    it("reports a mandatory, critical violation for PLATOS_TEST_MODE=true", async () => {
      const diagnostics = await pack.analyze(testMode("prod", "true"));
      assert.deepEqual(summary(diagnostics), ["no-test-mode-in-prod:mandatory"]);
      const [d] = diagnostics;
      assert.equal(d!.severity, "critical");
      assert.equal(d!.policyPackName, "platos-policy");
      assert.match(d!.message, /PLATOS_TEST_MODE="true" \(on\) targets production \(stack "prod"\)/);
    });

    it("sees through the secret envelope", async () => {
      assert.deepEqual(summary(await pack.analyze(testMode("prod", secret("1")))), ["no-test-mode-in-prod:mandatory"]);
    });

    it("reports both the prod and the validity policy for a spelling Platos rejects", async () => {
      assert.deepEqual(summary(await pack.analyze(testMode("prod", " true"))), ["no-test-mode-in-prod:mandatory", "test-mode-value-valid:mandatory"]);
    });

    it("fails closed, mandatory, on an unknown value and an unknown target instead of the SDK's advisory", async () => {
      const value = await pack.analyze(testMode("prod", UNKNOWN));
      assert.deepEqual(summary(value), ["no-test-mode-in-prod:mandatory"]);
      assert.doesNotMatch(value[0]!.message, /can't run/);
      assert.deepEqual(summary(await pack.analyze(testMode(UNKNOWN, "true"))), ["environments-do-not-cross:mandatory", "no-test-mode-in-prod:mandatory"]);
    });

    it("passes PLATOS_TEST_MODE=false and other Platos resources in prod", async () => {
      assert.deepEqual(await pack.analyze(testMode("prod", "false")), []);
      assert.deepEqual(await pack.analyze({ type: typeTokens.Agent, name: "triage", properties: agentProps("prod") }), []);
    });

    it("reports a prod stack writing into dev", async () => {
      assert.deepEqual(summary(await pack.analyze({ type: typeTokens.Agent, name: "triage", properties: agentProps("dev") })), [
        "environments-do-not-cross:mandatory",
      ]);
    });

    it("reports a credential stored as PLAIN in prod as mandatory", async () => {
      const properties = variableProps({ environment: "prod", key: "OPENAI_API_KEY", value: secret("sk-live") });
      const diagnostics = await pack.analyze({ type: typeTokens.EnvironmentVariable, name: "openai", properties });
      assert.deepEqual(summary(diagnostics), ["credentials-secret-in-prod:mandatory"]);
      assert.doesNotMatch(diagnostics[0]!.message, /sk-live/);
    });

    it("reports a prod ProviderKey that references a variable of dev as mandatory, and one of prod not at all", async () => {
      const key = (variableEnvironment: string) => ({
        type: typeTokens.ProviderKey,
        name: "openai",
        properties: providerKeyProps({ environment: "prod", variableEnvironment, variableSecret: true }),
      });
      const diagnostics = await pack.analyze(key("dev"));
      assert.deepEqual(summary(diagnostics), ["provider-key-variable-in-prod:mandatory"]);
      assert.match(diagnostics[0]!.message, /A provider key in dev does not auto-link to prod; promote your prod key separately/);
      assert.deepEqual(await pack.analyze(key("prod")), []);
    });

    it("honours enforcement levels from Configure", async () => {
      await pack.configure({ "no-test-mode-in-prod": { enforcementLevel: "advisory" } });
      assert.deepEqual(summary(await pack.analyze(testMode("prod", "true"))), ["no-test-mode-in-prod:advisory"]);
      await pack.configure({ "no-test-mode-in-prod": { enforcementLevel: "disabled" } });
      assert.deepEqual(await pack.analyze(testMode("prod", "true")), []);
    });

    it("refuses the retired prodPattern from Configure, naming the option that replaces it", async () => {
      await pack.configure({ "no-test-mode-in-prod": { prodPattern: "^live$" } });
      await assert.rejects(pack.analyze(testMode("prod", "true")), /prodPattern is no longer read: set productionPattern/);
    });

    describe("with the inputs the real resource classes register in a preview", () => {
      let verdicts: Map<string, string[]>;

      before(async () => {
        const run = await runProgram(
          () => {
            const env = new Environment("prod", { project: "support", slug: "prod" });
            const environment = env.slug;
            new EnvironmentVariable("test-mode", { project: "support", environment, key: "PLATOS_TEST_MODE", value: pulumi.secret("true"), secret: true });
            new EnvironmentVariable("log-level", { project: "support", environment, key: "LOG_LEVEL", value: "info" });
            new EnvironmentVariable("stray", { project: "support", environment: "dev", key: "LOG_LEVEL", value: "debug" });
            new Agent("triage", {
              project: "support",
              environment,
              slug: "triage",
              name: "Triage",
              model: "anthropic:claude-sonnet-4-6",
              systemPrompt: "Sort tickets.",
            });
            const prodKey = new EnvironmentVariable("openai-key", {
              project: "support",
              environment,
              key: "OPENAI_API_KEY",
              value: pulumi.secret("sk-prod"),
              secret: true,
            });
            const devKey = new EnvironmentVariable("dev-key", {
              project: "support",
              environment: "dev",
              key: "OPENAI_API_KEY",
              value: pulumi.secret("sk-dev"),
              secret: true,
            });
            new ProviderKey("openai", { project: "support", environment, provider: "openai", label: "primary", variable: prodKey, isDefault: true });
            new ProviderKey("borrowed", { project: "support", environment, provider: "openai", label: "borrowed", variable: devKey });
            // The variable shim under type names of the program's own: the pack must still see what it is.
            const shim = require("pulumi-platos/lib/shims/environment-variable.js") as pulumi.dynamic.ResourceProvider;
            class Disguised extends pulumi.dynamic.Resource {}
            new Disguised(shim, "disguised", { project: "support", environment, key: "PLATOS_TEST_MODE", value: "true" }, {}, "acme", "Setting");
            new Disguised(shim, "odd-shape", { project: "support", target: environment, entries: { PLATOS_TEST_MODE: "true" } }, {}, "acme", "Settings");
          },
          { stack: "prod", project: "platos", preview: true },
        );
        verdicts = new Map();
        for (const r of run.resources) {
          const diagnostics = await pack.analyze({ type: r.type, name: r.name, urn: r.urn, properties: r.inputs });
          verdicts.set(`${r.type.split(":").pop()}/${r.name}`, summary(diagnostics));
        }
      });

      it("registers the Platos type tokens", () => {
        assert.deepEqual([...verdicts.keys()].sort(), [
          "Agent/triage",
          "Environment/prod",
          "EnvironmentVariable/dev-key",
          "EnvironmentVariable/log-level",
          "EnvironmentVariable/openai-key",
          "EnvironmentVariable/stray",
          "EnvironmentVariable/test-mode",
          "ProviderKey/borrowed",
          "ProviderKey/openai",
          "Setting/disguised",
          "Settings/odd-shape",
        ]);
      });

      it("recognises the pulumi-platos provider under another type token, by its inputs, and fails closed on inputs it cannot read", () => {
        assert.deepEqual(verdicts.get("Setting/disguised"), ["no-test-mode-in-prod:mandatory"]);
        assert.deepEqual(verdicts.get("Settings/odd-shape"), ["no-test-mode-in-prod:mandatory"]);
      });

      it("reports a ProviderKey given another environment's EnvironmentVariable", () => {
        assert.deepEqual(verdicts.get("ProviderKey/borrowed"), ["provider-key-variable-in-prod:mandatory"]);
        assert.deepEqual(verdicts.get("EnvironmentVariable/dev-key"), ["environments-do-not-cross:mandatory"]);
      });

      it("reports a secret PLATOS_TEST_MODE=true as a mandatory violation", () => {
        assert.deepEqual(verdicts.get("EnvironmentVariable/test-mode"), ["no-test-mode-in-prod:mandatory"]);
      });

      it("reports a variable written into dev from the prod stack", () => {
        assert.deepEqual(verdicts.get("EnvironmentVariable/stray"), ["environments-do-not-cross:mandatory"]);
      });

      it("passes the rest", () => {
        for (const key of ["Environment/prod", "EnvironmentVariable/log-level", "Agent/triage", "EnvironmentVariable/openai-key", "ProviderKey/openai"])
          assert.deepEqual(verdicts.get(key), [], key);
      });
    });
  });

  describe("on a dev-eu stack whose platos:environment is dev", () => {
    let pack: RunningPolicyPack;
    before(async () => {
      pack = await startPolicyPack({ packDir: PACK_DIR, stack: "dev-eu", config: { "platos:environment": "dev" } });
    });
    after(() => pack?.close());

    it("allows test mode in dev", async () => {
      assert.deepEqual(await pack.analyze(testMode("dev", "true")), []);
    });

    it("reads the stack config the engine passes: writing into dev-eu crosses, dev does not", async () => {
      assert.deepEqual(await pack.analyze(testMode("dev", "false")), []);
      const diagnostics = await pack.analyze(testMode("dev-eu", "false"));
      assert.deepEqual(summary(diagnostics), ["environments-do-not-cross:mandatory"]);
      assert.match(diagnostics[0]!.message, /manages environment "dev" \(from platos:environment\)/);
    });

    it("reports a dev stack writing test mode into prod under both policies", async () => {
      assert.deepEqual(summary(await pack.analyze(testMode("prod", "1"))), ["environments-do-not-cross:mandatory", "no-test-mode-in-prod:mandatory"]);
    });

    it("only advises on a credential stored as PLAIN outside prod", async () => {
      const properties = variableProps({ environment: "dev", key: "OPENAI_API_KEY", value: secret("sk-test") });
      assert.deepEqual(summary(await pack.analyze({ type: typeTokens.EnvironmentVariable, name: "openai", properties })), ["secrets-are-secret:advisory"]);
    });

    it("still rejects a spelling Platos will not boot with", async () => {
      assert.deepEqual(summary(await pack.analyze(testMode("dev", "TRUE"))), ["test-mode-value-valid:mandatory"]);
    });
  });

  describe("on stacks the production rule names: by words (eu-live), by project (payments-prod), or by what the stack config adds (main)", () => {
    const packs: RunningPolicyPack[] = [];
    after(() => Promise.all(packs.map((pack) => pack.close())));

    it("judges by the rule the provider's guard uses, from the stack config the engine passes", async () => {
      const live = await startPolicyPack({ packDir: PACK_DIR, stack: "eu-live" });
      packs.push(live);
      assert.deepEqual(summary(await live.analyze(testMode("eu-live", "true"))), ["no-test-mode-in-prod:mandatory"]);
      const main = await startPolicyPack({ packDir: PACK_DIR, stack: "main", config: { "platos:prodEnvironmentPattern": "^main$" } });
      packs.push(main);
      const [diagnostic] = await main.analyze(testMode("main", "true"));
      assert.match(
        diagnostic!.message,
        /targets production \(stack "main"; platos:prodEnvironmentPattern "\^main\$" \(stack config\) only adds production names/,
      );
      // The owner, through Configure (what --policy-pack-config reaches the pack as), can refuse the stack's additions...
      await main.configure({ "no-test-mode-in-prod": { stacksMayAddProduction: false } });
      assert.deepEqual(await main.analyze(testMode("main", "true")), []);
      // ...and name production itself.
      await main.configure({ "no-test-mode-in-prod": { stacksMayAddProduction: false, productionNames: ["main"] } });
      assert.match(
        (await main.analyze(testMode("main", "true")))[0]!.message,
        /targets production \(stack "main"; platos:prodEnvironmentPattern "\^main\$" \(stack config\) is ignored/,
      );
    });

    it("judges a project-per-environment layout by its project (project payments-prod, stack main)", async () => {
      const payments = await startPolicyPack({ packDir: PACK_DIR, stack: "main", project: "payments-prod" });
      packs.push(payments);
      const diagnostics = await payments.analyze(testMode("main", "true"));
      assert.deepEqual(summary(diagnostics), ["no-test-mode-in-prod:mandatory"]);
      assert.match(diagnostics[0]!.message, /targets production \(project "payments-prod"\)/);
    });
  });

  describe("on a prod stack that sets the pattern to match nothing, in its stack config and its CI environment", () => {
    let pack: RunningPolicyPack;
    before(async () => {
      const saved = process.env.PLATOS_PROD_ENVIRONMENT_PATTERN;
      process.env.PLATOS_PROD_ENVIRONMENT_PATTERN = "^$";
      try {
        pack = await startPolicyPack({ packDir: PACK_DIR, stack: "prod", config: { "platos:prodEnvironmentPattern": "^$", "platos:environment": "prod" } });
      } finally {
        if (saved === undefined) delete process.env.PLATOS_PROD_ENVIRONMENT_PATTERN;
        else process.env.PLATOS_PROD_ENVIRONMENT_PATTERN = saved;
      }
    });
    after(() => pack?.close());

    it("still stops test mode, mandatory, and says the stack's settings cannot remove production", async () => {
      const diagnostics = await pack.analyze(testMode("prod", "true"));
      assert.deepEqual(summary(diagnostics), ["no-test-mode-in-prod:mandatory"]);
      assert.match(
        diagnostics[0]!.message,
        /targets production \(stack "prod"; platos:prodEnvironmentPattern "\^\$" \(stack config\) and PLATOS_PROD_ENVIRONMENT_PATTERN "\^\$" \(environment variable\) only adds production names; it cannot remove one\)/,
      );
    });

    it("is still stopped when Configure carries every schema default, as the engine sends them", async () => {
      // The engine's createConfigWithDefaults: each policy's own enforcement level and its schema's defaults.
      const defaults = Object.fromEntries(
        pack.info.policies.map((p) => [
          p.name,
          { enforcementLevel: p.enforcementLevel, ...Object.fromEntries(Object.entries(p.configSchema).map(([k, v]) => [k, defaultOf(v)])) },
        ]),
      );
      await pack.configure(defaults);
      assert.deepEqual(summary(await pack.analyze(testMode("prod", "true"))), ["no-test-mode-in-prod:mandatory"]);
      await pack.configure({});
    });

    it("is production unless the pack's owner says otherwise in the policy config", async () => {
      await pack.configure({ "no-test-mode-in-prod": { defaultProductionWords: false, productionNames: ["main"] } });
      assert.deepEqual(await pack.analyze(testMode("prod", "true")), []);
      await pack.configure({});
      assert.deepEqual(summary(await pack.analyze(testMode("prod", "true"))), ["no-test-mode-in-prod:mandatory"]);
    });
  });
});
