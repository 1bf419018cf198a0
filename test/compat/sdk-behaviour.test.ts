/**
 * What may differ between @pulumi/pulumi / @pulumi/policy versions and what this project relies on, pinned on the
 * real SDK pieces: the dynamic-provider host over gRPC (test/harness), programs under setMocks, and the policy SDK's
 * own deserialiser, proxy and analyzer server. `npm test` runs it on the baseline (Node 20, @pulumi/pulumi 3.248);
 * `npm run test:compat` runs it on Node 24/22 with the newest SDKs the peer ranges allow. Pinned elsewhere already,
 * on both, and not repeated here:
 * - `__provider` is the one line each class writes (a require of its shim by package name, no token, no path),
 *   which the host's own loader evaluates to the shim of the resource's kind: test/providers/serialized-shim.test.ts,
 *   test/providers/host-roundtrip.test.ts.
 * - `read` may return `inputs` (echo provider), `configure` sees namespaced and secret config in plaintext, runs once,
 *   lazily, per `__provider`: test/harness/harness.test.ts.
 * - The pack fails closed, mandatory, on unknowns instead of the SDK's advisory: test/policy/pack.test.ts,
 *   test/policy/no-test-mode-in-prod.test.ts, test/policy/read-inputs.test.ts.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Agent, Environment, EnvironmentVariable } from "pulumi-platos";
import { platosTypeOfToken } from "../../policy/platos-resources";
import { readInput } from "../../policy/read-inputs";
import { createClient, type PlatosClient } from "../../provider/client";
import { serializedShim } from "../../provider/resources/platos-resource";
import { makeProgramDir } from "../harness/program-dir";
import { providerCode, runProgram, type CapturedResource } from "../harness/program-runner";
import { HostCallError, startProviderHost, type ProviderHost } from "../harness/provider-host";
import { PROVIDER_KEY, UNKNOWN, isSecret, revealSecrets, secret, type PropertyMap, type WireValue } from "../harness/wire";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { providerCodeFrom01 } from "../helpers/provider-code-from-0.1";
import { startPolicyPack, type Diagnostic } from "../helpers/policy-analyzer";

const root = path.resolve(__dirname, "../..");
const PACK_DIR = path.join(root, "policy");
/** No credentials from the environment: the provider must get them through `configure`. */
const NO_ENV_CREDENTIALS = { PLATOS_PROTOCOL: "", PLATOS_API_URL: "", PLATOS_TOKEN: "", PLATOS_OPERATOR_TOKEN: "" };

