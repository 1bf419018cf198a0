import { strict as assert } from "node:assert";
import { configSchemaOf, DEFAULT_OPTIONS, isCredentialKey, PRODUCTION_OPTIONS, readOptions } from "../../policy/config";

describe("policy config", () => {
  it("puts the code defaults in the schema", () => {
    const schema = configSchemaOf("credentialKeyGlobs");
    assert.deepEqual(schema.properties.credentialKeyGlobs!.default, DEFAULT_OPTIONS.credentialKeyGlobs);
  });

  it("gives each policy only the options it reads", () => {
    assert.deepEqual(Object.keys(configSchemaOf().properties), []);
    assert.deepEqual(Object.keys(configSchemaOf("credentialKeyGlobs").properties), ["credentialKeyGlobs"]);
  });

  it("reads configured options over the defaults", () => {
    assert.deepEqual(
      readOptions(() => ({})),
      DEFAULT_OPTIONS,
    );
    assert.deepEqual(readOptions(() => ({ credentialKeyGlobs: ["*_DSN"] })).credentialKeyGlobs, ["*_DSN"]);
  });

  it("refuses malformed options with a message naming them", () => {
    assert.throws(() => readOptions(() => ({ credentialKeyGlobs: "*_KEY" as never })), /credentialKeyGlobs must be an array of strings/);
  });

  it("refuses the retired prodPattern, naming the option that replaces it", () => {
    assert.throws(
      () => readOptions(() => ({ prodPattern: "^live$" }) as never),
      /policy config prodPattern is no longer read: set productionPattern to "\^live\$" in the policy config instead \(it adds to the default production words; set defaultProductionWords to false to use the pattern alone\)/,
    );
  });

  it("gives the policies that judge production the owner's production options, defaults in the schema", () => {
    const schema = configSchemaOf(...PRODUCTION_OPTIONS);
    assert.deepEqual(Object.keys(schema.properties), ["defaultProductionWords", "productionNames", "productionPattern", "stacksMayAddProduction"]);
    for (const option of PRODUCTION_OPTIONS) assert.deepEqual(schema.properties[option]!.default, DEFAULT_OPTIONS[option], option);
  });

  it("refuses malformed production options with a message naming them", () => {
    assert.throws(() => readOptions(() => ({ productionNames: "main" as never })), /policy config productionNames must be an array of strings, got "main"/);
    assert.throws(() => readOptions(() => ({ defaultProductionWords: "no" as never })), /policy config defaultProductionWords must be true or false, got "no"/);
    assert.throws(() => readOptions(() => ({ stacksMayAddProduction: 0 as never })), /policy config stacksMayAddProduction must be true or false, got 0/);
    assert.throws(() => readOptions(() => ({ productionPattern: 1 as never })), /policy config productionPattern must be a string, got 1/);
  });

  it("matches credential globs whole, with * as any run and no other wildcard", () => {
    const options = DEFAULT_OPTIONS;
    assert.ok(isCredentialKey("OPENAI_API_KEY", options));
    assert.ok(isCredentialKey("MY_PASSWORD_2", options));
    assert.ok(!isCredentialKey("KEY_ID", options));
    assert.ok(!isCredentialKey("API_KEYS", options));
    assert.ok(isCredentialKey("A.B", { ...options, credentialKeyGlobs: ["A.B"] }));
    assert.ok(!isCredentialKey("AXB", { ...options, credentialKeyGlobs: ["A.B"] }));
  });
});
