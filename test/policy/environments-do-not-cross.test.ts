import { strict as assert } from "node:assert";
import { environmentsDoNotCross } from "../../policy/policies";
import { agentProps, environmentProps, providerKeyProps, STACKS, typeTokens, UNKNOWN, variableProps } from "./fixtures";
import { runResourcePolicy } from "./run-policy";

/** Each Platos resource type with its properties for a given target environment. */
const RESOURCES = [
  { label: "Environment", type: typeTokens.Environment, props: environmentProps },
  {
    label: "EnvironmentVariable",
    type: typeTokens.EnvironmentVariable,
    props: (env: unknown) => variableProps({ environment: env, key: "LOG_LEVEL", value: "debug" }),
  },
  { label: "Agent", type: typeTokens.Agent, props: agentProps },
  { label: "ProviderKey", type: typeTokens.ProviderKey, props: (env: unknown) => providerKeyProps({ environment: env }) },
];

describe("policy environments-do-not-cross", () => {
  for (const { label, type, props } of RESOURCES) {
    describe(`for ${label}`, () => {
      for (const stack of STACKS) {
        it(`allows a ${stack} stack to write into ${stack}`, async () => {
          assert.deepEqual(await runResourcePolicy(environmentsDoNotCross, { type, stack, props: props(stack) }), []);
        });

        for (const other of STACKS.filter((s) => s !== stack)) {
          it(`forbids a ${stack} stack to write into ${other}`, async () => {
            const [message, ...rest] = await runResourcePolicy(environmentsDoNotCross, { type, stack, props: props(other) });
            assert.deepEqual(rest, []);
            assert.ok(message!.includes(`is "${other}", but stack "${stack}" manages environment "${stack}" (from the stack name)`));
          });
        }
      }

      it("fails closed on a target unknown during preview, on every stack", async () => {
        for (const stack of STACKS) {
          const [message] = await runResourcePolicy(environmentsDoNotCross, { type, stack, props: props(UNKNOWN) });
          assert.match(message!, /is not known during preview/);
        }
      });
    });
  }

  describe("with platos:environment in the stack config", () => {
    const stackConfig = { "platos:environment": "staging" };
    const run = (environment: string) =>
      runResourcePolicy(environmentsDoNotCross, {
        type: typeTokens.EnvironmentVariable,
        stack: "staging-eu",
        props: variableProps({ environment, key: "LOG_LEVEL", value: "info" }),
        stackConfig,
      });

    it("takes the configured environment over the stack name", async () => {
      assert.deepEqual(await run("staging"), []);
      const [message] = await run("staging-eu");
      assert.match(message!, /manages environment "staging" \(from platos:environment\)/);
    });
  });

  it("reports a resource that names no target environment", async () => {
    const props = variableProps({ environment: undefined, key: "LOG_LEVEL", value: "info" });
    assert.equal((await runResourcePolicy(environmentsDoNotCross, { type: typeTokens.EnvironmentVariable, stack: "dev", props })).length, 1);
  });

  it("ignores resources that are not Platos'", async () => {
    const props = { environment: "prod", slug: "prod" };
    assert.deepEqual(await runResourcePolicy(environmentsDoNotCross, { type: "pulumi-nodejs:dynamic:Resource", stack: "dev", props }), []);
  });
});
