import { strict as assert } from "node:assert";
import { secretsAreSecret } from "../../policy/policies";
import { secret, STACKS, typeTokens, UNKNOWN, variableProps } from "./fixtures";
import { runResourcePolicy } from "./run-policy";

const CREDENTIAL_KEYS = ["OPENAI_API_KEY", "STRIPE_SECRET", "GITHUB_TOKEN", "DB_PASSWORD", "PASSWORD", "SMTP_PASSWORD_HASH"];
const PLAIN_KEYS = ["LOG_LEVEL", "KEYBOARD_LAYOUT", "TOKEN_TTL_SECONDS", "SECRETARY_EMAIL", "PLATOS_TEST_MODE"];

function run(stack: string, key: unknown, isSecret: unknown, policyConfig?: Record<string, unknown>): Promise<string[]> {
  return runResourcePolicy(secretsAreSecret, {
    type: typeTokens.EnvironmentVariable,
    stack,
    props: variableProps({ environment: stack, key, value: secret("s3cr3t-value"), secret: isSecret }),
    policyConfig,
  });
}

describe("policy secrets-are-secret", () => {
  for (const stack of STACKS) {
    describe(`on a ${stack} stack`, () => {
      for (const key of CREDENTIAL_KEYS) {
        it(`asks ${key} to be secret: true`, async () => {
          const [message] = await run(stack, key, undefined);
          assert.ok(message!.includes(`${key} looks like a credential`));
          assert.ok(!message!.includes("s3cr3t-value"));
          assert.equal((await run(stack, key, false)).length, 1);
          assert.deepEqual(await run(stack, key, true), []);
        });
      }

      for (const key of PLAIN_KEYS) {
        it(`leaves ${key} alone`, async () => {
          assert.deepEqual(await run(stack, key, undefined), []);
        });
      }
    });
  }

  it("reports a credential whose secret flag is unknown during preview", async () => {
    const [message] = await run("dev", "OPENAI_API_KEY", UNKNOWN);
    assert.match(message!, /`secret` is not known during preview/);
  });

  it("cannot judge a key unknown during preview and says nothing", async () => {
    assert.deepEqual(await run("dev", UNKNOWN, undefined), []);
  });

  it("takes its key patterns from config credentialKeyGlobs", async () => {
    const policyConfig = { credentialKeyGlobs: ["*_DSN"] };
    assert.equal((await run("dev", "SENTRY_DSN", undefined, policyConfig)).length, 1);
    assert.deepEqual(await run("dev", "OPENAI_API_KEY", undefined, policyConfig), []);
  });
});
