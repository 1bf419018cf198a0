/**
 * Nothing of anyone else's, through the stack harness on each protocol (one token for every stack, as
 * `npm run stacks` has): a second project declaring an environment another stack made is refused, not handed it; a
 * key added to an EnvironmentVariables that Platos already holds is refused before any write; and destroying an
 * environment never takes what the stack does not declare with it, while an adopted one is left in Platos.
 */
import { strict as assert } from "node:assert";
import { join, resolve } from "node:path";
import { freshProgram } from "./program-loader";
import { StackHarness } from "./stack-harness";
import { platosWorld } from "../helpers/platos-world";
import { PROTOCOLS } from "../../provider/platos";

const root = resolve(__dirname, "../..");

for (const protocol of PROTOCOLS)
  describe(`e2e (${protocol}): ownership`, function () {
    this.timeout(300_000);
    const world = platosWorld({ protocol });

    /** A stack of the ownership program; `settings` without the project's namespace. */
    const stack = (project: string, name: string, settings: Record<string, string | boolean | Record<string, string>>) =>
      new StackHarness({
        project,
        stack: name,
        program: freshProgram(join(__dirname, "fixtures", "ownership-program.ts")),
        programDir: root,
        stateFile: join(world.work, `${project}-${name}.state.json`),
        passphrase: "ownership",
        config: {
          ...world.platosConfig,
          ...Object.fromEntries(
            Object.entries(settings).map(([key, value]) => [`${project}:${key}`, typeof value === "string" ? value : JSON.stringify(value)]),
          ),
        },
        secretKeys: ["platos:token", "platos:operatorToken"],
      });

    const variablesOf = async (slug: string) => {
      const environment = await world.admin.environments.findBySlug("default", slug);
      if (!environment) return undefined;
      return Object.fromEntries((await world.admin.variables.list(environment.id)).map((v) => [v.key, v.value]));
    };

    it("a second project declaring the environment another stack made, with the same token and request: refused as already existing; its destroy deletes nothing", async () => {
      const first = stack("owner-one", "dev", { environment: "shared" });
      await first.up();
      const made = await world.admin.environments.findBySlug("default", "shared");
      const second = stack("owner-two", "dev", { environment: "shared" });
      await assert.rejects(second.up(), /environment "shared" in project "default" already exists\. Set `adopt: true`/);
      assert.equal([...second.state().values()].length, 0, "the second stack owns nothing");
      await second.destroy();
      assert.equal((await world.admin.environments.findBySlug("default", "shared"))?.id, made?.id, "the first stack's environment, untouched");
      assert.deepEqual(await variablesOf("shared"), { OWNER: "owner-one" });
    });

    it("a key added to an EnvironmentVariables in an update that Platos already holds: refused before any write; removing it again deletes nothing", async () => {
      const settings = (variables: Record<string, string>) => stack("keys", "dev", { environment: "keys", variables });
      await settings({ LOG_LEVEL: "info" }).up();
      const environment = (await world.admin.environments.findBySlug("default", "keys"))!;
      await world.admin.variables.put(environment.id, "THEIRS", { value: "their-value" });
      world.recorder.reset();
      await assert.rejects(
        settings({ LOG_LEVEL: "info", THEIRS: "my-value", MINE: "new" }).up(),
        /variables THEIRS already exist in environment "keys" of project "default"\. Set `adopt: true`/,
      );
      assert.deepEqual(world.recorder.writes(), [], "nothing half-written: not even the key nobody held");
      await settings({ LOG_LEVEL: "info" }).up();
      assert.deepEqual(await variablesOf("keys"), { LOG_LEVEL: "info", OWNER: "keys", THEIRS: "their-value" });
    });

    it("destroying an environment holding a variable the stack does not declare fails naming it and the way out; deleteContents: true deletes it", async () => {
      await stack("contents", "dev", { environment: "contents" }).up();
      const environment = (await world.admin.environments.findBySlug("default", "contents"))!;
      await world.admin.variables.put(environment.id, "ADDED_IN_DASHBOARD", { value: "kept" });
      await assert.rejects(
        stack("contents", "dev", { environment: "contents" }).destroy(),
        /deleting environment "contents" in project "default" would also delete what this stack does not declare: variables ADDED_IN_DASHBOARD\. .*`deleteContents: true`/,
      );
      assert.deepEqual(
        await variablesOf("contents"),
        { ADDED_IN_DASHBOARD: "kept" },
        "the declared variables went first; the environment and the other's stay",
      );

      await stack("contents", "dev", { environment: "contents", deleteContents: true }).up();
      await stack("contents", "dev", { environment: "contents", deleteContents: true }).destroy();
      assert.equal(await variablesOf("contents"), undefined, "the program said so: the environment went with its contents");
    });

    it("an adopted environment is left in Platos on destroy, with what was there before; retain: false lets Pulumi delete it", async () => {
      const handmade = await world.admin.environments.create("default", { slug: "handmade" });
      await world.admin.variables.put(handmade.id, "BEFORE_ADOPT", { value: "theirs" });
      await stack("adopter", "dev", { environment: "handmade", adopt: true }).up();
      await stack("adopter", "dev", { environment: "handmade", adopt: true }).destroy();
      assert.deepEqual(await variablesOf("handmade"), { BEFORE_ADOPT: "theirs" }, "only what the stack declared is gone");

      await stack("adopter", "dev", { environment: "handmade", adopt: true, retain: false }).up();
      await assert.rejects(
        stack("adopter", "dev", { environment: "handmade", adopt: true, retain: false }).destroy(),
        /would also delete what this stack does not declare: variables BEFORE_ADOPT/,
      );
    });
  });
