/**
 * Self-test of the harness against the real Pulumi pieces: a program under setMocks, the real dynamic provider
 * host over gRPC, and a throwaway provider package (fixtures/echo-provider) resolved from the program dir.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { EchoThing } from "./fixtures/echo-thing";
import { HostEngine } from "./host-engine";
import { makeProgramDir, type InstallMode, type ProgramDir } from "./program-dir";
import { providerCode, runProgram, type CapturedResource, type RunOptions } from "./program-runner";
import { HostCallError, startProviderHost, type ProviderHost } from "./provider-host";
import { ECHO_PROVIDER_DIR, measureProviderSizes } from "./provider-size";
import { PROVIDER_KEY, UNKNOWN, isSecret, secret, type PropertyMap } from "./wire";

const PROJECT = "harness";
const STACK = "dev";
const URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi-nodejs:dynamic/echo:Thing::thing`;
const API_URL = "http://127.0.0.1:4010";
const TOKEN = "tok-0123456789";
const STACK_CONFIG = { "platos:apiUrl": API_URL, "platos:token": TOKEN, "harness:region": "eu-1" };
const SECRET_KEYS = ["platos:token"];

/** A program dir with echo-provider installed, a journal the provider appends to, and a configured host. */
interface JournalEntry {
  op: string;
  pid: number;
  tokenLength?: number;
}

async function startEchoHost(mode: InstallMode): Promise<{ program: ProgramDir; host: ProviderHost; journal: () => JournalEntry[] }> {
  const program = makeProgramDir({ "echo-provider": { from: ECHO_PROVIDER_DIR, mode } });
  const journalFile = path.join(program.dir, "journal.ndjson");
  const host = await startProviderHost({
    cwd: program.dir,
    env: { ECHO_JOURNAL: journalFile, PULUMI_NODEJS_PROJECT: PROJECT },
  });
  await host.configure(STACK_CONFIG, { secretKeys: SECRET_KEYS });
  const journal = () =>
    fs.existsSync(journalFile)
      ? fs
          .readFileSync(journalFile, "utf8")
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as JournalEntry)
      : [];
  return { program, host, journal };
}

function thingProgram(args: { name?: string; note: string }) {
  return () => {
    const thing = new EchoThing("thing", { name: args.name ?? "alpha", note: args.note, password: pulumi.secret("hunter2") });
    return {
      id: thing.id,
      apiUrl: thing.apiUrl,
      version: thing.version,
      password: thing.password,
      greeting: new pulumi.Config().get("greeting"),
    };
  };
}

class Group extends pulumi.ComponentResource {
  constructor(name: string) {
    super("echo:index:Group", name);
    this.registerOutputs({});
  }
}

function only(resources: CapturedResource[]): CapturedResource {
  assert.equal(resources.length, 1);
  return resources[0] as CapturedResource;
}

describe("harness: program runner (setMocks)", () => {
  const options: RunOptions = { project: PROJECT, stack: STACK, config: { "harness:greeting": "hi" } };

  it("captures token, engine URN, wire-form inputs and the serialized provider", async () => {
    const run = await runProgram(thingProgram({ note: "one" }), options);
    const thing = only(run.resources);
    assert.equal(thing.type, "pulumi-nodejs:dynamic/echo:Thing");
    assert.equal(thing.urn, URN);
    assert.deepEqual(thing.inputs.password, secret("hunter2"));
    assert.match(providerCode(thing), /require\("echo-provider\/runtime"\)\.create\(inputs\)/);
    assert.equal(run.outputs.greeting, "hi");
    assert.deepEqual(run.outputs.password, secret("hunter2"), "echoed secret input stays secret in stack outputs");
    console.log(`      __provider of the self-test resource: ${Buffer.byteLength(providerCode(thing))} bytes`);
  });

  it("runs a second program in the same process with fresh config and resources", async () => {
    await runProgram(thingProgram({ note: "one" }), options);
    const second = await runProgram(thingProgram({ note: "two" }), { ...options, config: { "harness:greeting": "yo" } });
    assert.equal(only(second.resources).inputs.note, "two");
    assert.equal(second.outputs.greeting, "yo");
  });

  it("sends computed inputs as the unknown sentinel during preview", async () => {
    const run = await runProgram(
      () => {
        const first = new EchoThing("first", { name: "first" });
        new EchoThing("second", { name: "second", note: first.id });
      },
      { ...options, preview: true },
    );
    assert.equal(run.resources.find((r) => r.name === "second")?.inputs.note, UNKNOWN);
  });

  it("applies additionalSecretOutputs and prefixes child URNs with the parent type", async () => {
    const run = await runProgram(() => {
      const parent = new Group("group");
      new EchoThing("child", { name: "child", note: "plain" }, { parent, additionalSecretOutputs: ["note"] });
    }, options);
    const child = run.resources.find((r) => r.name === "child");
    assert.equal(child?.urn, `urn:pulumi:${STACK}::${PROJECT}::echo:index:Group$pulumi-nodejs:dynamic/echo:Thing::child`);
    assert.ok(isSecret(child?.result.outputs.note));
  });

  it("rejects the run when newResource fails", async () => {
    const failing = runProgram(thingProgram({ note: "x" }), {
      ...options,
      newResource: () => {
        throw new Error("engine said no");
      },
    });
    await assert.rejects(failing, /engine said no/);
  });
});

