/**
 * The provider as Pulumi runs it: a program under setMocks registers each resource with its `__provider`, and the real
 * dynamic-provider host, configured with stack config, runs Check/Diff/Create/Read/Update/Delete against the
 * emulator. Also: the state written from this checkout is read and deleted by a host in another directory.
 */
import { strict as assert } from "node:assert";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Agent, Environment, EnvironmentVariable } from "pulumi-platos";
import { makeProgramDir } from "../harness/program-dir";
import { providerCode, runProgram, type CapturedResource } from "../harness/program-runner";
import { startProviderHost, type ProviderHost } from "../harness/provider-host";
import { containsSecrets, isSecret, plaintextPaths, type PropertyMap } from "../harness/wire";
import { platosWorld } from "../helpers/platos-world";

const root = resolve(__dirname, "../..");
const SECRET_VALUE = "sk-roundtrip-5e1f0a";

function program() {
  const env = new Environment("env", { project: "default", slug: "roundtrip" });
  new EnvironmentVariable("key", { project: "default", environment: env.slug, key: "OPENAI_API_KEY", value: pulumi.secret(SECRET_VALUE), secret: true });
  new Agent("agent", { project: "default", environment: env.slug, slug: "support", name: "Support", model: "anthropic:claude-sonnet-4-6" });
}

describe("provider round trip through the real dynamic-provider host", function () {
  this.timeout(120_000);
  const world = platosWorld();
  let host: ProviderHost;
  let resources: CapturedResource[];
  const hostConfig = () => ({ "platos:protocol": "v1", "platos:apiUrl": world.emulator.url, "platos:token": world.emulator.adminToken });

  before(async () => {
    resources = (await runProgram(program, { project: "roundtrip", stack: "dev" })).resources;
    host = await startProviderHost({ cwd: root });
    await host.configure(hostConfig(), { secretKeys: ["platos:token"] });
  });

  after(async () => {
    await host?.close();
  });

  it("writes each resource's provider as a small require by package name, with no token and no path", () => {
    for (const resource of resources) {
      const code = providerCode(resource);
      console.log(`      __provider of ${resource.type}: ${code.length} bytes`);
      assert.ok(code.length < 2048, `${resource.type}: ${code.length} bytes`);
      assert.match(code, /require\("pulumi-platos\/lib\/shims\/[a-z-]+\.js"\)/);
      assert.ok(!code.includes(world.emulator.adminToken));
      assert.ok(!code.includes(root), "no absolute path");
    }
  });

  it("marks the secret input secret on the way in", () => {
    const variable = resources.find((r) => r.name === "key")!;
    assert.ok(isSecret(variable.inputs.value));
  });

  it("runs Check → Create → Read → Diff → Update → Delete for each resource against the emulator", async () => {
    const created = new Map<string, { id: string; outputs: PropertyMap; inputs: PropertyMap }>();
    for (const resource of resources) {
      // The program used a known slug; the host gets what the engine would send once the environment exists.
      const news = { ...resource.inputs, environment: "roundtrip" } as PropertyMap;
      if (resource.name === "env") delete news.environment;
      const checked = await host.check(resource.urn, {}, news);
      assert.deepEqual(checked.failures, []);
      const made = await host.create(resource.urn, checked.inputs);
      assert.ok(made.id);
      assert.deepEqual(plaintextPaths(made.properties, SECRET_VALUE), [], "secret value only inside secret envelopes");
      assert.ok(!JSON.stringify(made.properties).includes(world.emulator.adminToken));
      created.set(resource.name, { id: made.id, outputs: made.properties, inputs: checked.inputs });
    }
    const variable = created.get("key")!;
    assert.ok(containsSecrets(variable.outputs.value), "the value output is secret");

    for (const [name, { id, outputs, inputs }] of created) {
      const urn = resources.find((r) => r.name === name)!.urn;
      const read = await host.read(id, urn, outputs, inputs);
      assert.equal(read.id, id);
      const diff = await host.diff(id, urn, read.properties, inputs);
      assert.equal(diff.changes, "none", `${name}: no diff after refresh`);
    }

    const agent = created.get("agent")!;
    const agentUrn = resources.find((r) => r.name === "agent")!.urn;
    const newInputs = { ...agent.inputs, maxSteps: 40 };
    const diff = await host.diff(agent.id, agentUrn, agent.outputs, newInputs);
    assert.equal(diff.changes, "some");
    assert.deepEqual(diff.replaces, []);
    const updated = await host.update(agent.id, agentUrn, agent.outputs, newInputs);
    assert.equal(updated.properties.versionNumber, 2);
    assert.equal(updated.properties.maxSteps, 40);
    created.set("agent", { ...agent, outputs: updated.properties });

    // A host started in another directory, with the package installed there as a copy, finishes the job from state.
    const elsewhere = makeProgramDir({ "pulumi-platos": { from: resolve(root, "provider"), mode: "copy" } });
    const other = await startProviderHost({ cwd: elsewhere.dir, env: { NODE_PATH: resolve(root, "node_modules") } });
    try {
      await other.configure(hostConfig(), { secretKeys: ["platos:token"] });
      for (const name of ["agent", "key", "env"]) {
        const { id, outputs } = created.get(name)!;
        const urn = resources.find((r) => r.name === name)!.urn;
        assert.equal((await other.read(id, urn, outputs)).id, id);
        await other.delete(id, urn, outputs);
        assert.equal((await other.read(id, urn, outputs)).id, "", `${name} is gone`);
      }
    } finally {
      await other.close();
      elsewhere.remove();
    }
    const admin = world.admin;
    assert.equal(await admin.environments.findBySlug("default", "roundtrip"), undefined);
  });
});
