/**
 * EnvironmentVariables as Pulumi runs it: the resource class under setMocks (what it registers: plain values
 * readable, each secret value in its own envelope), the real dynamic-provider host running Check, Create, Read,
 * Diff, Update and Delete on both protocols (no secret in plaintext in what state would hold), and a key claimed by
 * two resources of one program failing the preview.
 */
import { strict as assert } from "node:assert";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Environment, EnvironmentVariable, EnvironmentVariables } from "pulumi-platos";
import { providerCode, runProgram, type CapturedResource } from "../harness/program-runner";
import { startProviderHost, type ProviderHost } from "../harness/provider-host";
import { isSecret, markSecret, plaintextPaths, type PropertyMap } from "../harness/wire";
import { platosWorld } from "../helpers/platos-world";
import { stderrDuring } from "../helpers/stderr-lines";
import { stackConfig } from "../platos/support";
import { PROTOCOLS } from "../../provider/platos";

const root = resolve(__dirname, "../..");
const SECRET = "sk-bulk-host-7c21";
/** A plain string given in `secrets`: the resource makes it secret. */
const GIVEN_PLAIN = "tok-bulk-host-given-plain";

async function declared(environment: string): Promise<CapturedResource> {
  const run = await runProgram(() => {
    new EnvironmentVariables("config", {
      project: "default",
      environment,
      variables: { LOG_LEVEL: "info" },
      secrets: { OPENAI_API_KEY: pulumi.secret(SECRET), INTERNAL_TOKEN: GIVEN_PLAIN },
    });
  });
  return run.resources.find((resource) => resource.name === "config")!;
}

const noPlaintextSecrets = (props: PropertyMap) => assert.deepEqual([...plaintextPaths(props, SECRET), ...plaintextPaths(props, GIVEN_PLAIN)], []);

describe("EnvironmentVariables through the real dynamic-provider host", function () {
  this.timeout(120_000);
  const world = platosWorld();

  it("registers plain values readable, each secret value in its own envelope, `secrets` as a secret output, and a small provider", async () => {
    const resource = await declared("bulk-host");
    const secrets = resource.inputs.secrets as PropertyMap;
    assert.deepEqual(Object.keys(secrets).sort(), ["INTERNAL_TOKEN", "OPENAI_API_KEY"], "the keys stay readable");
    assert.ok(isSecret(secrets.OPENAI_API_KEY) && isSecret(secrets.INTERNAL_TOKEN));
    assert.deepEqual(resource.inputs.variables, { LOG_LEVEL: "info" });
    assert.deepEqual(resource.additionalSecretOutputs, ["secrets"]);
    noPlaintextSecrets(resource.inputs);
    const code = providerCode(resource);
    assert.ok(code.length < 2048, `${code.length} bytes`);
    assert.match(code, /require\("pulumi-platos\/lib\/shims\/environment-variables\.js"\)/);
  });

  for (const protocol of PROTOCOLS)
    describe(protocol, () => {
      let host: ProviderHost;
      const slug = `bulk-host-${protocol}`;

      before(async () => {
        host = await startProviderHost({ cwd: root });
        const { settings } = await world.accessOn(protocol);
        await host.configure(stackConfig(settings), { secretKeys: ["platos:token", "platos:operatorToken"] });
      });
      after(() => host?.close());

      it("runs Check → Create → Read → Diff → Update → Delete, and state never holds a secret in plaintext", async () => {
        const { admin } = world;
        const environment = await admin.environments.create("default", { slug });
        await admin.variables.put(environment.id, "NOT_OWNED", { value: "by-hand" });
        const resource = await declared(slug);
        const checked = await host.check(resource.urn, {}, resource.inputs);
        assert.deepEqual(checked.failures, []);
        noPlaintextSecrets(checked.inputs);

        const made = await host.create(resource.urn, checked.inputs);
        noPlaintextSecrets(made.properties);
        assert.ok(!JSON.stringify(made.properties.versions).includes("sk-"), "versions hold no value");
        assert.ok(isSecret(markSecret(made.properties, resource.additionalSecretOutputs).secrets), "the `secrets` output is secret as a whole");
        assert.deepEqual(made.properties.variables, { LOG_LEVEL: "info" });

        const read = await host.read(made.id, resource.urn, made.properties, checked.inputs);
        assert.equal(read.id, made.id);
        noPlaintextSecrets(read.properties);
        noPlaintextSecrets(read.inputs!);
        assert.equal((await host.diff(made.id, resource.urn, read.properties, checked.inputs)).changes, "none");

        const news = { ...checked.inputs, variables: { LOG_LEVEL: "debug" } };
        const diff = await host.diff(made.id, resource.urn, read.properties, news);
        assert.deepEqual([diff.changes, diff.replaces], ["some", []]);
        const updated = await host.update(made.id, resource.urn, read.properties, news);
        noPlaintextSecrets(updated.properties);
        assert.deepEqual(updated.properties.variables, { LOG_LEVEL: "debug" });

        await host.delete(made.id, resource.urn, updated.properties);
        assert.deepEqual(
          (await admin.variables.list(environment.id)).map((v) => v.key),
          ["NOT_OWNED"],
        );
        assert.ok(!host.logs.join("\n").includes(SECRET) && !host.logs.join("\n").includes(GIVEN_PLAIN), "no secret in the host's output");
      });
    });
});

