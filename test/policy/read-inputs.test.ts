import { strict as assert } from "node:assert";
import { unknownCheckingProxy } from "@pulumi/policy";
import { failClosed, knownString, readInput } from "../../policy/read-inputs";
import { UNKNOWN } from "./fixtures";

describe("policy read-inputs", () => {
  const props = { key: "A", nested: { value: UNKNOWN, text: "t" }, computed: UNKNOWN, count: 3 };

  it("reads known values, nested and missing", () => {
    assert.deepEqual(readInput(props, ["key"]), { path: "key", known: true, value: "A" });
    assert.deepEqual(readInput(props, ["nested", "text"]), { path: "nested.text", known: true, value: "t" });
    assert.deepEqual(readInput(props, ["missing", "deeper"]), { path: "missing.deeper", known: true, value: undefined });
  });

  it("turns the unknown sentinel into an unknown input naming its path, on plain and SDK-proxied props", () => {
    assert.deepEqual(readInput(props, ["computed"]), { path: "computed", known: false });
    assert.deepEqual(readInput(props, ["nested", "value"]), { path: "nested.value", known: false });
    assert.deepEqual(readInput(unknownCheckingProxy(props), ["nested", "value"]), { path: "nested.value", known: false });
  });

  it("gives knownString only for known strings", () => {
    assert.equal(knownString(readInput(props, ["key"])), "A");
    assert.equal(knownString(readInput(props, ["count"])), undefined);
    assert.equal(knownString(readInput(props, ["computed"])), undefined);
  });

  it("failClosed reports one violation naming the path and what could not be proven", () => {
    const messages: string[] = [];
    failClosed((m) => messages.push(m), { path: "nested.value", known: false }, "the moon may be cheese");
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /^`nested\.value` is not known during preview .* so the moon may be cheese\. This policy fails closed/);
  });
});