describe("harness: dynamic provider host (gRPC)", function () {
  let echo: Awaited<ReturnType<typeof startEchoHost>>;
  let thing: CapturedResource;

  before(async () => {
    thing = only((await runProgram(thingProgram({ note: "one" }), { project: PROJECT, stack: STACK })).resources);
    echo = await startEchoHost("symlink");
    console.log(`      host startup: ${echo.host.startupMs} ms, plugin version ${await echo.host.pluginVersion()}`);
  });
  after(async () => {
    await echo?.host.close();
    echo?.program.remove();
  });

  it("runs Check → Create → Diff → Read → Update → Delete on the real host", async () => {
    const { host } = echo;
    const checked = await host.check(URN, {}, thing.inputs);
    assert.deepEqual(checked.failures, []);
    assert.ok(isSecret(checked.inputs.password), "check result re-marked secret by input name");
    assert.equal(checked.inputs[PROVIDER_KEY], thing.inputs[PROVIDER_KEY]);

    const created = await host.create(URN, checked.inputs);
    assert.equal(created.id, "echo-alpha");
    assert.equal(created.properties.apiUrl, API_URL, "configure saw platos:apiUrl");
    assert.equal(created.properties.hasToken, true, "configure saw the (secret) platos:token in plaintext");
    assert.equal(created.properties.region, "eu-1", "un-namespaced get() is prefixed with PULUMI_NODEJS_PROJECT");
    assert.deepEqual(created.properties.password, secret("hunter2"));
    assert.equal(created.properties[PROVIDER_KEY], thing.inputs[PROVIDER_KEY], "host adds __provider to outputs");

    const same = await host.diff(created.id, URN, created.properties, checked.inputs, checked.inputs);
    assert.equal(same.changes, "none");
    const renamed = await host.diff(created.id, URN, created.properties, { ...checked.inputs, name: "beta" });
    assert.deepEqual([renamed.changes, renamed.replaces, renamed.deleteBeforeReplace], ["some", ["name"], true]);

    const read = await host.read(created.id, URN, created.properties, checked.inputs);
    assert.equal(read.id, created.id);
    assert.ok(isSecret(read.properties.password));
    assert.equal(read.inputs?.note, "one", "read may return inputs (3.216+)");

    const news: PropertyMap = { ...checked.inputs, note: "two" };
    const updated = await host.update(created.id, URN, created.properties, news, { oldInputs: checked.inputs });
    assert.deepEqual([updated.properties.note, updated.properties.version], ["two", 2]);
    assert.ok(isSecret(updated.properties.password));

    await host.delete(created.id, URN, updated.properties, news);
    const ops = echo.journal();
    assert.deepEqual(
      ops.map((e) => e.op),
      ["configure", "check", "create", "diff", "diff", "read", "update", "delete"],
      "configure runs once, lazily, on the first call that deserializes this __provider",
    );
    assert.equal(ops[0]?.tokenLength, TOKEN.length, "the secret config value arrived unwrapped");
    assert.ok(
      ops.every((e) => e.pid !== process.pid && e.pid === ops[0]?.pid),
      "all ran in the one host process",
    );
    assert.ok(!echo.host.logs.join("\n").includes(TOKEN), "token never reaches host output");
  });

  it("returns check failures as data and thrown errors as HostCallError", async () => {
    const missing = await echo.host.check(URN, {}, { ...thing.inputs, name: "" });
    assert.deepEqual(missing.failures, [{ property: "name", reason: "required" }]);
    await assert.rejects(echo.host.check(URN, {}, { ...thing.inputs, explode: true }), (err: unknown) => {
      assert.ok(err instanceof HostCallError);
      assert.equal(err.details, "check exploded");
      return true;
    });
  });

  it("reports a create that failed after the object was made as an init failure", async () => {
    await assert.rejects(echo.host.create(URN, { ...thing.inputs, name: "half", failInit: true }), (err: unknown) => {
      assert.ok(err instanceof HostCallError);
      assert.equal(err.initFailure?.id, "echo-half");
      assert.deepEqual(err.initFailure?.reasons, ["boom"]);
      return true;
    });
  });

  it("cannot Read without __provider in state (why `pulumi import` fails for dynamic resources)", async () => {
    await assert.rejects(echo.host.read("echo-alpha", URN, {}), HostCallError);
  });
});

