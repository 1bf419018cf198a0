/**
 * Renaming an environment as the Platos docs advise ("add an environment, migrate, then drop the old one"), run
 * through the stack harness on each protocol: a slug change creates the new environment, moves the declared
 * variables and agent into it, and deletes the old objects last, so the old environment keeps its variables until
 * the new one has them. On real Platos, a renamed prod cannot be dropped, and the error says what to do.
 */
import { strict as assert } from "node:assert";
import { join, resolve } from "node:path";
import { freshProgram } from "./program-loader";
import { StackHarness } from "./stack-harness";
import { platosWorld } from "../helpers/platos-world";
import type { RecordedRequest } from "../helpers/request-recorder";
import { PROTOCOLS } from "../../provider/platos";

const isDelete = (r: RecordedRequest) => r.method === "DELETE" || /delete/.test(r.rpc?.tool ?? "");

for (const protocol of PROTOCOLS)
  describe(`e2e (${protocol}): renaming an environment`, function () {
    this.timeout(600_000);
    const world = platosWorld({ protocol });

    const stack = (name: string, environment: string) =>
      new StackHarness({
        project: "platos-rename",
        stack: name,
        program: freshProgram(join(__dirname, "fixtures", "rename-program.ts")),
        programDir: resolve(__dirname, "../.."),
        stateFile: join(world.work, `rename-${name}.state.json`),
        passphrase: "rename",
        config: {
          ...world.platosConfig,
          "platos:environment": environment,
          "platos-rename:environment": environment,
          "platos-rename:apiKey": `sk-rename-${name}`,
        },
        secretKeys: ["platos:token", "platos:operatorToken", "platos-rename:apiKey"],
        policyPackDir: resolve(__dirname, "../../policy"),
      });

    const contents = async (slug: string) => {
      const environment = await world.admin.environments.findBySlug("default", slug);
      if (!environment) return undefined;
      const variables = (await world.admin.variables.list(environment.id)).map((v) => v.key).sort();
      const agents = (await world.admin.agents.list(environment.id)).map((a) => a.slug);
      return { variables, agents };
    };

    it("a slug change makes the new environment and its objects first, and drops the old ones last", async () => {
      await stack("team", "blue").up();
      assert.deepEqual(await contents("blue"), { variables: ["LOG_LEVEL", "SERVICE_API_KEY"], agents: ["helper-blue"] });

      world.recorder.reset();
      const renamed = await stack("team", "green").up();
      const steps = renamed.steps.filter((s) => s.kind !== "same").map((s) => `${s.kind} ${s.urn.split("::").pop()}`);
      // The environment first, then its dependents (in any order), then the old objects, the old environment last.
      const [first, moved, dropped, last] = [steps[0], steps.slice(1, 4).sort(), steps.slice(4, 7).sort(), steps[7]];
      assert.equal(steps.length, 8, JSON.stringify(steps));
      assert.deepEqual(
        [first, moved, dropped, last],
        [
          "replace environment",
          ["replace api-key", "replace helper", "replace log-level"],
          ["delete api-key", "delete helper", "delete log-level"],
          "delete environment",
        ],
      );
      // The old environment kept its variables until the new one had them: every delete came after every write.
      const writes = world.recorder.writes();
      const firstDelete = writes.findIndex(isDelete);
      assert.ok(firstDelete > 0, JSON.stringify(writes));
      assert.ok(writes.slice(firstDelete).every(isDelete), JSON.stringify(writes));

      assert.deepEqual(await contents("green"), { variables: ["LOG_LEVEL", "SERVICE_API_KEY"], agents: ["helper-green"] });
      assert.equal(await contents("blue"), undefined);
      await stack("team", "green").destroy();
    });

    if (protocol === "platform") {
      it("renaming prod: the new environment is made and filled, and Platos's refusal to drop prod says what to do", async () => {
        await stack("prod", "prod").up();
        const err = await stack("prod", "prod-eu")
          .up()
          .catch((e: unknown) => e);
        assert.ok(err instanceof Error);
        assert.match(err.message, /refuses to delete an environment whose slug is prod/);
        assert.match(err.message, /retainOnDelete: true/);
        assert.deepEqual(await contents("prod-eu"), { variables: ["LOG_LEVEL", "SERVICE_API_KEY"], agents: ["helper-prod-eu"] });
        assert.deepEqual(await contents("prod"), { variables: [], agents: [] }, "prod itself stays, emptied of what moved");
      });
    }
  });
