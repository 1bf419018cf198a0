/**
 * The EnvironmentVariables provider's methods, called as the host calls them, against the emulator over HTTP, once
 * per protocol: create with plain and secret keys, per-key writes and deletes counted with the recorder, keys it
 * does not own left alone, one list per refresh, a secret rotated outside Pulumi kept, a PLAIN value set back,
 * adopt, a write that fails part-way, and check reporting every bad entry at once. The admin client changes the
 * emulator behind the provider's back over V1 (the same storage).
 */
import { strict as assert } from "node:assert";
import { PROTOCOLS } from "../../provider/platos";
import { variableSetProvider } from "../../provider/providers/environment-variables";
import { providerContext } from "../../provider/runtime/context";
import { secretWrite as secretWriteRequest } from "../helpers/platos-requests";
import { platosWorld } from "../helpers/platos-world";
import { checkedInputs, configureProviders, newProviderProcess } from "../helpers/provider-process";
import { writesDone } from "../helpers/request-recorder";
import { stderrDuring } from "../helpers/stderr-lines";
import { SwitchableFaults } from "../helpers/switchable-faults";
import { testProtocol } from "../helpers/test-protocols";
import { storedValue } from "../helpers/stored-secret";
import { stackConfig } from "../platos/support";

type Props = Record<string, unknown>;
const provider = variableSetProvider;

