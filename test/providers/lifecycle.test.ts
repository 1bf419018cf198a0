/**
 * The three providers' methods, called as the host calls them, against the emulator over HTTP: create, read,
 * update, delete, adopt, drift, 404 handling and the API calls each costs. Once per protocol, one emulator each;
 * the admin client checks and changes the emulator behind the provider's back over V1 (same storage).
 */
import { strict as assert } from "node:assert";
import { getAgent } from "../../provider/functions/get-agent";
import { PROTOCOLS } from "../../provider/platos";
import { agentProvider, withDefaults } from "../../provider/providers/agent";
import { environmentProvider } from "../../provider/providers/environment";
import { variableProvider } from "../../provider/providers/environment-variable";
import { resetContexts } from "../../provider/runtime/context";
import { platosWorld } from "../helpers/platos-world";
import { checkedInputs, configureProviders } from "../helpers/provider-process";
import { stackConfig } from "../platos/support";

type Props = Record<string, unknown>;
type Provider = typeof variableProvider;

/** create and update as the host calls them, with the outputs every provider here always returns. */
const create = async (provider: Provider, inputs: Props) => {
  const result = await provider.create(inputs);
  return { id: result.id, outs: result.outs as Props };
};
const update = async (provider: Provider, id: string, olds: Props, news: Props) => ({ outs: (await provider.update!(id, olds, news)).outs as Props });

