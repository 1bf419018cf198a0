import { strict as assert } from "node:assert";
import { testModeValueValid } from "../../policy/policies";
import { secret, STACKS, typeTokens, UNKNOWN, variableProps } from "./fixtures";
import { runResourcePolicy } from "./run-policy";

const VALID = ["true", "false", "1", "0", ""];
const INVALID = ["TRUE", "True", "FALSE", " true", "true ", "false\n", "yes", "no", "on", "off", "enabled", "01"];

function run(stack: string, key: unknown, value: unknown): Promise<string[]> {
  return runResourcePolicy(testModeValueValid, {
    type: typeTokens.EnvironmentVariable,
    stack,
    props: variableProps({ environment: stack, key, value }),
  });
}

describe("policy test-mode-value-valid", () => {
  for (const stack of STACKS) {
    describe(`on a ${stack} stack`, () => {
      for (const value of VALID) {
        it(`accepts ${JSON.stringify(value)}, plain and secret`, async () => {
          assert.deepEqual(await run(stack, "PLATOS_TEST_MODE", value), []);
          assert.deepEqual(await run(stack, "PLATOS_TEST_MODE", secret(value)), []);
        });
      }

      for (const value of INVALID) {
        it(`rejects ${JSON.stringify(value)}, plain and secret`, async () => {
          const [message, ...rest] = await run(stack, "PLATOS_TEST_MODE", value);
          assert.deepEqual(rest, []);
          assert.ok(message!.includes(`PLATOS_TEST_MODE=${JSON.stringify(value)} is not a value Platos accepts`));
          assert.equal((await run(stack, "PLATOS_TEST_MODE", secret(value))).length, 1);
        });
      }
    });
  }

  it("rejects a value that is not a string", async () => {
    assert.equal((await run("dev", "PLATOS_TEST_MODE", 1)).length, 1);
  });

  it("leaves a value unknown during preview to the update, when it is known", async () => {
    assert.deepEqual(await run("dev", "PLATOS_TEST_MODE", UNKNOWN), []);
    assert.deepEqual(await run("prod", "PLATOS_TEST_MODE", secret(UNKNOWN)), []);
  });

  it("checks only PLATOS_TEST_MODE", async () => {
    assert.deepEqual(await run("dev", "PLATOS_TEST_MODE_X", "yes"), []);
    assert.deepEqual(await run("dev", "platos_test_mode", "yes"), []);
    assert.deepEqual(await run("dev", UNKNOWN, "yes"), []);
  });
});