for (const protocol of PROTOCOLS)
  describe(`EnvironmentVariables against the emulator (${protocol})`, function () {
    this.timeout(60_000);
    const world = platosWorld();
    let environmentId: string;
    let slug: string;
    let environmentCount = 0;

    before(async () => {
      await world.configureProvidersOn(protocol);
    });

    /** Each test has an environment of its own, so keys never meet across tests. */
    beforeEach(async () => {
      slug = `bulk-${protocol}-${++environmentCount}`;
      environmentId = (await world.admin.environments.create("default", { slug })).id;
      newProviderProcess();
      world.recorder.reset();
    });

    const checked = (news: Props, olds: Props = {}) => checkedInputs(provider, { project: "default", environment: slug, ...news }, olds);
    const create = async (inputs: Props) => {
      const result = await provider.create(inputs);
      return { id: result.id, outs: result.outs as Props };
    };
    /** `pulumi up` of the resource: diff, then update only when it reports a change. */
    async function up(id: string, olds: Props, news: Props) {
      const diff = await provider.diff!(id, olds, news);
      return diff.changes ? ((await provider.update!(id, olds, news)).outs as Props) : olds;
    }
    /** What changed Platos since the last reset, by tool or route (token mints left out). */
    const writes = () => writesDone(world.recorder.writes(), environmentId);
    // On platform PLAIN values go through core-api (the emulator's core-api surface), SECRET ones through the gateway.
    const { plainWrite, secretWrite, variableDelete: deletion, variableList } = testProtocol(protocol).calls;
    const serverKeys = async () => new Map((await world.admin.variables.list(environmentId)).map((v) => [v.key, v]));

    it("creates plain and secret keys, reads them back, and a no-change diff asks Platos nothing", async () => {
      const inputs = await checked({ variables: { LOG_LEVEL: "info", REGION: "eu" }, secrets: { OPENAI_API_KEY: "sk-bulk-create-1" } });
      const created = await create(inputs);
      assert.deepEqual(writes(), [plainWrite("LOG_LEVEL"), plainWrite("REGION"), secretWrite("OPENAI_API_KEY")].sort());
      assert.match(created.id, new RegExp(`^${environmentId}/`));
      assert.deepEqual(created.outs.variables, { LOG_LEVEL: "info", REGION: "eu" });
      assert.deepEqual(created.outs.secrets, { OPENAI_API_KEY: "sk-bulk-create-1" }, "state keeps the declared secret (the engine marks it secret)");
      assert.equal(created.outs.environmentId, environmentId);
      assert.deepEqual(created.outs.versions, {
        LOG_LEVEL: { kind: "PLAIN", version: 1, writtenVersion: 1 },
        OPENAI_API_KEY: { kind: "SECRET", version: 1, writtenVersion: 1 },
        REGION: { kind: "PLAIN", version: 1, writtenVersion: 1 },
      });
      const server = await serverKeys();
      assert.deepEqual([server.get("LOG_LEVEL")?.value, server.get("OPENAI_API_KEY")?.kind, server.get("OPENAI_API_KEY")?.value], ["info", "SECRET", null]);
      assert.equal(await storedValue(world.emulator, environmentId, "OPENAI_API_KEY"), "sk-bulk-create-1");

      newProviderProcess();
      const read = await provider.read!(created.id, created.outs);
      assert.deepEqual(read.props, created.outs);
      world.recorder.reset();
      const diff = await provider.diff!(created.id, read.props!, inputs);
      assert.equal(diff.changes, false);
      assert.deepEqual(world.recorder.requests, [], "a no-change diff makes no request");
    });

    it("writes exactly the changed key, deletes a removed key, and leaves a key it does not own alone through update, refresh and delete", async () => {
      await world.admin.variables.put(environmentId, "NOT_OWNED", { value: "made-by-hand" });
      const notOwned = (await serverKeys()).get("NOT_OWNED")!;
      const inputs = await checked({ variables: { A: "1", B: "2", C: "3" }, secrets: { S: "sk-bulk-s" } });
      const created = await create(inputs);

      world.recorder.reset();
      const changed = await checked({ variables: { A: "1", B: "20", C: "3" }, secrets: { S: "sk-bulk-s" } }, inputs);
      const afterChange = await up(created.id, created.outs, changed);
      assert.deepEqual(writes(), [plainWrite("B")]);
      assert.deepEqual(afterChange.variables, { A: "1", B: "20", C: "3" });
      assert.deepEqual((afterChange.versions as Props).B, { kind: "PLAIN", version: 2, writtenVersion: 2 });

      world.recorder.reset();
      const removed = await checked({ variables: { A: "1", B: "20" }, secrets: {} }, changed);
      const afterRemove = await up(created.id, afterChange, removed);
      assert.deepEqual(writes(), [deletion("C"), deletion("S")].sort());
      assert.deepEqual([afterRemove.variables, afterRemove.secrets, Object.keys(afterRemove.versions as Props)], [{ A: "1", B: "20" }, {}, ["A", "B"]]);
      assert.deepEqual([...(await serverKeys()).keys()].sort(), ["A", "B", "NOT_OWNED"]);

      newProviderProcess();
      const refreshed = await provider.read!(created.id, afterRemove);
      assert.deepEqual(refreshed.props, afterRemove, "a key it does not own never enters state");

      await provider.delete!(created.id, afterRemove);
      const left = await serverKeys();
      assert.deepEqual([...left.keys()], ["NOT_OWNED"]);
      assert.deepEqual([left.get("NOT_OWNED")!.version, left.get("NOT_OWNED")!.value], [notOwned.version, "made-by-hand"]);
    });

    it("refreshes with one variable list, however many keys it owns", async () => {
      const variables = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`PLAIN_${i}`, `v${i}`]));
      const secrets = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`SECRET_${i}`, `sk-bulk-${i}`]));
      const created = await create(await checked({ variables, secrets }));
      newProviderProcess();
      world.recorder.reset();
      const read = await provider.read!(created.id, created.outs);
      assert.deepEqual(read.props, created.outs);
      assert.deepEqual(
        world.recorder.requests.map((r) => `${r.method} ${r.path.replace(environmentId, "<env>")}`),
        [variableList()],
      );
    });

    it("keeps a secret rotated outside Pulumi, says so without the value, and writes it again only when asked", async () => {
      const inputs = await checked({ secrets: { ROTATED: "sk-declared-rotated", STEADY: "sk-declared-steady" } });
      const created = await create(inputs);
      await world.admin.variables.put(environmentId, "ROTATED", { value: "sk-rotated-outside", secret: true });
      newProviderProcess();
      const { result: read, lines } = await stderrDuring(() => provider.read!(created.id, created.outs));
      const refreshed = read.props as Props;
      assert.deepEqual((refreshed.versions as Props).ROTATED, { kind: "SECRET", version: 2, writtenVersion: 1 });
      assert.deepEqual(refreshed.secrets, inputs.secrets);
      assert.equal(lines.length, 1);
      assert.match(
        lines[0]!,
        new RegExp(
          `^Platos: EnvironmentVariables key ROTATED in environment "${slug}" of project "default" was rotated outside Pulumi .* \`pulumi up\` keeps it`,
        ),
      );

      world.recorder.reset();
      assert.equal((await provider.diff!(created.id, refreshed, inputs)).changes, false);
      const steadyChanged = await checked({ secrets: { ROTATED: "sk-declared-rotated", STEADY: "sk-declared-steady-2" } }, inputs);
      const afterSteady = await up(created.id, refreshed, steadyChanged);
      assert.deepEqual(writes(), [secretWrite("STEADY")]);
      assert.equal(await storedValue(world.emulator, environmentId, "ROTATED"), "sk-rotated-outside", "the outside rotation is kept");

      world.recorder.reset();
      const bumped = await checked({ ...steadyChanged, rotation: 1 }, steadyChanged);
      const { result: afterBump, lines: bumpLines } = await stderrDuring(() => up(created.id, afterSteady, bumped));
      assert.deepEqual(writes(), [secretWrite("ROTATED"), secretWrite("STEADY")]);
      assert.match(bumpLines.join("\n"), /ROTATED .* was rotated outside Pulumi .* this update writes the declared value over it/);
      assert.equal(await storedValue(world.emulator, environmentId, "ROTATED"), "sk-declared-rotated");
      assert.deepEqual((afterBump.versions as Props).ROTATED, { kind: "SECRET", version: 3, writtenVersion: 3 });
      for (const line of [...lines, ...bumpLines]) assert.ok(!line.includes("sk-"), "no value in a notice");
    });

    it("sets a PLAIN value changed outside Pulumi back, and writes a key deleted outside Pulumi again", async () => {
      const inputs = await checked({ variables: { DRIFTS: "declared", VANISHES: "here" } });
      const created = await create(inputs);
      await world.admin.variables.put(environmentId, "DRIFTS", { value: "changed-by-hand" });
      await world.admin.variables.delete(environmentId, "VANISHES");
      newProviderProcess();
      const refreshed = (await provider.read!(created.id, created.outs)).props as Props;
      assert.deepEqual([refreshed.variables, Object.keys(refreshed.versions as Props)], [{ DRIFTS: "changed-by-hand" }, ["DRIFTS"]]);
      world.recorder.reset();
      const restored = await up(created.id, refreshed, inputs);
      assert.deepEqual(writes(), [plainWrite("DRIFTS"), plainWrite("VANISHES")]);
      assert.deepEqual(restored.variables, { DRIFTS: "declared", VANISHES: "here" });

      await world.admin.variables.delete(environmentId, "DRIFTS");
      await world.admin.variables.delete(environmentId, "VANISHES");
      newProviderProcess();
      assert.equal((await provider.read!(created.id, restored)).id, "", "every owned key gone: the resource is gone");
    });

    it("refuses keys that already exist unless adopt is set; adopt writes only what differs", async () => {
      await world.admin.variables.put(environmentId, "SAME", { value: "same" });
      await world.admin.variables.put(environmentId, "OTHER", { value: "old" });
      const inputs = await checked({ variables: { SAME: "same", OTHER: "new", FRESH: "f" } });
      await assert.rejects(
        provider.create(inputs),
        new RegExp(`variables OTHER, SAME already exist in environment "${slug}" of project "default"\\. Set \`adopt: true\``),
      );
      world.recorder.reset();
      const adopted = await create({ ...inputs, adopt: true });
      assert.deepEqual(writes(), [plainWrite("FRESH"), plainWrite("OTHER")]);
      assert.deepEqual(adopted.outs.variables, { FRESH: "f", OTHER: "new", SAME: "same" });
      assert.equal(adopted.outs.adopt, true);
    });

    it("refuses keys added in an update that already exist, before any write, unless adopt is set; adopt takes them as create does", async () => {
      const created = await create(await checked({ variables: { MINE: "m" } }));
      await world.admin.variables.put(environmentId, "SAME", { value: "same" });
      await world.admin.variables.put(environmentId, "OTHER", { value: "theirs" });
      newProviderProcess();
      world.recorder.reset();
      const added = await checked({ variables: { MINE: "m2", SAME: "same", OTHER: "mine", FRESH: "f" } }, created.outs);
      await assert.rejects(
        up(created.id, created.outs, added),
        new RegExp(`variables OTHER, SAME already exist in environment "${slug}" of project "default"\\. Set \`adopt: true\``),
      );
      assert.deepEqual(writes(), [], "nothing half-written: not the changed key, not the fresh one");
      assert.equal((await serverKeys()).get("OTHER")?.value, "theirs");

      const adopted = await up(created.id, created.outs, { ...added, adopt: true });
      assert.deepEqual(writes(), [plainWrite("FRESH"), plainWrite("MINE"), plainWrite("OTHER")]);
      assert.deepEqual(Object.keys(adopted.versions as Props), ["FRESH", "MINE", "OTHER", "SAME"]);
    });

    /**
     * The provider's list of the environment, as create and update read it (through the read cache), made now: what
     * the admin does after this happens between the provider's list and its write.
     */
    const providerListsNow = () => providerContext().cache.listOf("variables", environmentId);
    const failureOf = async (step: Promise<unknown>) =>
      (await step.then(
        () => assert.fail("the step should fail"),
        (e: unknown) => e,
      )) as Error & { id?: string; properties?: Props };

    it("reports a key another party creates between create's list and its write, keeps it out of state, and the next up refuses it", async () => {
      const inputs = await checked({ variables: { MINE: "m" }, secrets: { RACED: "sk-ours-raced" } });
      await providerListsNow();
      await world.admin.variables.put(environmentId, "RACED", { value: "sk-theirs-raced", secret: true });
      const err = await failureOf(provider.create(inputs));
      assert.match(
        err.message,
        new RegExp(
          `1 of 2 key changes failed: RACED \\(write\\): another party created RACED in environment "${slug}" of project "default" between this stack's read of the variables and its write \\(the write answered version 2, a new variable starts at 1\\), and this stack's write overwrote that party's value\\. RACED is not taken into state: set \`adopt: true\``,
        ),
      );
      assert.ok(!err.message.includes("sk-ours-raced") && !err.message.includes("sk-theirs-raced"), "no value in the error");
      assert.deepEqual([Object.keys(err.properties!.versions as Props), err.properties!.secrets], [["MINE"], {}], "only the uncontested key is owned");
      assert.equal((await serverKeys()).get("RACED")?.version, 2, "Platos holds the other party's key, overwritten");

      newProviderProcess();
      world.recorder.reset();
      await assert.rejects(
        up(err.id!, err.properties!, inputs),
        /variables RACED already exist in environment .*Set `adopt: true`/,
        "not taken as this stack's own interrupted create",
      );
      assert.deepEqual(writes(), []);
      const adopted = await up(err.id!, err.properties!, { ...inputs, adopt: true });
      assert.deepEqual(Object.keys(adopted.versions as Props), ["MINE", "RACED"]);
    });

    it("reports a key another party creates between update's list and its write; the other keys of the update are done", async () => {
      const created = await create(await checked({ variables: { MINE: "m" } }));
      newProviderProcess();
      const added = await checked({ variables: { MINE: "m2", LATE: "ours" } }, created.outs);
      await providerListsNow();
      await world.admin.variables.put(environmentId, "LATE", { value: "theirs" });
      const err = await failureOf(up(created.id, created.outs, added));
      assert.match(
        err.message,
        /updating the variables of .*: 1 of 2 key changes failed: LATE \(write\): another party created LATE in .* overwrote that party's value/,
      );
      assert.ok(!err.message.includes("ours") && !err.message.includes("theirs"), "no value in the error");
      assert.deepEqual([err.properties!.variables, Object.keys(err.properties!.versions as Props)], [{ MINE: "m2" }, ["MINE"]]);
    });

    it("with adopt, takes a key another party creates between the list and the write, as it takes one there before", async () => {
      const inputs = await checked({ secrets: { RACED: "sk-ours-adopted" }, adopt: true });
      await providerListsNow();
      await world.admin.variables.put(environmentId, "RACED", { value: "sk-theirs-adopted", secret: true });
      const created = await create(inputs);
      assert.deepEqual(created.outs.versions, { RACED: { kind: "SECRET", version: 2, writtenVersion: 2 } });
    });

    it("keeps what a write failing part-way did, and names the key, never the value", async () => {
      const tooLong = `sk-too-long-${"x".repeat(9000)}`;
      // Check refuses the value; create is called directly to see a write Platos refuses.
      const inputs = { project: "default", environment: slug, variables: { GOOD: "g" }, secrets: { BAD: tooLong, ALSO_GOOD: "sk-ok" } };
      const err = (await provider.create(inputs).then(
        () => assert.fail("create should fail"),
        (e: unknown) => e,
      )) as Error & { id?: string; properties?: Props };
      assert.match(err.message, /creating the variables of environment .*: 1 of 3 key changes failed: BAD \(write\): /);
      assert.ok(!err.message.includes("sk-too-long") && !err.message.includes("sk-ok"), "no value in the error");
      assert.match(err.id!, new RegExp(`^${environmentId}/`), "the resource exists, partially");
      assert.deepEqual(
        [err.properties!.variables, err.properties!.secrets, Object.keys(err.properties!.versions as Props)],
        [{ GOOD: "g" }, { ALSO_GOOD: "sk-ok" }, ["ALSO_GOOD", "GOOD"]],
      );

      world.recorder.reset();
      const fixed = await checked({ variables: { GOOD: "g" }, secrets: { BAD: "sk-fixed", ALSO_GOOD: "sk-ok" } });
      await up(err.id!, err.properties!, fixed);
      assert.deepEqual(writes(), [secretWrite("BAD")], "the next up writes only the key that failed");
    });

    it("reports 50 invalid entries in one check, naming map, key and rule, with no value and nothing written", async () => {
      const variables = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`bad-key-${i}`, `sk-never-shown-${i}`]));
      const secrets = { ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`EMPTY_${i}`, ""])), PLATOS_TEST_MODE: "yes" };
      const { failures } = await provider.check!({}, { project: "default", environment: slug, variables: { ...variables, OK: "fine" }, secrets });
      assert.equal(failures!.length, 50);
      assert.deepEqual(failures![0], {
        property: "variables.bad-key-0",
        reason: 'variables key "bad-key-0" must be an uppercase letter followed by up to 63 uppercase letters, digits or underscores (^[A-Z][A-Z0-9_]{0,63}$)',
      });
      assert.deepEqual(failures![40], { property: "secrets.EMPTY_0", reason: "secrets.EMPTY_0 must not be empty" });
      assert.match(failures![49]!.reason, /PLATOS_TEST_MODE must be exactly "true", "false", "1", "0" or empty/);
      assert.equal(failures![49]!.property, "secrets.PLATOS_TEST_MODE");
      assert.ok(!JSON.stringify(failures).includes("sk-never-shown") && !JSON.stringify(failures).includes("yes"), "no value in a failure");
      assert.deepEqual(world.recorder.writes(), []);
    });
  });

