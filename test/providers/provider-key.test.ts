/**
 * The ProviderKey provider's methods, called as the host calls them, against the emulator over HTTP, once per
 * protocol: create, rotate, update, adopt, refresh drift, pinned delete, and the preview-time refusals. The admin
 * client changes the emulator behind the provider's back over V1 (the same storage); what pins a key (an agent's
 * configuration naming it) is set in the store, as the dashboard or `providers.set_routes` would. Key material is
 * where each protocol keeps it: a SECRET variable on V1, a provider credential added in the dashboard on platform.
 */
import { strict as assert } from "node:assert";
import { TOKENS_PATH } from "../../provider/client/platform/core-api";
import { getAgent } from "../../provider/functions/get-agent";
import { PROTOCOLS } from "../../provider/platos";
import { providerKeyProvider } from "../../provider/providers/provider-key";
import { platosWorld } from "../helpers/platos-world";
import { checkedInputs, newProviderProcess } from "../helpers/provider-process";
import { testProtocol } from "../helpers/test-protocols";
import { provideKeyMaterial, type Access } from "../platos/support";

type Props = Record<string, unknown>;

for (const protocol of PROTOCOLS)
  describe(`ProviderKey against the emulator (${protocol})`, function () {
    this.timeout(60_000);
    const platform = protocol === "platform";
    const world = platosWorld();
    let access: Access;
    let environmentId: string;

    before(async () => {
      const { emulator, admin } = world;
      access = await world.configureProvidersOn(protocol);
      environmentId = (await admin.environments.create("default", { slug: "keys" })).id;
      // The V1 routes that change keys behind the provider's back take their credential from SECRET variables.
      for (const key of ["OPENAI_API_KEY", "OPENAI_API_KEY_NEXT", "ANTHROPIC_API_KEY"])
        await admin.variables.put(environmentId, key, { value: `sk-${key.toLowerCase()}`, secret: true });
      for (const [name, provider] of [
        ["OPENAI_API_KEY", "openai"],
        ["OPENAI_API_KEY_NEXT", "openai"],
        ["ANTHROPIC_API_KEY", "anthropic"],
      ] as const) {
        await provideKeyMaterial(emulator, protocol, environmentId, { name, provider, value: `sk-${name.toLowerCase()}` });
      }
      await admin.variables.put(environmentId, "LOG_LEVEL", { value: "info" });
    });

    beforeEach(() => {
      newProviderProcess(); // a fresh read cache, as in a new provider process
      world.recorder.reset();
    });

    const base = { project: "default", environment: "keys", provider: "openai", variable: "OPENAI_API_KEY" };
    const checked = (news: Props, olds: Props = {}) => checkedInputs(providerKeyProvider, news, olds);
    const create = async (inputs: Props) => {
      const result = await providerKeyProvider.create(inputs);
      return { id: result.id, outs: result.outs as Props };
    };
    const update = async (id: string, olds: Props, news: Props) => (await providerKeyProvider.update!(id, olds, news)).outs as Props;
    const serverKey = (id: string) => world.admin.providerKeys.get(environmentId, id);

    it("creates a key that names a secret variable, reads it back, and shows no diff", async () => {
      const inputs = await checked({ ...base, label: "life" });
      assert.equal(inputs.isDefault, false);
      const created = await create(inputs);
      assert.deepEqual(
        [
          created.outs.provider,
          created.outs.label,
          created.outs.variable,
          created.outs.envVarName,
          created.outs.isDefault,
          created.outs.environmentId,
          created.outs.lastUsedAt,
        ],
        ["openai", "life", "OPENAI_API_KEY", "OPENAI_API_KEY", false, environmentId, null],
      );
      assert.equal(typeof created.outs.createdAt, "string");
      assert.equal((await serverKey(created.id)).envVarName, "OPENAI_API_KEY");
      assert.ok(!JSON.stringify(created.outs).includes("sk-openai"), "no key material in the outputs");

      const read = await providerKeyProvider.read!(created.id, created.outs);
      assert.deepEqual(read.props, created.outs);
      assert.equal((await providerKeyProvider.diff!(created.id, read.props!, inputs)).changes, false);
      await providerKeyProvider.delete!(created.id, created.outs);
      assert.equal((await providerKeyProvider.read!(created.id, created.outs)).id, "");
      await providerKeyProvider.delete!(created.id, created.outs);
    });

    it("rotates: new material leaves the key alone; pointing it at another credential updates it in place", async () => {
      const inputs = await checked({ ...base, label: "rotating" });
      const created = await create(inputs);
      await provideKeyMaterial(world.emulator, protocol, environmentId, { name: "OPENAI_API_KEY", provider: "openai", value: "sk-rotated-in-the-credential" });
      newProviderProcess();
      const afterValue = await providerKeyProvider.read!(created.id, created.outs);
      assert.deepEqual(afterValue.props, created.outs, "the key did not change");

      const pointed = await checked({ ...inputs, variable: "OPENAI_API_KEY_NEXT" }, inputs);
      const diff = await providerKeyProvider.diff!(created.id, created.outs, pointed);
      assert.deepEqual([diff.changes, diff.replaces], [true, []], "another variable is an update, not a replace");
      world.recorder.reset();
      const rotated = await update(created.id, created.outs, pointed);
      assert.deepEqual([rotated.variable, rotated.envVarName, rotated.createdAt], ["OPENAI_API_KEY_NEXT", "OPENAI_API_KEY_NEXT", created.outs.createdAt]);
      assert.equal((await serverKey(created.id)).envVarName, "OPENAI_API_KEY_NEXT");
      const writes = world.recorder
        .writes()
        .filter((request) => !request.path.endsWith(TOKENS_PATH))
        .map((request) => request.rpc?.tool ?? `${request.method} ${request.path.replace(created.id, ":keyId")}`);
      assert.deepEqual(writes, [testProtocol(protocol).calls.providerKeyUpdate(environmentId)]);

      const relabelled = await update(created.id, rotated, await checked({ ...pointed, label: "renamed" }, pointed));
      assert.equal(relabelled.label, "renamed");
      assert.equal((await serverKey(created.id)).label, "renamed");
    });

    it("sees drift on refresh: a key pointed elsewhere outside Pulumi, and a key deleted outside Pulumi", async () => {
      const inputs = await checked({ ...base, label: "drifting" });
      const created = await create(inputs);
      await world.admin.providerKeys.update(environmentId, created.id, { envVarName: "OPENAI_API_KEY_NEXT" });
      const drifted = await providerKeyProvider.read!(created.id, created.outs);
      assert.equal(drifted.props?.variable, "OPENAI_API_KEY_NEXT");
      assert.equal(drifted.inputs?.variable, "OPENAI_API_KEY_NEXT");
      assert.equal((await providerKeyProvider.diff!(created.id, drifted.props!, inputs)).changes, true);
      const restored = await update(created.id, drifted.props!, inputs);
      assert.equal(restored.variable, "OPENAI_API_KEY");

      await world.admin.providerKeys.delete(environmentId, created.id);
      newProviderProcess();
      assert.equal((await providerKeyProvider.read!(created.id, restored)).id, "");
    });

    it("reads every key of one environment with one list call", async () => {
      const made = [];
      for (const label of ["bulk-1", "bulk-2", "bulk-3"]) made.push(await create(await checked({ ...base, label })));
      newProviderProcess();
      world.recorder.reset();
      const reads = await Promise.all(made.map((key) => providerKeyProvider.read!(key.id, key.outs)));
      assert.ok(reads.every((read) => read.id !== ""));
      // On the platform a new process also asks whoami and mints the environment's token once: not key reads.
      const calls = world.recorder.requests.map((request) => request.rpc?.tool ?? `${request.method} ${request.path}`).filter((call) => /provider/.test(call));
      assert.deepEqual(calls, [testProtocol(protocol).calls.providerKeyList(environmentId)]);
    });

    it(
      platform ? "refuses a change of isDefault at preview: Platos sets it only when a key is added" : "changes isDefault in place, one default per provider",
      async () => {
        const first = await create(await checked({ ...base, provider: "anthropic", variable: "ANTHROPIC_API_KEY", label: "first", isDefault: true }));
        const second = await create(await checked({ ...base, provider: "anthropic", variable: "ANTHROPIC_API_KEY", label: "second", isDefault: true }));
        assert.equal((await serverKey(first.id)).isDefault, false, "a new default clears the provider's other");
        assert.equal(second.outs.isDefault, true);
        const firstInputs = { ...base, provider: "anthropic", variable: "ANTHROPIC_API_KEY", label: "first", isDefault: false };
        const makeDefault = { ...firstInputs, isDefault: true };
        if (platform) {
          const { failures } = await providerKeyProvider.check!(firstInputs, makeDefault);
          assert.deepEqual(
            failures?.map((f) => f.property),
            ["isDefault"],
          );
          assert.match(
            failures![0]!.reason,
            /sets a provider key's default flag only when the key is added .*Way out: .*under a new label \(adding it clears the provider's other defaults\)$/,
          );
          await assert.rejects(update(first.id, { ...first.outs, isDefault: false }, makeDefault), /default flag only when the key is added/);
        } else {
          const updated = await update(first.id, { ...first.outs, isDefault: false }, await checked(makeDefault, firstInputs));
          assert.equal(updated.isDefault, true);
          assert.equal((await serverKey(second.id)).isDefault, false);
        }
      },
    );

    it("refuses an existing twin unless adopt is set; adopt takes it over and points it at the declared variable", async () => {
      const existing = await world.admin.providerKeys.create(environmentId, { provider: "openai", label: "twin", envVarName: "OPENAI_API_KEY_NEXT" });
      const inputs = await checked({ ...base, label: "twin" });
      await assert.rejects(providerKeyProvider.create(inputs), /provider key openai "twin" in environment "keys" already exists\. Set `adopt: true`/);
      const adopted = await create({ ...inputs, adopt: true });
      assert.equal(adopted.id, existing.id);
      assert.deepEqual([adopted.outs.variable, adopted.outs.adopt], ["OPENAI_API_KEY", true]);
      assert.equal((await serverKey(existing.id)).envVarName, "OPENAI_API_KEY");
    });

    it("refuses a label changed in an update to one a key somebody else added holds; neither key changes", async () => {
      const theirs = await world.admin.providerKeys.create(environmentId, { provider: "openai", label: "theirs", envVarName: "OPENAI_API_KEY_NEXT" });
      const mine = await create(await checked({ ...base, label: "mine" }));
      const relabelled = await checked({ ...base, label: "theirs" }, mine.outs);
      // Platos's rotate_key answers a taken label only as rotate_failed.
      const refusal = platform
        ? /updating provider key openai "theirs" in environment "keys": .*rotate_failed/
        : /updating provider key openai "theirs" in environment "keys": .*already has a openai key labelled "theirs"/;
      await assert.rejects(update(mine.id, mine.outs, relabelled), refusal);
      assert.deepEqual([(await serverKey(theirs.id)).label, (await serverKey(theirs.id)).envVarName], ["theirs", "OPENAI_API_KEY_NEXT"]);
      assert.equal((await serverKey(mine.id)).label, "mine");
      await providerKeyProvider.delete!(mine.id, mine.outs);
    });

    // Real Platos never takes an environment variable as a key's credential: naming one is refused at preview.
    const VARIABLE_IS_NO_CREDENTIAL =
      /^real Platos links a provider key to a provider credential for openai named OPENAI_API_KEY, which only the dashboard's Add key flow makes .*Way out: add the openai key in the Platos dashboard/;

    it("refuses at preview a variable of another environment, naming the field and the rule", async () => {
      const { failures } = await providerKeyProvider.check!(
        {},
        { ...base, environment: "prod", label: "promoted", variableProject: "default", variableEnvironment: "keys", variableSecret: true },
      );
      assert.deepEqual(
        failures?.map((f) => f.property),
        platform ? ["variable", "variable"] : ["variable"],
      );
      assert.match(
        failures![0]!.reason,
        /^variable must be a variable of the provider key's own environment "prod", but OPENAI_API_KEY is a variable of "keys": a provider key in keys does not auto-link to prod; promote your prod key separately/,
      );
      const sameEnvironment =
        (await providerKeyProvider.check!({}, { ...base, label: "same", variableEnvironment: "keys", variableSecret: true })).failures ?? [];
      if (platform) {
        assert.deepEqual(
          sameEnvironment.map((f) => f.property),
          ["variable"],
        );
        assert.match(sameEnvironment[0]!.reason, VARIABLE_IS_NO_CREDENTIAL);
      } else assert.deepEqual(sameEnvironment, []);
    });

    it("refuses a PLAIN variable at preview, and a name Platos holds no credential under at create, with the way out", async () => {
      const plain = await providerKeyProvider.check!(
        {},
        { ...base, label: "plain", variable: "LOG_LEVEL", variableEnvironment: "keys", variableSecret: false },
      );
      assert.match(plain.failures?.[0]?.reason ?? "", /^variable must be a SECRET variable: LOG_LEVEL is declared without `secret: true`/);
      for (const variable of ["LOG_LEVEL", "NOT_DECLARED"]) {
        const refusal = platform
          ? `no provider credential for openai named ${variable} in this environment: .*an environment variable is never one\\. Way out: add the openai key in the Platos dashboard \\(Providers, Add key\\) under the name ${variable}`
          : `no SECRET variable ${variable} in this environment.*\\. Way out: declare the variable with an EnvironmentVariable`;
        await assert.rejects(
          providerKeyProvider.create(await checked({ ...base, label: `missing-${variable}`, variable })),
          new RegExp(`^Error: creating provider key openai "missing-${variable}" in environment "keys": .*${refusal}`),
        );
      }
    });

    it("refuses to delete a key an agent pins, naming the agents and the way out; deletes it once unpinned", async () => {
      const key = await create(await checked({ ...base, label: "pinned" }));
      const agent = await world.admin.agents.create(environmentId, { slug: "support", name: "Support", model: "openai:gpt-5" });
      await world.emulator.store.providerKeys.setAgentRefs(agent.id, { providerKeyId: key.id });
      await assert.rejects(
        providerKeyProvider.delete!(key.id, key.outs),
        /^Error: deleting provider key openai "pinned" in environment "keys": .*pinned by agents "support".*\. Way out: change those agents so that their configuration no longer names this key .*`retainOnDelete: true`/,
      );
      assert.equal((await serverKey(key.id)).id, key.id, "the key is still there");

      const direct = {
        protocol: access.settings.protocol,
        apiUrl: world.emulator.url,
        token: access.settings.token,
        operatorToken: access.settings.operatorToken,
      };
      const definition = await getAgent({ project: "default", environment: "keys", slug: "support" }, direct);
      assert.ok(!JSON.stringify(definition).includes(key.id), "promotion never carries a provider key id to another environment");

      await world.emulator.store.providerKeys.setAgentRefs(agent.id, { providerKeyId: null });
      await providerKeyProvider.delete!(key.id, key.outs);
      assert.equal((await providerKeyProvider.read!(key.id, key.outs)).id, "");
    });

    it("says which environment is missing", async () => {
      await assert.rejects(
        providerKeyProvider.create(await checked({ ...base, environment: "nowhere", label: "x" })),
        /environment "nowhere" was not found in project "default"/,
      );
    });
  });
