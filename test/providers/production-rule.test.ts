/**
 * The provider's own PLATOS_TEST_MODE guard decides "production" by the shared rule (provider/rules/production.ts):
 * the environment slug and the stack the resource class registers, by words by default, configured by the stack
 * config platos:prodEnvironmentPattern. The pack's side of the same table is test/policy/production-rule.test.ts.
 */
import { strict as assert } from "node:assert";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { variableProvider } from "../../provider/providers/environment-variable";
import { variableSetProvider } from "../../provider/providers/environment-variables";
import { resetConfiguration } from "../../provider/runtime/settings";
import { NOT_PRODUCTION, PRODUCTION, PRODUCTION_STACKS } from "../policy/production-names";
import { configSource } from "../platos/support";

const SETTINGS = { "platos:protocol": "v1", "platos:apiUrl": "http://127.0.0.1:9", "platos:token": "unused" };

async function failuresOf(provider: dynamic.ResourceProvider, news: Record<string, unknown>, config: Record<string, string> = {}): Promise<string[]> {
  resetConfiguration();
  await provider.configure!({ config: configSource({ ...SETTINGS, ...config }) });
  return ((await provider.check!({}, news)).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
}

/** What the resource class registers: `declaredBy` names the organization, project and stack (the stack read from it). */
const declaredBy = (stack: string) => `acme/p/${stack}::pulumi-nodejs:dynamic/platos:EnvironmentVariable::flag`;
const variable = (environment: string, stack: string) => ({ project: "p", environment, declaredBy: declaredBy(stack), key: "PLATOS_TEST_MODE", value: "true" });
const variableSet = (environment: string, stack: string) => ({ project: "p", environment, declaredBy: declaredBy(stack), variables: { PLATOS_TEST_MODE: "1" } });

describe("the provider's test-mode guard: one production rule", () => {
  after(resetConfiguration);

  for (const [resource, provider, inputs] of [
    ["EnvironmentVariable", variableProvider, variable],
    ["EnvironmentVariables", variableSetProvider, variableSet],
  ] as const) {
    describe(resource, () => {
      for (const name of PRODUCTION) {
        it(`refuses test mode on environment "${name}"`, async () => {
          const [failure, ...more] = await failuresOf(provider, inputs(name, "dev"));
          assert.deepEqual(more, []);
          assert.match(failure!, new RegExp(`must not be on in production \\(environment "${name}", by the default rule\\)`));
        });
      }
      for (const name of PRODUCTION_STACKS) {
        it(`refuses test mode on any environment of stack "${name}"`, async () => {
          const [failure, ...more] = await failuresOf(provider, inputs("dev", name));
          assert.deepEqual(more, []);
          assert.match(failure!, new RegExp(`must not be on in production \\(stack "${name.replace(".", "\\.")}", by the default rule\\)`));
        });
      }

      it(`allows test mode where neither the environment nor the stack is production (${NOT_PRODUCTION.join(", ")})`, async () => {
        for (const name of NOT_PRODUCTION) assert.deepEqual(await failuresOf(provider, inputs(name, name)), [], name);
      });

      it("takes the rule from the stack config platos:prodEnvironmentPattern, which replaces the default", async () => {
        const config = { "platos:prodEnvironmentPattern": "^(main|blue)$" };
        assert.equal((await failuresOf(provider, inputs("dev", "main"), config)).length, 1);
        assert.match((await failuresOf(provider, inputs("blue", "dev"), config))[0]!, /by platos:prodEnvironmentPattern "\^\(main\|blue\)\$"/);
        assert.deepEqual(await failuresOf(provider, inputs("prod", "prod"), config), []);
      });

      it("fails check naming the setting when the configured rule is not a regular expression", async () => {
        await assert.rejects(failuresOf(provider, inputs("dev", "dev"), { "platos:prodEnvironmentPattern": "(" }), /platos:prodEnvironmentPattern "\(" \(read from stack config platos:prodEnvironmentPattern, else PLATOS_PROD_ENVIRONMENT_PATTERN\) is not a valid regular expression/);
      });
    });
  }
});