/**
 * The race check against its own resend: a write whose answer is lost is sent again (retry-rule.ts resends
 * environments.set_secret; V1 and core-api resend a PUT with its Idempotency-Key), and on platform the second run
 * leaves a fresh key at version 2. That is this stack's own write, not another party's create.
 */
for (const protocol of PROTOCOLS)
  describe(`EnvironmentVariables whose write is sent twice (${protocol})`, function () {
    this.timeout(60_000);
    const faults = new SwitchableFaults(testProtocol(protocol).faultSeed(20));
    const world = platosWorld({ emulator: { random: faults.random, extend: (app) => faults.install(app) } });
    before(async () => {
      await world.configureProvidersOn(protocol);
    });
    after(() => {
      faults.on = false;
    });

    it("takes a fresh key whose first write ran but whose answer was lost, resent once", async () => {
      const slug = `bulk-resent-${protocol}`;
      const environmentId = (await world.admin.environments.create("default", { slug })).id;
      newProviderProcess();
      const inputs = await checkedInputs(provider, { project: "default", environment: slug, secrets: { RESENT: "sk-resent" } });
      world.recorder.reset();
      faults.on = true;
      faults.dropNth(secretWriteRequest, "after");
      const created = await provider.create(inputs);
      faults.on = false;
      const sends = writesDone(world.recorder.writes(), environmentId).filter((write) => write === testProtocol(protocol).calls.secretWrite("RESENT")).length;
      assert.ok(sends >= 2, `the write was sent twice (${sends})`);
      const version = (await world.admin.variables.list(environmentId)).find((v) => v.key === "RESENT")?.version;
      assert.equal(version, protocol === "platform" ? 2 : 1, "set_secret ran twice; V1 replayed the first answer");
      assert.deepEqual(Object.keys((created.outs as Props).versions as Props), ["RESENT"]);
    });
  });