describe("EnvironmentVariables: a key claimed by two resources fails the preview", () => {
  /** A preview of `program`: what it logged, the program's own error, and the rejections that fail a real run. */
  async function preview(program: () => void) {
    const rejections: unknown[] = [];
    const collect = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", collect);
    try {
      const { result, lines } = await stderrDuring(() =>
        runProgram(program, { preview: true, stack: "dev" }).then(
          (run) => ({ run }),
          (error: Error) => ({ error }),
        ),
      );
      await new Promise((resolveTick) => setImmediate(resolveTick));
      return { ...result, lines, rejections: rejections.map(String), loggedErrors: pulumi.log.hasErrors() };
    } finally {
      process.off("unhandledRejection", collect);
    }
  }

  const CLAIM = /declares variables of environment "dev" in project "default" that another resource declares: /;

  it("two EnvironmentVariables with literal inputs: the second constructor throws, naming both and every shared key", async () => {
    const outcome = await preview(() => {
      new EnvironmentVariables("first", { project: "default", environment: "dev", variables: { A: "1", B: "2" } });
      new EnvironmentVariables("second", { project: "default", environment: "dev", variables: { B: "3" }, secrets: { A: "sk-claimed" } });
    });
    assert.ok("error" in outcome, "the program fails");
    assert.match(outcome.error.message, CLAIM);
    assert.match(
      outcome.error.message,
      /^EnvironmentVariables "second" declares .*: A, B \(already declared by EnvironmentVariables "first"\)\. A key belongs to one resource/,
    );
    assert.ok(!outcome.error.message.includes("sk-claimed"));
  });

  it("an environment given as an Output: claimed once known, an error logged and the registration failed before any write", async () => {
    const outcome = await preview(() => {
      const env = new Environment("env", { project: "default", slug: "dev" });
      new EnvironmentVariables("bulk", { project: "default", environment: env.slug, variables: { LOG_LEVEL: "info" }, secrets: { OPENAI_API_KEY: "sk-bulk" } });
      new EnvironmentVariable("openai", { project: "default", environment: env.slug, key: "OPENAI_API_KEY", value: pulumi.secret("sk-single"), secret: true });
    });
    assert.ok("run" in outcome);
    assert.deepEqual(
      outcome.run.resources.map((r) => r.name),
      ["env", "bulk"],
      "the second claimant is never registered",
    );
    assert.ok(outcome.loggedErrors, "an error diagnostic fails the preview");
    assert.match(
      outcome.lines.join("\n"),
      /EnvironmentVariable "openai" declares variables .*: OPENAI_API_KEY \(already declared by EnvironmentVariables "bulk"\)/,
    );
    assert.ok(
      outcome.rejections.some((r) => r.includes('EnvironmentVariable "openai" declares')),
      "the failed registration fails the program",
    );
    assert.ok(!outcome.lines.join("\n").includes("sk-"));
  });

  it("a map given as a whole Output is claimed once known", async () => {
    const outcome = await preview(() => {
      new EnvironmentVariable("log", { project: "default", environment: "dev", key: "LOG_LEVEL", value: "info" });
      new EnvironmentVariables("bulk", { project: "default", environment: "dev", secrets: pulumi.output({ LOG_LEVEL: "debug" }) });
    });
    assert.ok("run" in outcome && outcome.loggedErrors);
    assert.match(outcome.lines.join("\n"), /EnvironmentVariables "bulk" declares .*: LOG_LEVEL \(already declared by EnvironmentVariable "log"\)/);
  });

  it("the same key in two environments, or in the next run of the program, is no conflict", async () => {
    const program = () => {
      new EnvironmentVariables("dev", { project: "default", environment: "dev", variables: { A: "1" } });
      new EnvironmentVariables("staging", { project: "default", environment: "staging", variables: { A: "1" } });
      new EnvironmentVariable("b", { project: "default", environment: "dev", key: "B", value: "2" });
    };
    for (const _run of [1, 2]) {
      const outcome = await preview(program);
      assert.ok("run" in outcome && !outcome.loggedErrors, "no error");
      assert.equal(outcome.run.resources.length, 3);
    }
  });
});
