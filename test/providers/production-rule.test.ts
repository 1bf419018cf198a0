/**
 * The provider's own PLATOS_TEST_MODE guard decides "production" by the shared rule (provider/rules/production.ts):
 * the environment slug, and the stack and project the resource class registers (`declaredBy`), by the default
 * words, to which the stack config platos:prodEnvironmentPattern (or PLATOS_PROD_ENVIRONMENT_PATTERN) may only add.
 * It holds in check, create and update. The pack's side of the same table is test/policy/production-rule.test.ts.
 */
import { strict as assert } from "node:assert";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { variableProvider } from "../../provider/providers/environment-variable";
import { variableSetProvider } from "../../provider/providers/environment-variables";
import { resetConfiguration } from "../../provider/runtime/settings";
import { platosWorld } from "../helpers/platos-world";
import { checkedInputs, configureProviders } from "../helpers/provider-process";
import { NOT_PRODUCTION, PRODUCTION, PRODUCTION_STACKS } from "../policy/production-names";
import { configSource, stackConfig } from "../platos/support";

const SETTINGS = { "platos:protocol": "v1", "platos:apiUrl": "http://127.0.0.1:9", "platos:token": "unused" };

async function failuresOf(provider: dynamic.ResourceProvider, news: Record<string, unknown>, config: Record<string, string> = {}): Promise<string[]> {
  resetConfiguration();
  await provider.configure!({ config: configSource({ ...SETTINGS, ...config }) });
  return ((await provider.check!({}, news)).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
}

/** What the resource class registers: `declaredBy` names the organization, Pulumi project and stack. */
const declaredBy = (stack: string, project = "p") => `acme/${project}/${stack}::pulumi-nodejs:dynamic/platos:EnvironmentVariable::flag`;
const variable = (environment: string, stack: string, project?: string) => ({
  project: "p",
  environment,
  declaredBy: declaredBy(stack, project),
  key: "PLATOS_TEST_MODE",
  value: "true",
});
const variableSet = (environment: string, stack: string, project?: string) => ({
  project: "p",
  environment,
  declaredBy: declaredBy(stack, project),
  variables: { PLATOS_TEST_MODE: "1" },
});

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

      it("calls a project-per-environment layout production by its Pulumi project (project payments-prod, stack main)", async () => {
        const [failure, ...more] = await failuresOf(provider, inputs("main", "main", "payments-prod"));
        assert.deepEqual(more, []);
        assert.match(failure!, /must not be on in production \(project "payments-prod", by the default rule\)/);
        assert.deepEqual(await failuresOf(provider, inputs("main", "main", "payments")), []);
      });

      it("lets the stack config platos:prodEnvironmentPattern add production names", async () => {
        const config = { "platos:prodEnvironmentPattern": "^(main|blue)$" };
        assert.equal((await failuresOf(provider, inputs("dev", "main"), config)).length, 1);
        assert.match((await failuresOf(provider, inputs("blue", "dev"), config))[0]!, /by platos:prodEnvironmentPattern "\^\(main\|blue\)\$" \(stack config\)/);
      });

      it("never lets it remove one: a prod stack whose pattern matches nothing is still refused, and told why", async () => {
        const [failure] = await failuresOf(provider, inputs("prod", "prod"), { "platos:prodEnvironmentPattern": "^$" });
        assert.match(
          failure!,
          /\(environment "prod", by the default rule; platos:prodEnvironmentPattern "\^\$" \(stack config\) only adds production names; it cannot remove one\)/,
        );
      });

      it("nor the environment variable PLATOS_PROD_ENVIRONMENT_PATTERN", async () => {
        process.env.PLATOS_PROD_ENVIRONMENT_PATTERN = "^$";
        try {
          assert.match(
            (await failuresOf(provider, inputs("prod", "prod")))[0]!,
            /PLATOS_PROD_ENVIRONMENT_PATTERN "\^\$" \(environment variable\) only adds production names/,
          );
        } finally {
          delete process.env.PLATOS_PROD_ENVIRONMENT_PATTERN;
        }
      });

      it("fails check naming the setting when the configured pattern is not a regular expression", async () => {
        await assert.rejects(
          failuresOf(provider, inputs("dev", "dev"), { "platos:prodEnvironmentPattern": "(" }),
          /stack config platos:prodEnvironmentPattern "\(" is not a valid regular expression/,
        );
      });
    });
  }
});

