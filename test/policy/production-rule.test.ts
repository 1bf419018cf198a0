/**
 * The pack decides "production" by the rule the provider's guard uses (provider/rules/production.ts): the default
 * words, the owner's policy config, and what a stack may add (never remove); and recognises Platos resources by
 * what they are. The provider's side of the same name table is test/providers/production-rule.test.ts.
 */
import { strict as assert } from "node:assert";
import { hasProductionWord } from "pulumi-platos/rules";
import { platosTypeOf, UNRECOGNISED } from "../../policy/platos-resources";
import { noTestModeInProd } from "../../policy/policies";
import { typeTokens, variableProps, variableSetProps } from "./fixtures";
import { NOT_PRODUCTION, PRODUCTION, PRODUCTION_STACKS } from "./production-names";
import { runResourcePolicy, type PolicyRun } from "./run-policy";

const testMode = (
  stack: string,
  environment: string,
  type: string = typeTokens.EnvironmentVariable,
  props = variableProps({ environment, key: "PLATOS_TEST_MODE", value: "true" }),
) => runResourcePolicy(noTestModeInProd, { type, stack, props });

const testModeIn = (run: Omit<PolicyRun, "type" | "props">, environment = run.stack) =>
  runResourcePolicy(noTestModeInProd, {
    type: typeTokens.EnvironmentVariable,
    props: variableProps({ environment, key: "PLATOS_TEST_MODE", value: "true" }),
    ...run,
  });

describe("the default production words", () => {
  for (const name of PRODUCTION_STACKS) it(`name "${name}" is production`, () => assert.equal(hasProductionWord(name), true));
  for (const name of NOT_PRODUCTION) it(`name "${name}" is not production`, () => assert.equal(hasProductionWord(name), false));
});

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

  it("calls a project-per-environment layout production by its project (project payments-prod, stack main)", async () => {
    const [message] = await testModeIn({ stack: "main", project: "payments-prod" }, "main");
    assert.match(message!, /targets production \(project "payments-prod"\)/);
    assert.deepEqual(await testModeIn({ stack: "main", project: "payments" }, "main"), []);
  });
});

describe("who decides what is production", () => {
  const matchNothing = { "platos:prodEnvironmentPattern": "^$" };
  let savedEnv: string | undefined;
  beforeEach(() => {
    savedEnv = process.env.PLATOS_PROD_ENVIRONMENT_PATTERN;
    delete process.env.PLATOS_PROD_ENVIRONMENT_PATTERN;
  });
  afterEach(() => {
    if (savedEnv === undefined) delete process.env.PLATOS_PROD_ENVIRONMENT_PATTERN;
    else process.env.PLATOS_PROD_ENVIRONMENT_PATTERN = savedEnv;
  });

  it("a prod stack whose stack config pattern matches nothing is still stopped, and told why", async () => {
    const [message] = await testModeIn({ stack: "prod", stackConfig: matchNothing });
    assert.match(
      message!,
      /targets production \(stack "prod"; platos:prodEnvironmentPattern "\^\$" \(stack config\) only adds production names; it cannot remove one\)/,
    );
  });

  it("so is one whose CI sets PLATOS_PROD_ENVIRONMENT_PATTERN to match nothing", async () => {
    process.env.PLATOS_PROD_ENVIRONMENT_PATTERN = "^$";
    const [message] = await testModeIn({ stack: "prod" });
    assert.match(message!, /PLATOS_PROD_ENVIRONMENT_PATTERN "\^\$" \(environment variable\) only adds production names/);
  });

  it("a stack may add production names by its stack config or the environment variable", async () => {
    assert.equal((await testModeIn({ stack: "main", stackConfig: { "platos:prodEnvironmentPattern": "^main$" } })).length, 1);
    process.env.PLATOS_PROD_ENVIRONMENT_PATTERN = "^blue$";
    assert.equal((await testModeIn({ stack: "blue" })).length, 1);
  });

  it("the owner adds names and patterns in the policy config", async () => {
    assert.match((await testModeIn({ stack: "main", policyConfig: { productionNames: ["Main"] } }))[0]!, /production \(stack "main"\)/);
    assert.equal((await testModeIn({ stack: "blue-1", policyConfig: { productionPattern: "^blue-\\d+$" } })).length, 1);
  });

  it("only the owner can drop the default words", async () => {
    assert.deepEqual(await testModeIn({ stack: "prod", policyConfig: { defaultProductionWords: false, productionNames: ["main"] } }), []);
    assert.equal((await testModeIn({ stack: "main", policyConfig: { defaultProductionWords: false, productionNames: ["main"] } })).length, 1);
  });

  it("the owner can forbid stacks to add, and the message says the stack's setting is ignored", async () => {
    const policyConfig = { stacksMayAddProduction: false };
    assert.deepEqual(await testModeIn({ stack: "main", policyConfig, stackConfig: { "platos:prodEnvironmentPattern": "^main$" } }), []);
    const [message] = await testModeIn({ stack: "prod", policyConfig, stackConfig: matchNothing });
    assert.match(
      message!,
      /platos:prodEnvironmentPattern "\^\$" \(stack config\) is ignored: the policy config of no-test-mode-in-prod does not let stacks add production names/,
    );
  });

  it("fails the run naming the policy config when the owner's pattern is not a regular expression", async () => {
    await assert.rejects(
      testModeIn({ stack: "dev", policyConfig: { productionPattern: "(" } }),
      /productionPattern of the policy config of no-test-mode-in-prod "\(" is not a valid regular expression/,
    );
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
    const props = {
      project: "support",
      environment: "prod",
      key: "PLATOS_TEST_MODE",
      value: "true",
      __provider: "exports.handler = require('./my-copy').variable;",
    };
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
    assert.equal(
      platosTypeOf({ type: "pulumi-nodejs:dynamic:Resource", props: { project: "x", slug: "prod", __provider: "exports.handler = require('other');" } }),
      undefined,
    );
  });
});