/** The package.json of the copy of `name` that `from` loads. */
function loadedPackage(name: string, from: string): { version: string; dir: string } {
  let dir = path.dirname(require.resolve(name, { paths: [from] }));
  while (
    !fs.existsSync(path.join(dir, "package.json")) ||
    (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string }).name !== name
  ) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json of ${name} above ${from}`);
    dir = up;
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string };
  return { version: version.replace(/^v/, ""), dir: fs.realpathSync(dir) };
}

function urnOf(type: string, name: string, stack = "dev", project = "compat"): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

describe("SDK behaviour pinned on every SDK version we test", function () {
  this.timeout(120_000);

  before(() => {
    const sdk = loadedPackage("@pulumi/pulumi", root).version;
    const policy = loadedPackage("@pulumi/policy", PACK_DIR).version;
    console.log(`      Node ${process.version}, @pulumi/pulumi ${sdk}, @pulumi/policy ${policy}`);
  });

  describe("dynamic providers on the real host", () => {
    let emulator: RunningEmulator;
    let admin: PlatosClient;
    let host: ProviderHost;
    let program: CapturedResource[];
    const config = () => ({ "platos:protocol": "v1", "platos:apiUrl": emulator.url, "platos:token": emulator.adminToken });

    before(async () => {
      emulator = await startEmulator();
      admin = createClient({ apiUrl: emulator.url, token: emulator.adminToken });
      host = await startProviderHost({ cwd: root, env: NO_ENV_CREDENTIALS });
      await host.configure(config(), { secretKeys: ["platos:token"] });
      program = (
        await runProgram(
          () => {
            new Environment("env", { project: "default", slug: "compat" });
            new EnvironmentVariable("plain", { project: "default", environment: "compat", key: "LOG_LEVEL", value: "info" });
            new EnvironmentVariable("hidden", {
              project: "default",
              environment: "compat",
              key: "OPENAI_API_KEY",
              value: pulumi.secret("sk-compat-1"),
              secret: true,
            });
            new Agent("agent", { project: "default", environment: "compat", slug: "helper", name: "Helper", model: "anthropic:claude-sonnet-4-6" });
          },
          { project: "compat", stack: "dev" },
        )
      ).resources;
    });

    after(async () => {
      await host?.close();
      await emulator?.close();
    });

    describe("config in configure", () => {
      it("answers Configure with acceptSecrets=false and supportsPreview=false: secrets arrive stripped, no preview Create/Update", async () => {
        const answer = await host.configure(config(), { secretKeys: ["platos:token"] });
        assert.equal(answer.acceptSecrets, false);
        assert.equal(answer.supportsPreview, false);
      });

      it("hands the Platos provider its credentials only through configure (the secret token unwrapped)", async () => {
        const env = program.find((r) => r.name === "env")!;
        const unconfigured = await startProviderHost({ cwd: root, env: NO_ENV_CREDENTIALS });
        try {
          await unconfigured.configure({ "other:key": "x" });
          const checked = await unconfigured.check(env.urn, {}, { ...env.inputs, slug: "compat-unconfigured" });
          // Missing settings surface as check failures or, failing that, as a failed create.
          const problems =
            checked.failures.map((f) => f.reason).join("\n") ||
            (await unconfigured.create(env.urn, checked.inputs).then(
              () => "created without credentials",
              (err: unknown) => (err instanceof HostCallError ? err.details : String(err)),
            ));
          assert.match(problems, /platos:apiUrl is not set/);
        } finally {
          await unconfigured.close();
        }
        const checked = await host.check(env.urn, {}, { ...env.inputs, slug: "compat-configured" });
        const made = await host.create(env.urn, checked.inputs);
        assert.ok(made.id);
        await host.delete(made.id, env.urn, made.properties);
        assert.ok(!host.logs.join("\n").includes(emulator.adminToken), "the token never reaches host output");
      });
    });

    describe("__provider serialisation", () => {
      it("registers each resource with the one line its class writes, untouched by this SDK", () => {
        for (const resource of program) {
          assert.equal(providerCode(resource), serializedShim(platosTypeOfToken(resource.type)!), resource.name);
        }
      });

      it("runs state written by 0.1 (the SDK 3.248 serialiser's __provider): Read, Diff, Update and Delete from it", async () => {
        const env = program.find((r) => r.name === "env")!;
        const inputs: PropertyMap = { ...env.inputs, slug: "compat-old-state", [PROVIDER_KEY]: providerCodeFrom01("environment") };
        const checked = await host.check(env.urn, {}, inputs);
        assert.deepEqual(checked.failures, []);
        const made = await host.create(env.urn, checked.inputs);
        assert.equal(made.properties[PROVIDER_KEY], providerCodeFrom01("environment"));
        const read = await host.read(made.id, env.urn, made.properties, checked.inputs);
        assert.equal(read.id, made.id);
        const renamed = { ...checked.inputs, name: "Renamed" };
        assert.equal((await host.diff(made.id, env.urn, read.properties, renamed)).changes, "some");
        const updated = await host.update(made.id, env.urn, read.properties, renamed);
        assert.equal(updated.properties.name, "Renamed");
        await host.delete(made.id, env.urn, updated.properties);
        assert.equal((await host.read(made.id, env.urn, updated.properties)).id, "");
        assert.equal(await admin.environments.findBySlug("default", "compat-old-state"), undefined);
      });
    });

    describe("read returning inputs", () => {
      const made = new Map<string, { urn: string; id: string; inputs: PropertyMap; outputs: PropertyMap }>();

      before(async () => {
        for (const resource of program) {
          const checked = await host.check(resource.urn, {}, resource.inputs);
          assert.deepEqual(checked.failures, [], resource.name);
          const created = await host.create(resource.urn, checked.inputs);
          made.set(resource.name, { urn: resource.urn, id: created.id, inputs: checked.inputs, outputs: created.properties });
        }
      });

      after(async () => {
        for (const name of ["agent", "hidden", "plain", "env"]) {
          const m = made.get(name);
          if (m) await host.delete(m.id, m.urn, m.outputs).catch(() => undefined);
        }
      });

      it("gives back, for each Platos resource, inputs equal to what Check produced, __provider included", async () => {
        for (const [name, m] of made) {
          const read = await host.read(m.id, m.urn, m.outputs, m.inputs);
          assert.ok(read.inputs, `${name}: read returned no inputs`);
          for (const [key, value] of Object.entries(m.inputs)) assert.deepEqual(read.inputs[key], value, `${name}.${key}`);
          assert.equal(read.inputs[PROVIDER_KEY], m.outputs[PROVIDER_KEY], `${name}: inputs carry the stored __provider`);
        }
      });

      it("resets a drifted plain value in the inputs, and keeps the declared secret value", async () => {
        const environment = made.get("env")!.id;
        await admin.variables.put(environment, "LOG_LEVEL", { value: "drifted" });
        await admin.variables.put(environment, "OPENAI_API_KEY", { value: "sk-rotated", secret: true });
        // A refresh is a new run: a new host, so the provider's per-run read cache starts empty.
        const refresh = await startProviderHost({ cwd: root, env: NO_ENV_CREDENTIALS });
        try {
          await refresh.configure(config(), { secretKeys: ["platos:token"] });
          const plain = made.get("plain")!;
          const plainRead = await refresh.read(plain.id, plain.urn, plain.outputs, plain.inputs);
          assert.equal(plainRead.inputs?.value, "drifted");
          const hidden = made.get("hidden")!;
          const hiddenRead = await refresh.read(hidden.id, hidden.urn, hidden.outputs, hidden.inputs);
          assert.ok(isSecret(hiddenRead.inputs?.value), "the engine re-marks the value input secret by name");
          assert.equal(revealSecrets(hiddenRead.inputs?.value as WireValue), "sk-compat-1", "the server never returns a secret's value");
        } finally {
          await refresh.close();
        }
      });
    });
  });

  describe("policy SDK: unknown values", () => {
    const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
      deserializeProperties(struct: Struct, proxySecrets: boolean): Record<string, unknown>;
    };

    it("uses the @pulumi/pulumi the program and the engine's run-policy-pack use, not a private copy", () => {
      const sdk = loadedPackage("@pulumi/pulumi", root);
      const policySdk = loadedPackage("@pulumi/policy", PACK_DIR);
      assert.equal(loadedPackage("@pulumi/pulumi", PACK_DIR).dir, sdk.dir, "policy/ resolves the root's @pulumi/pulumi");
      assert.equal(loadedPackage("@pulumi/pulumi", policySdk.dir).dir, sdk.dir, "@pulumi/policy resolves the root's @pulumi/pulumi");
      const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
      assert.equal(manifest.dependencies?.["@pulumi/pulumi"], undefined, "the pack takes @pulumi/pulumi as a peer");
      assert.ok(manifest.peerDependencies?.["@pulumi/pulumi"]);
    });

    it("keeps the unknown sentinel through its deserialiser (top level, nested, in a list, inside a secret) and its proxy throws UnknownValueError", () => {
      const wire = { top: UNKNOWN, nested: { deep: UNKNOWN, known: "k" }, list: ["a", UNKNOWN], hidden: secret(UNKNOWN), shown: secret("plain") };
      const props = unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(wire as never), false)) as Record<string, unknown> & {
        nested: Record<string, unknown>;
        list: unknown[];
      };
      assert.equal(props.shown, "plain", "a secret reaches the policy as plaintext");
      assert.equal(props.nested.known, "k");
      assert.equal(props.list[0], "a");
      for (const [where, touch] of [
        ["top", () => props.top],
        ["nested.deep", () => props.nested.deep],
        ["list[1]", () => props.list[1]],
        ["hidden", () => props.hidden],
      ] as const) {
        assert.throws(touch, (err: unknown) => err instanceof UnknownValueError && /can't be known during preview/.test((err as Error).message), where);
      }
      for (const at of [["top"], ["nested", "deep"], ["list", "1"], ["hidden"]]) assert.equal(readInput(props, at).known, false, at.join("."));
    });

    it('turns an UnknownValueError escaping a mandatory policy into an advisory "can\'t run during preview" (why the pack catches it)', async () => {
      const sdk = loadedPackage("@pulumi/policy", PACK_DIR);
      const probe = makeProgramDir({ "@pulumi/policy": { from: sdk.dir, mode: "symlink" } });
      fs.writeFileSync(path.join(probe.dir, "package.json"), JSON.stringify({ name: "compat-probe", version: "0.0.1", main: "index.js" }));
      fs.writeFileSync(
        path.join(probe.dir, "index.js"),
        `const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("compat-probe", {
  enforcementLevel: "mandatory",
  policies: [{
    name: "reads-value",
    description: "Reads props.value without catching unknowns.",
    validateResource: (args, report) => { if (args.props.value === "bad") report("value is bad"); },
  }],
});
`,
      );
      const pack = await startPolicyPack({ packDir: probe.dir, stack: "prod" });
      try {
        const analyze = (value: unknown) => pack.analyze({ type: "pulumi-nodejs:dynamic/platos:EnvironmentVariable", name: "v", properties: { value } });
        const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.policyName}:${d.enforcementLevel}`);
        assert.deepEqual(brief(await analyze("bad")), ["reads-value:mandatory"]);
        assert.deepEqual(await analyze("good"), []);
        const unknown = await analyze(UNKNOWN);
        assert.deepEqual(brief(unknown), ["reads-value:advisory"]);
        assert.match(unknown[0]!.message, /can't run policy 'reads-value' .* during preview/);
        assert.deepEqual(brief(await analyze(secret(UNKNOWN))), ["reads-value:advisory"]);
      } finally {
        await pack.close();
        probe.remove();
      }
    });

    it("stops a secret computed PLATOS_TEST_MODE in a prod preview, mandatory, whichever wire form this SDK sends", async () => {
      const run = await runProgram(
        () => {
          const env = new Environment("prod", { project: "support", slug: "prod" });
          new EnvironmentVariable("test-mode", {
            project: "support",
            environment: "prod",
            key: "PLATOS_TEST_MODE",
            value: pulumi.secret(env.id),
            secret: true,
          });
        },
        { project: "platos", stack: "prod", preview: true },
      );
      const variable = run.resources.find((r) => r.name === "test-mode")!;
      const value = variable.inputs.value;
      const form = value === UNKNOWN ? "unknown" : isSecret(value) && value.value === UNKNOWN ? "secret(unknown)" : JSON.stringify(value);
      console.log(`      a secret computed input goes on the wire as ${form}`);
      assert.ok(form === "unknown" || form === "secret(unknown)", form);

      const pack = await startPolicyPack({ packDir: PACK_DIR, stack: "prod" });
      try {
        const diagnostics = await pack.analyze({
          type: variable.type,
          name: variable.name,
          urn: urnOf(variable.type, variable.name, "prod", "platos"),
          properties: variable.inputs,
        });
        const verdict = diagnostics.find((d) => d.policyName === "no-test-mode-in-prod");
        assert.equal(verdict?.enforcementLevel, "mandatory", JSON.stringify(diagnostics));
        assert.doesNotMatch(verdict!.message, /can't run/);
      } finally {
        await pack.close();
      }
    });
  });
});
