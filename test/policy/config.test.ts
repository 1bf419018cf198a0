import { strict as assert } from "node:assert";
import { configSchemaOf, DEFAULT_OPTIONS, isCredentialKey, prodRegExp, readOptions } from "../../policy/config";

describe("policy config", () => {
  it("puts the code defaults in the schema", () => {
    const schema = configSchemaOf("prodPattern", "credentialKeyGlobs");
    assert.equal(schema.properties.prodPattern!.default, DEFAULT_OPTIONS.prodPattern);
    assert.deepEqual(schema.properties.credentialKeyGlobs!.default, DEFAULT_OPTIONS.credentialKeyGlobs);
    assert.equal(DEFAULT_OPTIONS.prodPattern, "^prod(uction)?$");
  });

  it("gives each policy only the options it reads", () => {
    assert.deepEqual(Object.keys(configSchemaOf("prodPattern").properties), ["prodPattern"]);
  });

  it("reads configured options over the defaults", () => {
    assert.deepEqual(readOptions(() => ({})), DEFAULT_OPTIONS);
    assert.equal(readOptions(() => ({ prodPattern: "^live$" })).prodPattern, "^live$");
    assert.deepEqual(readOptions(() => ({ prodPattern: "^live$" })).credentialKeyGlobs, DEFAULT_OPTIONS.credentialKeyGlobs);
  });

  it("refuses malformed options with a message naming them", () => {
    assert.throws(() => readOptions(() => ({ prodPattern: "" })), /prodPattern must be a non-empty string/);
    assert.throws(() => readOptions(() => ({ credentialKeyGlobs: "*_KEY" as never })), /credentialKeyGlobs must be an array of strings/);
    assert.throws(() => prodRegExp({ ...DEFAULT_OPTIONS, prodPattern: "[" }), /prodPattern "\[" is not a valid regular expression/);
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
