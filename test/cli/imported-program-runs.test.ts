/**
 * A program `pulumi-platos import` writes runs, whatever names the server's maps hold: an agent whose featureFlags,
 * outputSchema and memoryConfig have keys that are also Object.prototype's names (`toString`, `constructor`,
 * `hasOwnProperty`, `valueOf`) is imported, then the generated file is run through the stack harness (the real SDK,
 * provider host and policy pack): preview and up adopt the agent as it is, a second up writes nothing, and the maps
 * read back from Platos unchanged.
 *
 * Platos takes any string as a flag name: `UpdateAgentDto.featureFlags` is a `Record<string, boolean>` stored as
 * sent, and the snapshot reads it back verbatim (apps/agent/src/agent-runtime/agent-crud.service.ts@15644878,
 * `update`, `buildSnapshot`); outputSchema and memoryConfig are free JSON objects the same way.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { renderProgram } from "../../provider/cli/render-program";
import { readSnapshot } from "../../provider/cli/snapshot";
import { createPlatosApi, PROTOCOLS } from "../../provider/platos";
import { freshProgram } from "../e2e/program-loader";
import { StackHarness } from "../e2e/stack-harness";
import { platosWorld } from "../helpers/platos-world";
import { stackConfig } from "../platos/support";

const root = resolve(__dirname, "../..");

/** Keys every plain object inherits: an `obj[key]` or `key in obj` on a plain object finds them without any flag. */
const PROTOTYPE_NAMES = ["toString", "constructor", "hasOwnProperty", "valueOf", "isPrototypeOf"];

const featureFlags = Object.fromEntries(PROTOTYPE_NAMES.map((name, i) => [name, i % 2 === 0]));
const outputSchema = {
  type: "object",
  properties: Object.fromEntries(PROTOTYPE_NAMES.map((name) => [name, { type: "string", description: `the ${name} field` }])),
  required: ["toString"],
};
const memoryConfig = { enabled: true, toString: "custom", constructor: { hasOwnProperty: 1 } };

for (const protocol of PROTOCOLS) {
  describe(`pulumi-platos import (${protocol}): a program for maps whose keys are Object.prototype's names runs`, function () {
    this.timeout(300_000);
    const world = platosWorld();

    it("previews, adopts with no write to the agent, and a second up writes nothing; the maps read back as they were", async () => {
      const slug = `protokeys-${protocol}`;
      const access = await world.accessOn(protocol, { home: slug });
      const environment = (await world.admin.environments.findBySlug("default", slug)) ?? (await world.admin.environments.create("default", { slug }));
      await world.admin.agents.create(environment.id, {
        slug: "flags",
        name: "Flags",
        model: "anthropic:claude-sonnet-4-6",
        featureFlags,
        outputSchema,
        memoryConfig,
      });
      const before = (await world.admin.agents.list(environment.id))[0]!;

      const snapshot = await readSnapshot(createPlatosApi(access.settings), "default", slug);
      const dir = join(root, "test", "e2e", ".generated", `import-keys-${protocol}-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      try {
        writeFileSync(join(dir, "index.ts"), renderProgram(snapshot));
        const stack = () =>
          new StackHarness({
            project: "platos-import-keys",
            stack: slug,
            program: freshProgram(join(dir, "index.ts")),
            programDir: root,
            stateFile: join(world.work, `keys-${protocol}.state.json`),
            passphrase: "keys",
            config: stackConfig(access.settings),
            secretKeys: ["platos:token", "platos:operatorToken"],
            policyPackDir: join(root, "policy"),
          });

        const preview = await stack().preview();
        assert.ok(preview.steps.length > 0 && preview.steps.every((s) => s.kind === "create"), JSON.stringify(preview.steps));

        world.recorder.reset();
        await stack().up();
        const after = (await world.admin.agents.list(environment.id))[0]!;
        assert.equal(after.id, before.id, "adopted, not recreated");
        assert.equal(after.currentVersionId, before.currentVersionId, "adopting changed nothing, so no new version");
        assert.deepEqual(after.featureFlags, featureFlags);
        assert.deepEqual(after.outputSchema, outputSchema);
        assert.deepEqual(after.memoryConfig, memoryConfig);

        world.recorder.reset();
        await stack().up();
        assert.deepEqual(world.recorder.writes(), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
