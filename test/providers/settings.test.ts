import { strict as assert } from "node:assert";
import { numberFromEnv } from "../../provider/runtime/settings";

describe("provider settings from the environment", () => {
  const name = "PLATOS_TEST_NUMBER_SETTING";
  afterEach(() => delete process.env[name]);

  it("falls back when unset or empty, and reads a positive integer", () => {
    assert.equal(numberFromEnv(name, 8), 8);
    process.env[name] = "";
    assert.equal(numberFromEnv(name, 8), 8);
    process.env[name] = "16";
    assert.equal(numberFromEnv(name, 8), 16);
  });

  for (const bad of ["abc", "0", "-3", "2.5"]) {
    it(`names the variable for ${JSON.stringify(bad)}`, () => {
      process.env[name] = bad;
      assert.throws(() => numberFromEnv(name, 8), new RegExp(`^Error: ${name} must be a positive integer$`));
    });
  }
});