describe("EnvironmentVariables on platform without an operator token", function () {
  this.timeout(60_000);
  const world = platosWorld();
  let home: { id: string; slug: string };

  before(async () => {
    const access = await world.accessOn("platform", { operator: false, home: "bulk-home" });
    home = access.home!;
    await configureProviders(stackConfig(access.settings));
    newProviderProcess();
  });

  it("refuses PLAIN keys at preview, naming them and the way out; secrets go through environments.set_secret", async () => {
    const target = { project: "default", environment: home.slug };
    const { failures } = await provider.check!({}, { ...target, variables: { LOG_LEVEL: "info", REGION: "eu" }, secrets: { API_TOKEN: "sk-home" } });
    assert.deepEqual(
      failures!.map((f) => f.property),
      ["variables"],
    );
    assert.match(
      failures![0]!.reason,
      /^real Platos sets only SECRET variables over MCP.*Way out: set platos:operatorToken .*, or move LOG_LEVEL, REGION from `variables` to `secrets`$/,
    );

    const secretsOnly = await provider.check!({}, { ...target, secrets: { API_TOKEN: "sk-home" } });
    assert.deepEqual(secretsOnly.failures, []);
    world.recorder.reset();
    const created = await provider.create(secretsOnly.inputs!);
    assert.deepEqual(writesDone(world.recorder.writes(), home.id), ["environments.set_secret"]);
    assert.equal(await storedValue(world.emulator, home.id, "API_TOKEN"), "sk-home");
    await provider.delete!(created.id, created.outs!);
    assert.deepEqual(await world.admin.variables.list(home.id), []);
  });
});
