import { strict as assert } from "node:assert";
import { noTestModeInProd } from "../../policy/policies";
import { agentProps, environmentProps, secret, STACKS, typeTokens, UNKNOWN, variableProps } from "./fixtures";
import { runResourcePolicy, type PolicyRun } from "./run-policy";

const ON = ["true", "1"];
const OFF = ["false", "0", ""];
const NOT_OFF = ["TRUE", "True", " true", "true ", "yes", "on", "enabled", "01", "-1"];

function testModeVariable(stack: string, value: unknown, environment: unknown = stack, extra: Partial<PolicyRun> = {}): Promise<string[]> {
  return runResourcePolicy(noTestModeInProd, {
    type: typeTokens.EnvironmentVariable,
    stack,
    props: variableProps({ environment, key: "PLATOS_TEST_MODE", value }),
    ...extra,
  });
}

describe("policy no-test-mode-in-prod", () => {
  describe("on a prod stack", () => {
    for (const value of [...ON, ...NOT_OFF]) {
      it(`forbids ${JSON.stringify(value)}, plain and secret`, async () => {
        const plain = await testModeVariable("prod", value);
        assert.equal(plain.length, 1);
        assert.match(plain[0]!, /targets production \(stack "prod"\)/);
        assert.ok(plain[0]!.includes(`PLATOS_TEST_MODE=${JSON.stringify(value)}`));
        assert.equal((await testModeVariable("prod", secret(value))).length, 1);
      });
    }

    for (const value of OFF) {
      it(`allows the clear off ${JSON.stringify(value)}, plain and secret`, async () => {
        assert.deepEqual(await testModeVariable("prod", value), []);
        assert.deepEqual(await testModeVariable("prod", secret(value)), []);
      });
    }

    it("calls ON values on and other spellings invalid in the message", async () => {
      assert.match((await testModeVariable("prod", "1"))[0]!, /\(on\)/);
      assert.match((await testModeVariable("prod", "yes"))[0]!, /\(invalid\)/);
    });

    it("shows no value for a variable stored as a Platos secret", async () => {
      const [message] = await runResourcePolicy(noTestModeInProd, {
        type: typeTokens.EnvironmentVariable,
        stack: "prod",
        props: variableProps({ environment: "prod", key: "PLATOS_TEST_MODE", value: secret("Yes-please"), secret: true }),
      });
      assert.ok(message);
      assert.ok(!message.includes("Yes-please"));
      assert.match(message, /PLATOS_TEST_MODE=<secret value>/);
    });

    it("treats a value that is not a string as not off", async () => {
      assert.equal((await testModeVariable("prod", true)).length, 1);
    });

    it("fails closed on a value unknown during preview, naming the input", async () => {
      const [message, ...rest] = await testModeVariable("prod", UNKNOWN);
      assert.deepEqual(rest, []);
      assert.match(message!, /`value` is not known during preview/);
    });

    it("fails closed on a secret whose value is unknown", async () => {
      assert.equal((await testModeVariable("prod", secret(UNKNOWN))).length, 1);
    });

    it("fails closed on a key unknown during preview unless the value is a clear off", async () => {
      const run = (value: unknown) =>
        runResourcePolicy(noTestModeInProd, {
          type: typeTokens.EnvironmentVariable,
          stack: "prod",
          props: variableProps({ environment: "prod", key: UNKNOWN, value }),
        });
      const [message] = await run("yes");
      assert.match(message!, /`key` is not known during preview/);
      assert.deepEqual(await run("false"), []);
    });

    it("leaves other keys alone", async () => {
      const messages = await runResourcePolicy(noTestModeInProd, {
        type: typeTokens.EnvironmentVariable,
        stack: "prod",
        props: variableProps({ environment: "prod", key: "FEATURE_X", value: "true" }),
      });
      assert.deepEqual(messages, []);
    });

    it("judges the stack by its name even when the variable targets another environment", async () => {
      assert.equal((await testModeVariable("prod", "true", "dev")).length, 1);
    });
  });

  for (const stack of STACKS.filter((s) => s !== "prod")) {
    describe(`on a ${stack} stack targeting ${stack}`, () => {
      for (const value of [...ON, ...OFF, ...NOT_OFF, UNKNOWN]) {
        it(`allows ${value === UNKNOWN ? "an unknown value" : JSON.stringify(value)}`, async () => {
          assert.deepEqual(await testModeVariable(stack, value), []);
          assert.deepEqual(await testModeVariable(stack, secret(value)), []);
        });
      }

      it("allows an unknown key", async () => {
        const messages = await runResourcePolicy(noTestModeInProd, {
          type: typeTokens.EnvironmentVariable,
          stack,
          props: variableProps({ environment: stack, key: UNKNOWN, value: "true" }),
        });
        assert.deepEqual(messages, []);
      });

      for (const environment of ["prod", "production"]) {
        it(`forbids test mode on a variable that targets "${environment}"`, async () => {
          const [message] = await testModeVariable(stack, "true", environment);
          assert.match(message!, new RegExp(`production \\(environment "${environment}"\\)`));
        });
      }

      it("fails closed when the target environment is unknown and test mode is not off", async () => {
        const [message] = await testModeVariable(stack, "true", UNKNOWN);
        assert.match(message!, /`environment` is not known during preview/);
        assert.deepEqual(await testModeVariable(stack, "false", UNKNOWN), []);
      });
    });
  }

  it("treats a stack whose platos:environment config is production as prod", async () => {
    const stackConfig = { "platos:environment": "production" };
    const [message] = await testModeVariable("main", "1", "production", { stackConfig });
    assert.match(message!, /stack environment "production"/);
    assert.deepEqual(await testModeVariable("main", "1", "main"), []);
  });

  it("does not judge resources that set no variables", async () => {
    for (const run of [
      { type: typeTokens.Environment, props: environmentProps("prod") },
      { type: typeTokens.Agent, props: agentProps("prod") },
      { type: "aws:s3/bucket:Bucket", props: { PLATOS_TEST_MODE: "true", key: "PLATOS_TEST_MODE", value: "true" } },
    ]) {
      assert.deepEqual(await runResourcePolicy(noTestModeInProd, { ...run, stack: "prod" }), []);
    }
  });

  describe("stack config platos:prodEnvironmentPattern", () => {
    const stackConfig = { "platos:prodEnvironmentPattern": "^(main|blue)(-[a-z]+)?$" };

    it("makes matching stacks and environments production", async () => {
      assert.equal((await testModeVariable("main", "true", "main", { stackConfig })).length, 1);
      assert.equal((await testModeVariable("dev", "true", "blue-eu", { stackConfig })).length, 1);
    });

    it("only adds: prod stays production, and the message says the setting cannot remove it", async () => {
      const [message] = await testModeVariable("prod", "true", "prod", { stackConfig });
      assert.match(
        message!,
        /targets production \(stack "prod"; platos:prodEnvironmentPattern "\^\(main\|blue\)\(-\[a-z\]\+\)\?\$" \(stack config\) only adds production names; it cannot remove one\)/,
      );
    });

    it("fails the run with a message naming the setting when it is not a regular expression", async () => {
      await assert.rejects(
        testModeVariable("prod", "true", "prod", { stackConfig: { "platos:prodEnvironmentPattern": "(" } }),
        /stack config platos:prodEnvironmentPattern "\(" is not a valid regular expression/,
      );
    });
  });
});
