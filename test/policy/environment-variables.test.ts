/**
 * The pack covers EnvironmentVariables as it covers EnvironmentVariable, key by key, through the Analyzer protocol:
 * PLATOS_TEST_MODE in either map (failing closed on an unknown value or map), its spelling, the target
 * environment, and credential-named keys in the PLAIN map. Secret values arrive in their own envelopes, as the
 * resource class registers them, and never appear in a message.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentVariables } from "pulumi-platos";
import { runProgram } from "../harness/program-runner";
import { packPerSuite, verdictsOf as summary, type Diagnostic } from "../helpers/policy-analyzer";
import { secret, typeTokens, UNKNOWN, variableSetProps } from "./fixtures";

const PACK_DIR = path.resolve(__dirname, "../../policy");

const bulk = (fields: Parameters<typeof variableSetProps>[0]) => ({
  type: typeTokens.EnvironmentVariables,
  name: "config",
  properties: variableSetProps(fields),
});
const messages = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.message).join("\n");

describe("policy pack on EnvironmentVariables, over the Analyzer protocol", function () {
  this.timeout(120_000);

  describe("on a prod stack", () => {
    const pack = packPerSuite({ packDir: PACK_DIR, stack: "prod" });

    it("forbids PLATOS_TEST_MODE on inside the plain map, naming the key and the value", async () => {
      const diagnostics = await pack().analyze(bulk({ environment: "prod", variables: { LOG_LEVEL: "info", PLATOS_TEST_MODE: "true" } }));
      assert.deepEqual(summary(diagnostics), ["no-test-mode-in-prod:mandatory"]);
      assert.match(diagnostics[0]!.message, /PLATOS_TEST_MODE="true" \(on\) targets production/);
    });

    it("forbids it inside the secret map too, without showing the value", async () => {
      const diagnostics = await pack().analyze(
        bulk({ environment: "prod", secrets: { OPENAI_API_KEY: secret("sk-live-bulk"), PLATOS_TEST_MODE: secret("1") } }),
      );
      assert.deepEqual(summary(diagnostics), ["no-test-mode-in-prod:mandatory"]);
      assert.match(diagnostics[0]!.message, /PLATOS_TEST_MODE=<secret value> \(on\) targets production/);
      assert.doesNotMatch(messages(diagnostics), /sk-live-bulk/);
    });

    it("fails closed on an unknown PLATOS_TEST_MODE value and on a map unknown as a whole", async () => {
      const value = await pack().analyze(bulk({ environment: "prod", secrets: { PLATOS_TEST_MODE: UNKNOWN, OTHER_SECRET: secret("x") } }));
      assert.deepEqual(summary(value), ["no-test-mode-in-prod:mandatory"]);
      assert.match(value[0]!.message, /`secrets\.PLATOS_TEST_MODE` is not known during preview/);
      const map = await pack().analyze(bulk({ environment: "prod", variables: { LOG_LEVEL: "info" }, secrets: UNKNOWN }));
      assert.deepEqual(summary(map), ["no-test-mode-in-prod:mandatory"]);
      assert.match(map[0]!.message, /`secrets` is not known during preview .* it may set PLATOS_TEST_MODE/);
    });

    it("passes test mode off and other keys", async () => {
      assert.deepEqual(
        await pack().analyze(
          bulk({ environment: "prod", variables: { PLATOS_TEST_MODE: "false", LOG_LEVEL: "warn" }, secrets: { OPENAI_API_KEY: secret("sk") } }),
        ),
        [],
      );
    });

    it("rejects a spelling Platos will not boot with, in either map", async () => {
      assert.deepEqual(summary(await pack().analyze(bulk({ environment: "prod", variables: { PLATOS_TEST_MODE: "yes" } }))), [
        "no-test-mode-in-prod:mandatory",
        "test-mode-value-valid:mandatory",
      ]);
    });

    it("keeps the stack in its environment, failing closed on an unknown one", async () => {
      const crossing = await pack().analyze(bulk({ environment: "dev", variables: { LOG_LEVEL: "debug" } }));
      assert.deepEqual(summary(crossing), ["environments-do-not-cross:mandatory"]);
      assert.match(crossing[0]!.message, /`environment` is "dev", but stack "prod" manages environment "prod"/);
      assert.deepEqual(summary(await pack().analyze(bulk({ environment: UNKNOWN, variables: { LOG_LEVEL: "debug" } }))), [
        "environments-do-not-cross:mandatory",
      ]);
    });

    it("requires a credential-named key to be in `secrets`, naming the key and the way out, never the value", async () => {
      const diagnostics = await pack().analyze(bulk({ environment: "prod", variables: { STRIPE_SECRET: "sk-plain-bulk", LOG_LEVEL: "info" } }));
      assert.deepEqual(summary(diagnostics), ["credentials-secret-in-prod:mandatory"]);
      assert.match(
        diagnostics[0]!.message,
        /STRIPE_SECRET looks like a credential but is stored as PLAIN in production \(stack "prod"\); move it from `variables` to `secrets`\./,
      );
      assert.doesNotMatch(messages(diagnostics), /sk-plain-bulk/);
      assert.deepEqual(await pack().analyze(bulk({ environment: "prod", secrets: { STRIPE_SECRET: secret("sk") } })), []);
    });

    it("judges what the resource class registers in a preview", async () => {
      const run = await runProgram(
        () => {
          new EnvironmentVariables("unsafe", {
            project: "support",
            environment: "prod",
            variables: { LOG_LEVEL: "info" },
            secrets: { PLATOS_TEST_MODE: "true", OPENAI_API_KEY: pulumi.secret("sk-class") },
          });
          // Another project: one key of one environment belongs to one resource.
          new EnvironmentVariables("safe", {
            project: "support-eu",
            environment: "prod",
            variables: { PLATOS_TEST_MODE: "false" },
            secrets: { OPENAI_API_KEY: "sk-class-2" },
          });
        },
        { stack: "prod", project: "platos", preview: true },
      );
      const verdicts = new Map<string, Diagnostic[]>();
      for (const r of run.resources) verdicts.set(r.name, await pack().analyze({ type: r.type, name: r.name, urn: r.urn, properties: r.inputs }));
      assert.deepEqual(summary(verdicts.get("unsafe")!), ["no-test-mode-in-prod:mandatory"]);
      assert.match(verdicts.get("unsafe")![0]!.message, /PLATOS_TEST_MODE=<secret value>/);
      assert.deepEqual(verdicts.get("safe"), []);
    });
  });

  describe("on a dev stack", () => {
    const pack = packPerSuite({ packDir: PACK_DIR, stack: "dev" });

    it("only advises on a credential-named key in the plain map, and allows test mode", async () => {
      const diagnostics = await pack().analyze(bulk({ environment: "dev", variables: { OPENAI_API_KEY: "sk-dev-bulk", PLATOS_TEST_MODE: "true" } }));
      assert.deepEqual(summary(diagnostics), ["secrets-are-secret:advisory"]);
      assert.match(diagnostics[0]!.message, /OPENAI_API_KEY looks like a credential but is stored as PLAIN; move it from `variables` to `secrets`\./);
      assert.doesNotMatch(messages(diagnostics), /sk-dev-bulk/);
    });
  });
});
