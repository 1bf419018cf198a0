/**
 * A secret rotated outside Pulumi survives the next `up`; a changed declared value or `rotation` counter still
 * writes; a PLAIN value is still set back. The variable provider's methods, called as the host calls them for a
 * refresh and an up, once per protocol, against one emulator; the rotation is made straight through the V1 API.
 */
import { strict as assert } from "node:assert";
import { PROTOCOLS } from "../../provider/platos";
import { variableProvider } from "../../provider/providers/environment-variable";
import { platosWorld } from "../helpers/platos-world";
import { checkedInputs, newProviderProcess } from "../helpers/provider-process";
import { stderrDuring } from "../helpers/stderr-lines";
import { storedValue } from "../helpers/stored-secret";
import { TOKENS_PATH } from "../../provider/client/platform/core-api";

type Props = Record<string, unknown>;

describe("EnvironmentVariable: secrets rotated outside Pulumi", function () {
  this.timeout(60_000);
  const world = platosWorld();

  for (const protocol of PROTOCOLS)
    describe(protocol, () => {
      const slug = `rotation-${protocol}`;
      let environmentId: string;

      before(async () => {
        await world.configureProvidersOn(protocol);
        environmentId = (await world.admin.environments.create("default", { slug })).id;
      });

      beforeEach(() => {
        newProviderProcess();
        world.recorder.reset();
      });

      const checked = (news: Props) => checkedInputs(variableProvider, news);
      const stored = (key: string) => storedValue(world.emulator, environmentId, key);
      /** On platform, a new process first mints a token for this environment: a POST, but not a variable write. */
      const variableWrites = () => world.recorder.writes().filter((request) => !request.path.endsWith(TOKENS_PATH));

      /** `pulumi up` of one variable: diff, then update only when it reports a change. */
      async function up(id: string, olds: Props, news: Props) {
        const diff = await variableProvider.diff!(id, olds, news);
        return diff.changes ? ((await variableProvider.update!(id, olds, news)).outs as Props) : olds;
      }

      /** Creates a SECRET and rotates it through the API; answers its refreshed state and the refresh's stderr. */
      async function rotatedSecret(key: string, declared: string) {
        const inputs = await checked({ project: "default", environment: slug, key, value: declared, secret: true });
        const created = await variableProvider.create(inputs);
        await world.admin.variables.put(environmentId, key, { value: `${declared}-rotated-outside`, secret: true });
        newProviderProcess();
        const { result: refreshed, lines } = await stderrDuring(() => variableProvider.read!(created.id, created.outs));
        return { id: created.id, inputs, refreshed: refreshed.props as Props, lines };
      }

      it("keeps a rotation made through the API on the next up, and says so on refresh and preview without the value", async () => {
        const { id, inputs, refreshed, lines } = await rotatedSecret("OPENAI_API_KEY", "sk-declared-1");
        assert.equal(refreshed.version, 2);
        assert.equal(refreshed.writtenVersion, 1);
        assert.equal(refreshed.value, "sk-declared-1", "state keeps the declared value; the server never returns a secret");
        assert.equal(lines.length, 1);
        assert.match(
          lines[0]!,
          new RegExp(
            `^Platos: EnvironmentVariable OPENAI_API_KEY in environment "${slug}" of project "default" was rotated outside Pulumi \\(Platos holds version 2, Pulumi last wrote version 1\\): \`pulumi up\` keeps it`,
          ),
        );

        newProviderProcess();
        world.recorder.reset();
        const preview = await stderrDuring(() => variableProvider.diff!(id, refreshed, inputs));
        assert.equal(preview.result.changes, false);
        assert.match(preview.lines.join("\n"), /OPENAI_API_KEY .* was rotated outside Pulumi .* `pulumi up` keeps it/);
        assert.deepEqual(world.recorder.requests, [], "preview asks Platos nothing");

        const after = await up(id, refreshed, inputs);
        assert.deepEqual(variableWrites(), []);
        assert.equal((await world.admin.variables.get(environmentId, "OPENAI_API_KEY")).version, 2);
        assert.ok((await stored("OPENAI_API_KEY")) === "sk-declared-1-rotated-outside", "the rotated value is still what Platos holds");
        assert.equal(after.writtenVersion, 1);
        for (const line of [...lines, ...preview.lines]) assert.ok(!line.includes("sk-declared"), "no value in a notice");
      });

      /** An up that writes over a rotation: one write, and the notice says so. */
      async function upOverRotation(key: string, id: string, refreshed: Props, news: Props) {
        world.recorder.reset();
        const { result, lines } = await stderrDuring(() => up(id, refreshed, news));
        assert.equal(variableWrites().length, 1);
        assert.match(
          lines.join("\n"),
          new RegExp(`${key} .* was rotated outside Pulumi .*: its declared inputs changed, so this update writes the declared value over it`),
        );
        return result;
      }

      it("writes when the declared value changes, and then no longer reports a rotation", async () => {
        const { id, inputs, refreshed } = await rotatedSecret("ANTHROPIC_API_KEY", "sk-ant-1");
        const written = await upOverRotation("ANTHROPIC_API_KEY", id, refreshed, { ...inputs, value: "sk-ant-2" });
        assert.equal(written.version, 3);
        assert.equal(written.writtenVersion, 3);
        assert.ok((await stored("ANTHROPIC_API_KEY")) === "sk-ant-2", "Platos holds the new declared value");

        newProviderProcess();
        const { result: again, lines: quiet } = await stderrDuring(() => variableProvider.read!(id, written));
        assert.equal(again.props?.version, 3);
        assert.deepEqual(quiet, []);
      });

      it("writes the unchanged declared value when the rotation counter is bumped, once", async () => {
        const { id, inputs, refreshed } = await rotatedSecret("GITHUB_TOKEN", "ghp-declared");
        const bumped = await upOverRotation("GITHUB_TOKEN", id, refreshed, { ...inputs, rotation: 1 });
        assert.equal(bumped.rotation, 1);
        assert.equal(bumped.writtenVersion, 3);
        assert.ok((await stored("GITHUB_TOKEN")) === "ghp-declared", "Platos holds the declared value again");

        newProviderProcess();
        world.recorder.reset();
        await up(id, bumped, { ...inputs, rotation: 1 });
        assert.deepEqual(variableWrites(), [], "the same counter writes nothing");
        const reread = await variableProvider.read!(id, bumped);
        assert.equal(reread.inputs?.rotation, 1, "refresh keeps the counter in the inputs");
      });

      it("still sets a PLAIN value changed outside Pulumi back to the declared one", async () => {
        const inputs = await checked({ project: "default", environment: slug, key: "LOG_LEVEL", value: "info" });
        const created = await variableProvider.create(inputs);
        await world.admin.variables.put(environmentId, "LOG_LEVEL", { value: "trace" });
        newProviderProcess();
        const refreshed = (await variableProvider.read!(created.id, created.outs)).props as Props;
        assert.equal(refreshed.value, "trace");
        await up(created.id, refreshed, inputs);
        assert.equal((await world.admin.variables.get(environmentId, "LOG_LEVEL")).value, "info");
      });
    });
});
