import { strict as assert } from "node:assert";
import { allTypeTokens } from "pulumi-platos/rules";
import {
  describeVariable,
  platosTypeOfToken,
  providerKeyReferenceOf,
  readVariableBag,
  targetEnvironment,
  testModeReadingOf,
  variablesOf,
} from "../../policy/platos-resources";
import { agentProps, environmentProps, providerKeyProps, typeTokens, UNKNOWN, variableProps } from "./fixtures";

describe("policy platos-resources", () => {
  it("knows the target environment of every Platos type token", () => {
    for (const token of allTypeTokens) assert.ok(platosTypeOfToken(token), token);
    assert.equal(platosTypeOfToken("pulumi-nodejs:dynamic:Resource"), undefined);
  });

  it("reads the target environment from slug (Environment) or environment (the others)", () => {
    assert.deepEqual(targetEnvironment({ type: typeTokens.Environment, props: environmentProps("dev") }), { path: "slug", known: true, value: "dev" });
    assert.deepEqual(targetEnvironment({ type: typeTokens.Agent, props: agentProps("prod") }), { path: "environment", known: true, value: "prod" });
    assert.equal(targetEnvironment({ type: "aws:s3/bucket:Bucket", props: { environment: "prod" } }), undefined);
  });

  it("reads an EnvironmentVariable as one (key, value, secret, environment) entry", () => {
    const [entry, ...rest] = variablesOf({
      type: typeTokens.EnvironmentVariable,
      props: variableProps({ environment: "dev", key: "K", value: UNKNOWN, secret: true }),
    });
    assert.deepEqual(rest, []);
    assert.deepEqual(entry, {
      key: { path: "key", known: true, value: "K" },
      value: { path: "value", known: false },
      secret: { path: "secret", known: true, value: true },
      environment: { path: "environment", known: true, value: "dev" },
      makeSecret: "set `secret: true`",
    });
    assert.deepEqual(variablesOf({ type: typeTokens.Agent, props: agentProps("dev") }), []);
  });

  it("reads what a ProviderKey says about its variable, and sets no variable itself", () => {
    const props = providerKeyProps({ environment: "prod", variableEnvironment: "dev", variableSecret: UNKNOWN });
    assert.deepEqual(providerKeyReferenceOf({ type: typeTokens.ProviderKey, props }), {
      variable: { path: "variable", known: true, value: "OPENAI_API_KEY" },
      variableEnvironment: { path: "variableEnvironment", known: true, value: "dev" },
      variableSecret: { path: "variableSecret", known: false },
      environment: { path: "environment", known: true, value: "prod" },
    });
    assert.deepEqual(targetEnvironment({ type: typeTokens.ProviderKey, props }), { path: "environment", known: true, value: "prod" });
    assert.deepEqual(variablesOf({ type: typeTokens.ProviderKey, props }), []);
    assert.equal(providerKeyReferenceOf({ type: typeTokens.Agent, props: agentProps("prod") }), undefined);
  });

  describe("readVariableBag (for a bulk variables resource)", () => {
    it("reads every key of the bag, each value on its own path", () => {
      const plain = { path: "variables", known: true, value: false } as const;
      const entries = readVariableBag({ variables: { A: "1", B: UNKNOWN } }, "variables", plain, "hint");
      assert.deepEqual(entries, [
        { key: { path: "variables.A", known: true, value: "A" }, value: { path: "variables.A", known: true, value: "1" }, secret: plain, makeSecret: "hint" },
        { key: { path: "variables.B", known: true, value: "B" }, value: { path: "variables.B", known: false }, secret: plain, makeSecret: "hint" },
      ]);
    });

    it("turns an unknown bag into one entry with unknown key and value, so policies fail closed on it", () => {
      const [entry] = readVariableBag({ variables: UNKNOWN }, "variables", { path: "variables", known: true, value: false }, "hint");
      assert.deepEqual(entry!.key, { path: "variables", known: false });
      assert.deepEqual(entry!.value, { path: "variables", known: false });
    });
  });

  it("reads PLATOS_TEST_MODE values the way the rules do, and non-strings as invalid", () => {
    assert.equal(testModeReadingOf("1"), "on");
    assert.equal(testModeReadingOf(""), "off");
    assert.equal(testModeReadingOf("yes"), "invalid");
    assert.equal(testModeReadingOf(true), "invalid");
  });

  it("describes a variable's value unless it is stored as a secret, missing or unknown", () => {
    const [plain] = variablesOf({ type: typeTokens.EnvironmentVariable, props: variableProps({ environment: "dev", key: "K", value: "v" }) });
    const [hidden] = variablesOf({ type: typeTokens.EnvironmentVariable, props: variableProps({ environment: "dev", key: "K", value: "v", secret: true }) });
    assert.equal(describeVariable("K", plain!), 'K="v"');
    assert.equal(describeVariable("K", hidden!), "K=<secret value>");
    const [missing] = variablesOf({ type: typeTokens.EnvironmentVariable, props: variableProps({ environment: "dev", key: "K", value: undefined }) });
    const [computed] = variablesOf({ type: typeTokens.EnvironmentVariable, props: variableProps({ environment: "dev", key: "K", value: UNKNOWN }) });
    assert.equal(describeVariable("K", missing!), "K with no value");
    assert.equal(describeVariable("K", computed!), "K=<unknown>");
  });
});