describe("harness: host quirks worth designing around", () => {
  const urn = "urn:pulumi:s::p::pulumi-nodejs:dynamic:Resource::r";
  let host: ProviderHost;
  before(async () => {
    host = await startProviderHost({ cwd: __dirname });
    await host.configure({ "a:b": "set" });
  });
  after(() => host?.close());

  it("does not make concurrent first calls wait for an async configure", async () => {
    const code = `let seen = "unset";
      exports.handler = () => ({
        configure: async (req) => { await new Promise((r) => setTimeout(r, 200)); seen = req.config.get("a:b"); },
        check: async (olds, news) => ({ inputs: { ...news, seen } }),
      });`;
    const checks = await Promise.all([1, 2].map(() => host.check(urn, {}, { [PROVIDER_KEY]: code })));
    assert.deepEqual(checks.map((c) => c.inputs.seen).sort(), ["set", "unset"]);
  });

  it("fails a call whose result holds an undefined value (protobuf Struct cannot carry it)", async () => {
    const code = `exports.handler = () => ({ create: async () => ({ id: "x", outs: { gone: undefined } }) });`;
    await assert.rejects(host.create(urn, { [PROVIDER_KEY]: code }), /Unexpected struct type/);
  });

  it("turns a numeric `code` on an error thrown from check/diff/read/delete into the gRPC status", async () => {
    const code = `exports.handler = () => ({ check: async () => { throw Object.assign(new Error("nope"), { code: 5 }); } });`;
    await assert.rejects(host.check(urn, {}, { [PROVIDER_KEY]: code }), (err: unknown) => err instanceof HostCallError && err.code === 5);
  });
});

describe("harness: HostEngine drives runProgram through the real host", () => {
  it("creates, updates, previews, replaces and destroys across program runs in one process", async () => {
    const echo = await startEchoHost("symlink");
    try {
      const engine = new HostEngine(echo.host);
      const run = (args: { name?: string; note: string }, preview = false) =>
        runProgram(thingProgram(args), {
          project: PROJECT,
          stack: STACK,
          preview,
          config: STACK_CONFIG,
          secretKeys: SECRET_KEYS,
          newResource: engine.beginRun({ preview }).newResource,
        });

      const first = await run({ note: "v1" });
      assert.deepEqual([first.outputs.id, first.outputs.apiUrl, first.outputs.version], ["echo-alpha", API_URL, 1]);
      assert.deepEqual(first.outputs.password, secret("hunter2"));

      const second = await run({ note: "v2" });
      assert.equal(second.outputs.version, 2, "the program sees the outputs of the real update");

      const opsBeforePreview = echo.journal().length;
      const preview = await run({ note: "v3" }, true);
      assert.equal(preview.outputs.version, UNKNOWN, "a previewed update has unknown outputs");
      assert.deepEqual(
        echo
          .journal()
          .slice(opsBeforePreview)
          .map((e) => e.op),
        ["check", "diff"],
        "preview only checks and diffs",
      );
      assert.equal(engine.state.get(URN)?.outputs.version, 2);

      await run({ name: "beta", note: "v2" });
      assert.equal(engine.state.get(URN)?.id, "echo-beta");
      await engine.destroy();
      assert.equal(engine.state.size, 0);
      assert.deepEqual(
        engine.steps.map((s) => s.kind),
        ["create", "update", "update", "delete", "replace", "delete"],
      );
    } finally {
      await echo.host.close();
      echo.program.remove();
    }
  });
});

describe("harness: serialized __provider size", () => {
  it("measures each shim shape and runs it on a host from a matching program dir", async () => {
    for (const sample of await measureProviderSizes()) {
      console.log(`      ${String(sample.bytes).padStart(5)} B  ${sample.shape}`);
      assert.ok(!sample.code.includes(path.resolve(__dirname, "..", "..")), "no absolute repo path in state");
      const echo = await startEchoHost(sample.mode);
      try {
        const inputs = { name: "size", [PROVIDER_KEY]: sample.code };
        const created = await echo.host.create(URN, (await echo.host.check(URN, {}, inputs)).inputs);
        assert.equal(created.properties.apiUrl, API_URL);
      } finally {
        await echo.host.close();
        echo.program.remove();
      }
    }
  });
});
