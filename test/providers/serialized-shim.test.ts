/**
 * Each resource's `__provider` (provider/resources/platos-resource.ts) as the engine's dynamic-provider host reads it:
 * evaluated by the same `require-from-string` the host uses, its `handler()` gives the shim of the resource's own kind,
 * loaded by package name; it is the line a program registers, holds no path or credential, and the `__provider` that
 * 0.1 wrote into state loads the very same shim.
 */
import { strict as assert } from "node:assert";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Agent, Environment, EnvironmentVariable, EnvironmentVariables, ProviderKey } from "pulumi-platos";
import { platosTypeOfToken } from "../../policy/platos-resources";
import { PLATOS_TYPE_NAMES, RESOURCES, typeTokens } from "../../provider/registry";
import { serializedShim, shimModule } from "../../provider/resources/platos-resource";
import { providerCode, runProgram } from "../harness/program-runner";
import { providerCodeFrom01 } from "../helpers/provider-code-from-0.1";

/** The module loader of the host: @pulumi/pulumi's cmd/dynamic-provider requires it. */
const hostRequire = createRequire(require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js"));
const requireFromString = hostRequire("require-from-string") as (code: string) => { handler: () => { shimKind?: unknown } };
const root = resolve(__dirname, "../..");

describe("__provider: the line each resource class writes", () => {
  it("loads, as the host loads it, the shim of the resource's own kind by package name", () => {
    for (const type of PLATOS_TYPE_NAMES) {
      const shim = requireFromString(serializedShim(type)).handler();
      assert.equal(shim.shimKind, RESOURCES[type].shim, type);
      assert.equal(shim, require(shimModule(type)), `${type}: the package's own module, by package name`);
    }
  });

  it("is what a program registers for every resource: one short line, no path", async () => {
    const { resources } = await runProgram(
      () => {
        const env = new Environment("env", { project: "default", slug: "shim" });
        new EnvironmentVariable("var", { project: "default", environment: env.slug, key: "K", value: "v" });
        new EnvironmentVariables("vars", { project: "default", environment: env.slug, variables: { A: "a" } });
        new ProviderKey("key", { project: "default", environment: env.slug, provider: "openai", label: "primary", variable: "OPENAI_API_KEY" });
        new Agent("agent", { project: "default", environment: env.slug, slug: "a", name: "A", model: pulumi.output("openai:gpt-5") });
      },
      { project: "shim", stack: "dev" },
    );
    assert.deepEqual(resources.map((r) => r.type).sort(), PLATOS_TYPE_NAMES.map((type) => typeTokens[type]).sort());
    for (const resource of resources) {
      const type = platosTypeOfToken(resource.type)!;
      const code = providerCode(resource);
      assert.equal(code, serializedShim(type));
      assert.ok(Buffer.byteLength(code) < 100, `${type}: ${Buffer.byteLength(code)} bytes`);
      assert.ok(!code.includes(root), "no path");
      assert.match(code, /require\("pulumi-platos\/lib\/shims\/[a-z-]+\.js"\)/, "by package name");
    }
  });

  it("loads the same shim as the __provider 0.1 wrote into state", () => {
    for (const type of PLATOS_TYPE_NAMES) {
      const file = /\/shims\/([a-z-]+)\.js$/.exec(shimModule(type))![1]!;
      assert.equal(requireFromString(providerCodeFrom01(file)).handler(), requireFromString(serializedShim(type)).handler(), type);
    }
  });
});
