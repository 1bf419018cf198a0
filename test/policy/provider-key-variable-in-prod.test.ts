import { strict as assert } from "node:assert";
import { providerKeyVariableInProd } from "../../policy/policies";
import { providerKeyProps, typeTokens, UNKNOWN, variableProps } from "./fixtures";
import { runResourcePolicy } from "./run-policy";

const run = (stack: string, fields: Parameters<typeof providerKeyProps>[0], stackConfig?: Record<string, string>) =>
  runResourcePolicy(providerKeyVariableInProd, { type: typeTokens.ProviderKey, stack, props: providerKeyProps(fields), stackConfig });

describe("policy provider-key-variable-in-prod", () => {
  it("is mandatory", () => {
    assert.equal(providerKeyVariableInProd.enforcementLevel, "mandatory");
  });

  it("forbids a prod key that references a variable of dev, naming the rule", async () => {
    const [message, ...rest] = await run("prod", { environment: "prod", variableEnvironment: "dev", variableSecret: true });
    assert.deepEqual(rest, []);
    assert.match(
      message!,
      /^`variableEnvironment` is "dev": this ProviderKey in production \(stack "prod"\) references OPENAI_API_KEY of environment "dev"\. A provider key in dev does not auto-link to prod; promote your prod key separately\.$/,
    );
  });

  it("allows a prod key that references a variable of prod, or names its variable by key", async () => {
    assert.deepEqual(await run("prod", { environment: "prod", variableEnvironment: "prod", variableSecret: true }), []);
    assert.deepEqual(await run("prod", { environment: "prod" }), []);
  });

  it("judges production by the key's environment too, and leaves other stacks alone", async () => {
    assert.equal((await run("dev", { environment: "production", variableEnvironment: "dev" })).length, 1);
    assert.deepEqual(await run("dev", { environment: "dev", variableEnvironment: "staging" }), [], "the provider's check refuses it; the pack gates prod");
    // A stack's pattern only adds production names: prod stays production under one that matches only live.
    assert.equal((await run("prod", { environment: "prod", variableEnvironment: "dev" }, { "platos:prodEnvironmentPattern": "^live$" })).length, 1);
  });

  it("fails closed on a reference or an environment unknown during preview", async () => {
    assert.match((await run("prod", { environment: "prod", variableEnvironment: UNKNOWN }))[0]!, /`variableEnvironment` is not known during preview/);
    assert.match(
      (await run("dev", { environment: UNKNOWN, variableEnvironment: "dev" }))[0]!,
      /`environment` is not known during preview.*may be used by a key in a possibly production environment/,
    );
    assert.match((await run("prod", { environment: UNKNOWN, variableEnvironment: "prod" }))[0]!, /`environment` is not known during preview/);
  });

  it("ignores other resources", async () => {
    const props = variableProps({ environment: "prod", key: "OPENAI_API_KEY", value: "x", secret: true });
    assert.deepEqual(await runResourcePolicy(providerKeyVariableInProd, { type: typeTokens.EnvironmentVariable, stack: "prod", props }), []);
  });
});