for (const protocol of PROTOCOLS)
  describe(`providers against the emulator (${protocol})`, function () {
    this.timeout(60_000);
    const platform = protocol === "platform";
    const world = platosWorld({ protocol });

    before(async () => {
      await configureProviders(stackConfig(world.access.settings));
    });

    beforeEach(() => {
      resetContexts(); // a fresh read cache, as in a new provider process
      world.recorder.reset();
    });

    /** The platform's AgentRecord reports no version number. */
    const version = (n: number) => (platform ? null : n);

    const checked = (provider: Provider, news: Props) => checkedInputs(provider, news);

    describe("Environment", () => {
      it("creates, reads, renames in place and deletes; delete and read of a gone one are quiet", async () => {
        const inputs = await checked(environmentProvider, { project: "default", slug: "env-life" });
        const created = await create(environmentProvider, inputs);
        assert.equal(created.outs.name, "env-life");
        assert.equal((await world.admin.environments.get(created.id)).slug, "env-life");

        const read = await environmentProvider.read!(created.id, created.outs);
        assert.deepEqual(read.props, created.outs);

        let last = created.outs;
        if (platform) {
          const rename = { ...inputs, name: "Env Life" };
          assert.deepEqual(
            (await environmentProvider.check!({}, rename)).failures?.map((f) => f.property),
            ["name"],
          );
          assert.deepEqual(
            (await environmentProvider.check!(inputs, rename)).failures?.map((f) => f.property),
            ["name"],
            "a rename of a deployed one too",
          );
          await assert.rejects(
            update(environmentProvider, created.id, created.outs, rename),
            /^Error: updating environment "env-life" in project "default": environment "env-life" is named "env-life" in Platos, and real Platos cannot rename an environment\. Way out: declare `name: "env-life"`$/,
          );
        } else {
          const renamed = await update(environmentProvider, created.id, created.outs, { ...inputs, name: "Env Life" });
          assert.equal(renamed.outs.name, "Env Life");
          assert.equal(renamed.outs.projectId, created.outs.projectId);
          last = renamed.outs;
        }

        await environmentProvider.delete!(created.id, last);
        assert.equal((await environmentProvider.read!(created.id, last)).id, "");
        await environmentProvider.delete!(created.id, last);
      });

      it("refuses an existing twin unless adopt is set, then takes it over", async () => {
        // Real Platos names every environment after its slug, so only V1 can adopt one under a new name.
        const [oldName, newName] = platform ? ["env-twin", "env-twin"] : ["Old name", "New name"];
        const existing = await world.admin.environments.create("default", { slug: "env-twin", name: oldName });
        const inputs = await checked(environmentProvider, { project: "default", slug: "env-twin", name: newName });
        await assert.rejects(environmentProvider.create(inputs), /environment "env-twin" in project "default" already exists\. Set `adopt: true`/);
        const adopted = await create(environmentProvider, { ...inputs, adopt: true });
        assert.equal(adopted.id, existing.id);
        assert.equal((await world.admin.environments.get(existing.id)).name, newName);
        await world.admin.environments.delete(existing.id);
      });

      if (platform) {
        it("adopts an environment Platos already names otherwise (a project's first) by declaring that name; the slug as name is refused at the step with the way out", async () => {
          // The emulator's V1 route stands in for project creation, which names the first environment.
          const existing = await world.admin.environments.create("default", { slug: "env-first", name: "Production EU" });
          const named = { project: "default", slug: "env-first", name: "Production EU" };
          assert.deepEqual(
            (await environmentProvider.check!({}, named)).failures?.map((f) => f.property),
            ["name"],
            "a new environment cannot be named otherwise",
          );
          const adopted = await create(environmentProvider, { ...named, adopt: true });
          assert.equal(adopted.id, existing.id);
          assert.equal(adopted.outs.name, "Production EU");
          assert.deepEqual((await environmentProvider.check!(named, named)).failures, [], "deployed under its own name: no rename");
          const unnamed = await checked(environmentProvider, { project: "default", slug: "env-first", adopt: true });
          await assert.rejects(
            environmentProvider.create(unnamed),
            /environment "env-first" is named "Production EU" in Platos, and real Platos cannot rename an environment\. Way out: declare `name: "Production EU"`$/,
          );
          await world.admin.environments.delete(existing.id);
        });
      }

      it("names the action and the API error for a project that does not exist", async () => {
        const why = platform ? /project "no-such-project" is not the project of platos:token/ : /TENANCY_NOT_FOUND/;
        const err = await environmentProvider.create({ project: "no-such-project", slug: "x" }).catch((e: unknown) => e);
        assert.match(String(err), /creating environment "x" in project "no-such-project": /);
        assert.match(String(err), why);
      });
    });

    describe("EnvironmentVariable", () => {
      let environmentId: string;
      before(async () => {
        environmentId = (await world.admin.environments.create("default", { slug: "vars" })).id;
      });

      it("creates, updates, reads and deletes a plain variable", async () => {
        const inputs = await checked(variableProvider, { project: "default", environment: "vars", key: "LOG_LEVEL", value: "info" });
        const created = await create(variableProvider, inputs);
        assert.equal(created.outs.kind, "PLAIN");
        assert.equal(created.outs.version, 1);
        const updated = await update(variableProvider, created.id, created.outs, { ...inputs, value: "debug" });
        assert.equal(updated.outs.value, "debug");
        assert.equal(updated.outs.version, 2);
        assert.equal((await world.admin.variables.get(environmentId, "LOG_LEVEL")).value, "debug");
        await variableProvider.delete!(created.id, updated.outs);
        assert.equal((await variableProvider.read!(created.id, updated.outs)).id, "");
        await variableProvider.delete!(created.id, updated.outs);
      });

      it("keeps a secret's value out of the API's answers but in the outputs, and sees plain and secret drift", async () => {
        const secretInputs = await checked(variableProvider, {
          project: "default",
          environment: "vars",
          key: "OPENAI_API_KEY",
          value: "sk-drift-1",
          secret: true,
        });
        const secret = await create(variableProvider, secretInputs);
        assert.equal(secret.outs.kind, "SECRET");
        assert.equal(secret.outs.value, "sk-drift-1");
        assert.equal((await world.admin.variables.get(environmentId, "OPENAI_API_KEY")).value, null);
        const plain = await create(variableProvider, await checked(variableProvider, { project: "default", environment: "vars", key: "REGION", value: "eu" }));

        assert.equal((await variableProvider.diff!(secret.id, secret.outs, secretInputs)).changes, false);
        await world.admin.variables.put(environmentId, "OPENAI_API_KEY", { value: "sk-rotated", secret: true });
        await world.admin.variables.put(environmentId, "REGION", { value: "us" });
        resetContexts();

        const secretRead = await variableProvider.read!(secret.id, secret.outs);
        assert.equal(secretRead.props?.version, 2);
        assert.equal(secretRead.props?.value, "sk-drift-1", "the declared value is kept; the server never returns it");
        assert.equal((await variableProvider.diff!(secret.id, secretRead.props!, secretInputs)).changes, false, "a rotation outside Pulumi is kept");

        const plainRead = await variableProvider.read!(plain.id, plain.outs);
        assert.equal(plainRead.props?.value, "us");
        assert.equal(plainRead.inputs?.value, "us");
        assert.equal((await variableProvider.diff!(plain.id, plainRead.props!, { ...plain.outs, value: "eu" })).changes, true);
      });

      it("reads N variables of one environment with one list call", async () => {
        const made = [];
        for (let i = 0; i < 10; i++) {
          made.push(
            await create(variableProvider, await checked(variableProvider, { project: "default", environment: "vars", key: `BULK_${i}`, value: `v${i}` })),
          );
        }
        resetContexts();
        world.recorder.reset();
        const reads = await Promise.all(made.map((m) => variableProvider.read!(m.id, m.outs)));
        assert.ok(reads.every((r) => r.id !== ""));
        // On platform the values come from core-api, at its own URL (its own port, as Platos deploys it).
        assert.deepEqual(world.recorder.requests, [{ method: "GET", path: `/api/v1/environments/${environmentId}/variables` }]);
        if (platform) assert.ok(world.recorder.coreApiUrl, "platform stacks reach core-api on a port of its own");
      });

      it("refuses an existing twin unless adopt is set; adopting an identical plain value writes nothing", async () => {
        await world.admin.variables.put(environmentId, "TWIN", { value: "same" });
        const inputs = await checked(variableProvider, { project: "default", environment: "vars", key: "TWIN", value: "same" });
        await assert.rejects(variableProvider.create(inputs), /variable TWIN in environment "vars" already exists\. Set `adopt: true`/);
        world.recorder.reset();
        const adopted = await create(variableProvider, { ...inputs, adopt: true });
        assert.equal(adopted.outs.version, 1);
        // Every platform call is a POST (tools/call), reads too: there the unchanged version is the proof.
        if (!platform) assert.deepEqual(world.recorder.writes(), []);
      });

      it("says which environment is missing", async () => {
        const inputs = await checked(variableProvider, { project: "default", environment: "nowhere", key: "K", value: "v" });
        await assert.rejects(variableProvider.create(inputs), /environment "nowhere" was not found in project "default"/);
      });
    });

    describe("Agent", () => {
      let environmentId: string;
      const base = { project: "default", environment: "agents", slug: "support", name: "Support", model: "anthropic:claude-sonnet-4-6" };
      before(async () => {
        environmentId = (await world.admin.environments.create("default", { slug: "agents" })).id;
      });

      it("creates with defaults, versions behaviour changes but not renames, reads drift, and deletes", async () => {
        const inputs = await checked(agentProvider, base);
        const created = await create(agentProvider, inputs);
        assert.equal(created.outs.versionNumber, version(1));
        assert.equal(created.outs.maxSteps, 20);
        assert.deepEqual(created.outs.metaTools, withDefaults(base as never).metaTools);
        assert.equal((await agentProvider.diff!(created.id, created.outs, inputs)).changes, false, "no diff right after create");

        const behaviour = await update(agentProvider, created.id, created.outs, { ...inputs, maxSteps: 30 });
        assert.equal(behaviour.outs.versionNumber, version(2));
        const renamed = await update(agentProvider, created.id, behaviour.outs, { ...inputs, maxSteps: 30, name: "Support desk" });
        assert.equal(renamed.outs.versionNumber, version(2), "renaming is not a new version");
        assert.equal((await world.admin.agents.versions(environmentId, created.id)).length, 2);

        await world.admin.agents.update(environmentId, created.id, { systemPrompt: "changed outside" });
        resetContexts(); // the refresh's provider process
        const drifted = await agentProvider.read!(created.id, renamed.outs);
        assert.equal(drifted.props?.systemPrompt, "changed outside");
        assert.equal((await agentProvider.diff!(created.id, drifted.props!, { ...inputs, maxSteps: 30, name: "Support desk" })).changes, true);

        await world.admin.agents.delete(environmentId, created.id);
        resetContexts();
        assert.equal((await agentProvider.read!(created.id, renamed.outs)).id, "");
        await agentProvider.delete!(created.id, renamed.outs);
      });

      it("reads N agents of one environment with one list call", async () => {
        const made = [];
        for (let i = 0; i < 4; i++) made.push(await create(agentProvider, await checked(agentProvider, { ...base, slug: `listed-${protocol}-${i}` })));
        resetContexts();
        world.recorder.reset();
        const reads = await Promise.all(made.map((m) => agentProvider.read!(m.id, m.outs)));
        assert.deepEqual(
          reads.map((r) => r.id),
          made.map((m) => m.id),
        );
        const lists = world.recorder.requests.filter((r) => (r.rpc ? r.rpc.tool === "agents.list" : r.path === `/api/v1/environments/${environmentId}/agents`));
        assert.equal(lists.length, 1);
        if (!platform) assert.equal(world.recorder.requests.length, 1);
        for (const m of made) await agentProvider.delete!(m.id, m.outs);
      });

      it("refuses an existing twin unless adopt is set; adopt updates it in place", async () => {
        const existing = await world.admin.agents.create(environmentId, { slug: "twin", name: "Twin", model: "anthropic:claude-haiku-4-5" });
        const inputs = await checked(agentProvider, { ...base, slug: "twin", name: "Twin" });
        await assert.rejects(agentProvider.create(inputs), /agent "twin" in environment "agents" already exists/);
        const adopted = await create(agentProvider, { ...inputs, adopt: true });
        assert.equal(adopted.id, existing.id);
        assert.equal(adopted.outs.model, "anthropic:claude-sonnet-4-6");
        assert.equal(adopted.outs.versionNumber, version(2));
      });

      it("getAgent reads a definition that recreates the agent elsewhere", async () => {
        const { settings } = world.access;
        const direct = {
          protocol: settings.protocol,
          apiUrl: world.emulator.url,
          coreApiUrl: world.emulator.coreApiUrl,
          token: settings.token,
          operatorToken: settings.operatorToken,
        };
        const definition = await getAgent({ project: "default", environment: "agents", slug: "twin" }, direct);
        assert.equal(definition.model, "anthropic:claude-sonnet-4-6");
        assert.equal(definition.sourceVersionNumber, version(2));
        await assert.rejects(getAgent({ project: "default", environment: "agents", slug: "nope" }, direct), /agent "nope" was not found/);
      });
    });
  });
