/**
 * The pack decides "production" by the rule the provider's guard uses (provider/rules/production.ts), from the same
 * stack config, and recognises Platos resources by what they are. The provider's side of the same name table is
 * test/providers/production-rule.test.ts.
 */
import { strict as assert } from "node:assert";
import { platosTypeOf, UNRECOGNISED } from "../../policy/platos-resources";
import { noTestModeInProd } from "../../policy/policies";
import { typeTokens, variableProps, variableSetProps } from "./fixtures";
import { NOT_PRODUCTION, PRODUCTION, PRODUCTION_STACKS } from "./production-names";
import { runResourcePolicy } from "./run-policy";

const testMode = (stack: string, environment: string, type: string = typeTokens.EnvironmentVariable, props = variableProps({ environment, key: "PLATOS_TEST_MODE", value: "true" })) =>
  runResourcePolicy(noTestModeInProd, { type, stack, props });

describe("the pack's production rule", () => {
  for (const name of PRODUCTION) {
    it(`calls environment "${name}" production`, async () => {
      const [message, ...rest] = await testMode("dev", name);
      assert.deepEqual(rest, []);
      assert.match(message!, new RegExp(`targets production \\(environment "${name}"\\)`));
    });
  }
  for (const name of PRODUCTION_STACKS) {
    it(`calls stack "${name}" production`, async () => {
      assert.match((await testMode(name, "dev"))[0]!, new RegExp(`production \\(stack "${name.replace(".", "\\.")}"\\)`));
    });
  }
  it(`calls ${NOT_PRODUCTION.join(", ")} not production`, async () => {
    for (const name of NOT_PRODUCTION) assert.deepEqual(await testMode(name, name), [], name);
  });
});

describe("the pack recognises Platos resources by what they are", () => {
  const onProvider = { __provider: 'exports.handler = { check: () => require("pulumi-platos/lib/runtime/index.js").variable }' };

  it("by the pulumi-platos provider under any type token, judged by its inputs", async () => {
    const type = "pulumi-nodejs:dynamic/acme:Setting";
    assert.equal(platosTypeOf({ type, props: variableProps({ environment: "dev", key: "K", value: "v" }) }), "EnvironmentVariable");
    assert.equal((await testMode("prod", "prod", type)).length, 1);
    assert.equal((await testMode("prod", "prod", type, variableSetProps({ environment: "prod", secrets: { PLATOS_TEST_MODE: "1" } }))).length, 1);
  });

  it("by a Platos variable's inputs, on any provider", async () => {
    const props = { project: "support", environment: "prod", key: "PLATOS_TEST_MODE", value: "true", __provider: "exports.handler = require('./my-copy').variable;" };
    assert.equal((await testMode("prod", "prod", "pulumi-nodejs:dynamic:Resource", props)).length, 1);
  });

  it("fails closed on a resource of the pulumi-platos provider whose inputs are no Platos resource's", async () => {
    const props = { project: "support", target: "dev", entries: { PLATOS_TEST_MODE: "true" }, ...onProvider };
    assert.equal(platosTypeOf({ type: "pulumi-nodejs:dynamic/acme:Settings", props }), UNRECOGNISED);
    const [message] = await testMode("dev", "dev", "pulumi-nodejs:dynamic/acme:Settings", props);
    assert.match(message!, /runs on the pulumi-platos provider, but its inputs are those of no Platos resource this pack knows/);
  });

  it("leaves resources of other providers alone", async () => {
    assert.equal(platosTypeOf({ type: "aws:s3/bucket:Bucket", props: { key: "PLATOS_TEST_MODE", value: "true" } }), undefined);
    assert.equal(platosTypeOf({ type: "pulumi-nodejs:dynamic:Resource", props: { project: "x", slug: "prod", __provider: "exports.handler = require('other');" } }), undefined);
  });
});
