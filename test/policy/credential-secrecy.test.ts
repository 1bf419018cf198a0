import { strict as assert } from "node:assert";
import { credentialsSecretInProd, secretsAreSecret } from "../../policy/policies";
import { providerKeyProps, secret, typeTokens, UNKNOWN, variableProps } from "./fixtures";
import { runResourcePolicy } from "./run-policy";

const CREDENTIAL_KEYS = ["OPENAI_API_KEY", "STRIPE_SECRET", "GITHUB_TOKEN", "DB_PASSWORD", "PASSWORD", "SMTP_PASSWORD_HASH"];
const PLAIN_KEYS = ["LOG_LEVEL", "KEYBOARD_LAYOUT", "TOKEN_TTL_SECONDS", "SECRETARY_EMAIL", "PLATOS_TEST_MODE"];

type Policy = typeof secretsAreSecret;

function run(
  policy: Policy,
  stack: string,
  fields: { environment?: unknown; key: unknown; secret: unknown },
  policyConfig?: Record<string, unknown>,
  stackConfig?: Record<string, string>,
): Promise<string[]> {
  return runResourcePolicy(policy, {
    type: typeTokens.EnvironmentVariable,
    stack,
    props: variableProps({ environment: fields.environment ?? stack, key: fields.key, value: secret("s3cr3t-value"), secret: fields.secret }),
    policyConfig,
    stackConfig,
  });
}

describe("policies credentials-secret-in-prod (mandatory) and secrets-are-secret (advisory)", () => {
  describe("on the prod stack", () => {
    for (const key of CREDENTIAL_KEYS) {
      it(`requires ${key} to be secret: true, through the mandatory policy only`, async () => {
        const [message] = await run(credentialsSecretInProd, "prod", { key, secret: undefined });
        assert.match(message!, new RegExp(`${key} looks like a credential but is stored as PLAIN in production \\(stack "prod"\\)`));
        assert.ok(!message!.includes("s3cr3t-value"));
        assert.equal((await run(credentialsSecretInProd, "prod", { key, secret: false })).length, 1);
        assert.deepEqual(await run(credentialsSecretInProd, "prod", { key, secret: true }), []);
        assert.deepEqual(await run(secretsAreSecret, "prod", { key, secret: false }), [], "not reported twice");
      });
    }

    for (const key of PLAIN_KEYS) {
      it(`leaves ${key} alone`, async () => {
        assert.deepEqual(await run(credentialsSecretInProd, "prod", { key, secret: undefined }), []);
      });
    }

    it("fails closed when the secret flag is unknown during preview", async () => {
      const [message] = await run(credentialsSecretInProd, "prod", { key: "OPENAI_API_KEY", secret: UNKNOWN });
      assert.match(message!, /`secret` is not known during preview/);
    });
  });

  describe("on a dev stack", () => {
    for (const key of CREDENTIAL_KEYS) {
      it(`advises ${key} to be secret: true`, async () => {
        const [message] = await run(secretsAreSecret, "dev", { key, secret: undefined });
        assert.match(message!, new RegExp(`${key} looks like a credential but is stored as PLAIN;`));
        assert.deepEqual(await run(secretsAreSecret, "dev", { key, secret: true }), []);
        assert.deepEqual(await run(credentialsSecretInProd, "dev", { key, secret: false }), [], "not mandatory outside prod");
      });
    }

    it("makes a PLAIN credential written into the prod environment mandatory", async () => {
      const [message] = await run(credentialsSecretInProd, "dev", { environment: "prod", key: "OPENAI_API_KEY", secret: false });
      assert.match(message!, /in production \(environment "prod"\)/);
      assert.deepEqual(await run(secretsAreSecret, "dev", { environment: "prod", key: "OPENAI_API_KEY", secret: false }), []);
    });

    it("fails closed, mandatory, when a PLAIN credential's target environment is unknown", async () => {
      const [message] = await run(credentialsSecretInProd, "dev", { environment: UNKNOWN, key: "OPENAI_API_KEY", secret: false });
      assert.match(message!, /`environment` is not known during preview.*may reach a possibly production environment/);
      assert.deepEqual(await run(credentialsSecretInProd, "dev", { environment: UNKNOWN, key: "OPENAI_API_KEY", secret: true }), []);
    });
  });

  it("cannot judge a key unknown during preview and says nothing", async () => {
    assert.deepEqual(await run(credentialsSecretInProd, "prod", { key: UNKNOWN, secret: undefined }), []);
    assert.deepEqual(await run(secretsAreSecret, "dev", { key: UNKNOWN, secret: undefined }), []);
  });

  describe("for a ProviderKey's variable, whatever its key", () => {
    const runKey = (policy: Policy, stack: string, fields: Parameters<typeof providerKeyProps>[0]) =>
      runResourcePolicy(policy, {
        type: typeTokens.ProviderKey,
        stack,
        props: providerKeyProps({ variable: "LLM_MATERIAL", variableEnvironment: fields.environment, ...fields }),
      });

    it("requires it to be secret on prod (mandatory) and advises it elsewhere", async () => {
      const [message] = await runKey(credentialsSecretInProd, "prod", { environment: "prod", variableSecret: false });
      assert.match(message!, /^LLM_MATERIAL holds this provider key's material but is stored as PLAIN in production \(stack "prod"\)/);
      assert.deepEqual(await runKey(secretsAreSecret, "prod", { environment: "prod", variableSecret: false }), [], "not reported twice");
      assert.equal((await runKey(secretsAreSecret, "dev", { environment: "dev", variableSecret: false })).length, 1);
      assert.deepEqual(await runKey(credentialsSecretInProd, "prod", { environment: "prod", variableSecret: true }), []);
    });

    it("fails closed on an unknown secret flag, and leaves a variable named by key to its own resource", async () => {
      assert.match(
        (await runKey(credentialsSecretInProd, "prod", { environment: "prod", variableSecret: UNKNOWN }))[0]!,
        /`variableSecret` is not known during preview/,
      );
      assert.deepEqual(await runKey(credentialsSecretInProd, "prod", { environment: "prod", variableEnvironment: undefined }), []);
    });
  });

  it("takes key patterns from credentialKeyGlobs, production from the policy config, and additions from the stack config", async () => {
    const globs = { credentialKeyGlobs: ["*_DSN"] };
    assert.equal((await run(credentialsSecretInProd, "prod", { key: "SENTRY_DSN", secret: false }, globs)).length, 1);
    assert.deepEqual(await run(credentialsSecretInProd, "prod", { key: "OPENAI_API_KEY", secret: false }, globs), []);
    const main = { "platos:prodEnvironmentPattern": "^main$" };
    assert.equal((await run(credentialsSecretInProd, "main", { key: "OPENAI_API_KEY", secret: false }, undefined, main)).length, 1);
    assert.deepEqual(await run(secretsAreSecret, "main", { key: "OPENAI_API_KEY", secret: false }, undefined, main), []);
    // The owner may drop the default words (a stack may not): prod is then judged "elsewhere".
    const ownerOnlyMain = { defaultProductionWords: false, productionNames: ["main"] };
    assert.deepEqual(await run(credentialsSecretInProd, "prod", { key: "OPENAI_API_KEY", secret: false }, ownerOnlyMain), []);
    assert.equal((await run(secretsAreSecret, "prod", { key: "OPENAI_API_KEY", secret: false }, ownerOnlyMain)).length, 1);
  });
});
