import { strict as assert } from "node:assert";
import { configSchemaOf, DEFAULT_OPTIONS, isCredentialKey, readOptions } from "../../policy/config";

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
    assert.deepEqual(readOptions(() => ({})), DEFAULT_OPTIONS);
    assert.deepEqual(readOptions(() => ({ credentialKeyGlobs: ["*_DSN"] })).credentialKeyGlobs, ["*_DSN"]);
  });

  it("refuses malformed options with a message naming them", () => {
    assert.throws(() => readOptions(() => ({ credentialKeyGlobs: "*_KEY" as never })), /credentialKeyGlobs must be an array of strings/);
  });

  it("refuses the retired prodPattern, saying where production is configured now", () => {
    assert.throws(
      () => readOptions(() => ({ prodPattern: "^live$" }) as never),
      /policy config prodPattern is no longer read: the pack and the provider now decide what is production by one rule, configured in the stack config platos:prodEnvironmentPattern\. Run `pulumi config set platos:prodEnvironmentPattern '\^live\$'`/,
    );
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
