/**
 * ProviderKey as Pulumi runs it: the resource class under setMocks (an EnvironmentVariable passed as `variable`
 * registers its key, environment and secret flag), and the real dynamic-provider host running Check, Create, Read
 * and Delete from that registration against the emulator (V1).
 */
import { strict as assert } from "node:assert";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentVariable, ProviderKey } from "pulumi-platos";
import { providerCode, runProgram, type CapturedResource } from "../harness/program-runner";
import { startProviderHost, type ProviderHost } from "../harness/provider-host";
import { platosWorld } from "../helpers/platos-world";

const root = resolve(__dirname, "../..");

/** The ProviderKey of a prod program that passes an EnvironmentVariable of `variableEnvironment` as its `variable`. */
async function declared(variableEnvironment: string): Promise<CapturedResource> {
  const run = await runProgram(
    () => {
      const variable = new EnvironmentVariable("material", {
        project: "default",
        environment: variableEnvironment,
        key: "OPENAI_API_KEY",
        value: pulumi.secret("sk-host-material"),
        secret: true,
      });
      new ProviderKey("key", { project: "default", environment: "prod", provider: "openai", label: "primary", variable, isDefault: true });
    },
    { project: "keys", stack: "prod" },
  );
  return run.resources.find((resource) => resource.name === "key")!;
}

describe("ProviderKey through the real dynamic-provider host", function () {
  this.timeout(120_000);
  const world = platosWorld();
  let host: ProviderHost;

  before(async () => {
    host = await startProviderHost({ cwd: root });
    await host.configure(
      { "platos:protocol": "v1", "platos:apiUrl": world.emulator.url, "platos:token": world.emulator.adminToken },
      { secretKeys: ["platos:token"] },
    );
  });

  after(async () => {
    await host?.close();
  });

  it("registers the variable's key, environment and secret flag, with a small provider and no material", async () => {
    const key = await declared("prod");
    assert.deepEqual(
      [key.inputs.variable, key.inputs.variableEnvironment, key.inputs.variableProject, key.inputs.variableSecret],
      ["OPENAI_API_KEY", "prod", "default", true],
    );
    const code = providerCode(key);
    assert.ok(code.length < 2048, `${code.length} bytes`);
    assert.match(code, /require\("pulumi-platos\/lib\/shims\/provider-key\.js"\)/);
    assert.ok(!JSON.stringify(key.inputs).includes("sk-host-material"));
  });

  it("registers which stack and resource it is (declaredBy), plainly, not as a secret", async () => {
    const key = await declared("prod");
    assert.equal(typeof key.inputs.declaredBy, "string", "a plain string, not a secret envelope");
    assert.match(key.inputs.declaredBy as string, /^[^/]*\/keys\/prod::pulumi-nodejs:dynamic\/platos:ProviderKey::key$/);
    const { failures, inputs } = await host.check(key.urn, {}, key.inputs);
    assert.deepEqual(failures, []);
    assert.equal(inputs.declaredBy, key.inputs.declaredBy, "check keeps it, so create sees it");
  });

  it("refuses at Check a variable of another environment, naming the field and the rule", async () => {
    const key = await declared("dev");
    const { failures } = await host.check(key.urn, {}, key.inputs);
    assert.deepEqual(
      failures.map((f) => f.property),
      ["variable"],
    );
    assert.match(failures[0]!.reason, /a provider key in dev does not auto-link to prod; promote your prod key separately/);
  });

  it("runs Check → Create → Read → Delete against the emulator", async () => {
    const admin = world.admin;
    const prod = await admin.environments.create("default", { slug: "prod" });
    await admin.variables.put(prod.id, "OPENAI_API_KEY", { value: "sk-host-material", secret: true });
    const key = await declared("prod");
    const checked = await host.check(key.urn, {}, key.inputs);
    assert.deepEqual(checked.failures, []);
    const made = await host.create(key.urn, checked.inputs);
    assert.deepEqual([made.properties.envVarName, made.properties.isDefault], ["OPENAI_API_KEY", true]);
    assert.equal((await admin.providerKeys.get(prod.id, made.id)).label, "primary");
    const read = await host.read(made.id, key.urn, made.properties, checked.inputs);
    assert.equal(read.id, made.id);
    assert.equal((await host.diff(made.id, key.urn, read.properties, checked.inputs)).changes, "none");
    await host.delete(made.id, key.urn, made.properties);
    assert.deepEqual(await admin.providerKeys.list(prod.id), []);
  });
});