/**
 * A program may drive the provider past `check` (its own dynamic provider wrapping this one calls create/update):
 * the guard holds there too, before any write. Against the emulator, so a write that got through would be seen.
 */
describe("the provider's test-mode guard in create and update", function () {
  this.timeout(60_000);
  const world = platosWorld({ protocol: "v1" });
  let environmentId: string;

  before(async () => {
    // The stack tries to switch the rule off; it cannot.
    await configureProviders({ ...stackConfig(world.access.settings), "platos:prodEnvironmentPattern": "^$" });
    environmentId = (await world.admin.environments.create("default", { slug: "prod" })).id;
  });

  const serverValue = async (key: string) => (await world.admin.variables.list(environmentId)).find((v) => v.key === key)?.value;
  const base = { project: "default", environment: "prod", declaredBy: declaredBy("prod") };

  it("EnvironmentVariable: create refuses test mode in prod and writes nothing", async () => {
    const inputs = { ...base, key: "PLATOS_TEST_MODE", value: "true", secret: false };
    await assert.rejects(
      variableProvider.create(inputs),
      /creating variable PLATOS_TEST_MODE in environment "prod" refused: value: PLATOS_TEST_MODE must not be on in production \(environment "prod", by the default rule/,
    );
    assert.equal(await serverValue("PLATOS_TEST_MODE"), undefined);
  });

  it("EnvironmentVariable: update refuses turning test mode on in prod and leaves it off", async () => {
    const inputs = await checkedInputs(variableProvider, { ...base, key: "PLATOS_TEST_MODE", value: "false" });
    const created = await variableProvider.create(inputs);
    assert.equal(await serverValue("PLATOS_TEST_MODE"), "false");
    await assert.rejects(
      variableProvider.update!(created.id, created.outs!, { ...inputs, value: "1" }),
      /updating variable PLATOS_TEST_MODE in environment "prod" refused: value: PLATOS_TEST_MODE must not be on/,
    );
    assert.equal(await serverValue("PLATOS_TEST_MODE"), "false");
    await variableProvider.delete!(created.id, created.outs!);
  });

  it("EnvironmentVariables: create refuses a set holding test mode in prod and writes none of it", async () => {
    const inputs = await checkedInputs(variableSetProvider, { ...base, variables: { LOG_LEVEL: "info" } });
    await assert.rejects(
      variableSetProvider.create({ ...inputs, variables: { LOG_LEVEL: "info", PLATOS_TEST_MODE: "true" } }),
      /creating the variables of environment "prod" of project "default" refused: variables\.PLATOS_TEST_MODE: PLATOS_TEST_MODE must not be on in production/,
    );
    assert.equal(await serverValue("LOG_LEVEL"), undefined);
    assert.equal(await serverValue("PLATOS_TEST_MODE"), undefined);
  });

  it("EnvironmentVariables: update refuses adding test mode in prod, as a secret too", async () => {
    const inputs = await checkedInputs(variableSetProvider, { ...base, variables: { LOG_LEVEL: "info" } });
    const created = await variableSetProvider.create(inputs);
    await assert.rejects(
      variableSetProvider.update!(created.id, created.outs!, { ...inputs, secrets: { PLATOS_TEST_MODE: "1" } }),
      /updating the variables of environment "prod" of project "default" refused: secrets\.PLATOS_TEST_MODE: PLATOS_TEST_MODE must not be on in production/,
    );
    assert.equal(await serverValue("PLATOS_TEST_MODE"), undefined);
    await variableSetProvider.delete!(created.id, created.outs!);
  });
});
