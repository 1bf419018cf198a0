/**
 * One conformance suite of the seam's operations, run against each adapter with the emulator behind it: what
 * every protocol must do the same (gone objects, conflicts, versions), and where the seam allows a difference
 * (no version number on the platform), it says so here.
 */
import { strict as assert } from "node:assert";
import { hasCode, isConflict } from "../../provider/client";
import { createPlatosApi, PROTOCOLS, PROVIDER_KEY_CREDENTIAL_UNAVAILABLE, type PlatosApi } from "../../provider/platos";
import { platosWorld } from "../helpers/platos-world";
import { provideKeyMaterial } from "./support";

/** An update's declared configuration where the test declares none of it. */
const NO_CONFIG = {};

for (const protocol of PROTOCOLS) {
  describe(`PlatosApi conformance (${protocol})`, function () {
    this.timeout(60_000);
    const world = platosWorld();
    let api: PlatosApi;

    before(async () => {
      api = createPlatosApi((await world.accessOn(protocol)).settings, { retryPolicy: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    });

    it("environments: create, find, get, conflict, delete; a gone one reads undefined and deletes quietly", async () => {
      const made = await api.environments.create("default", { slug: "conf-env" });
      assert.equal(made.slug, "conf-env");
      assert.equal(made.name, "conf-env");
      assert.deepEqual(await api.environments.findBySlug("default", "conf-env"), await api.environments.get(made.id));
      assert.equal((await api.environments.findBySlug("default", "conf-env"))?.projectId, made.projectId);
      const twin = await api.environments.create("default", { slug: "conf-env" }).catch((e: unknown) => e);
      assert.ok(isConflict(twin), String(twin));
      await api.environments.delete(made.id);
      assert.equal(await api.environments.get(made.id), undefined);
      assert.equal(await api.environments.findBySlug("default", "conf-env"), undefined);
      await api.environments.delete(made.id);
    });

    it("variables: a secret is written, versioned, listed without its value and deleted; a gone one deletes quietly", async () => {
      const environment = await api.environments.create("default", { slug: "conf-vars" });
      const first = await api.variables.put(environment.id, "API_KEY", { value: "sk-conformance-1", secret: true });
      assert.deepEqual([first.kind, first.value, first.version], ["SECRET", null, 1]);
      const second = await api.variables.put(environment.id, "API_KEY", { value: "sk-conformance-2", secret: true });
      assert.equal(second.version, 2);
      const listed = await api.variables.list(environment.id);
      assert.deepEqual(
        listed.map((v) => [v.key, v.kind, v.value, v.version]),
        [["API_KEY", "SECRET", null, 2]],
      );
      assert.ok(!JSON.stringify(listed).includes("sk-conformance"));
      await api.variables.delete(environment.id, "API_KEY");
      assert.deepEqual(await api.variables.list(environment.id), []);
      await api.variables.delete(environment.id, "API_KEY");
      await api.environments.delete(environment.id);
      assert.deepEqual(await api.variables.list(environment.id), [], "a gone environment has no variables");
    });

    it("variables: a plain value reads back (on the platform through core-api, with the operator token)", async () => {
      const environment = await api.environments.create("default", { slug: "conf-plain" });
      const written = await api.variables.put(environment.id, "LOG_LEVEL", { value: "info" });
      assert.deepEqual([written.kind, written.value], ["PLAIN", "info"]);
      assert.deepEqual(
        (await api.variables.list(environment.id)).map((v) => [v.key, v.value]),
        [["LOG_LEVEL", "info"]],
      );
    });

    it("agents: create, find, get, update makes a version, delete; a gone one reads undefined and deletes quietly", async () => {
      const environment = await api.environments.create("default", { slug: "conf-agents" });
      const made = await api.agents.create(environment.id, {
        slug: "helper",
        name: "Helper",
        model: "anthropic:claude-haiku-4-5",
        systemPrompt: "Help.",
        maxSteps: 9,
      });
      assert.deepEqual([made.slug, made.name, made.systemPrompt, made.maxSteps, made.isActive], ["helper", "Helper", "Help.", 9, true]);
      assert.equal(made.versionNumber, protocol === "v1" ? 1 : null);
      assert.deepEqual(await api.agents.findBySlug(environment.id, "helper"), made);
      assert.deepEqual(await api.agents.get(environment.id, made.id), made);
      const blocks = [{ key: "tone", content: "Be brief." }];
      const declared = { systemPrompt: "Help.", promptBlocks: blocks, toolsBlockConfig: null, memoryConfig: null };
      const updated = await api.agents.update(environment.id, made.id, { maxSteps: 12, promptBlocks: blocks }, declared);
      assert.equal(updated.maxSteps, 12);
      assert.deepEqual(updated.promptBlocks, blocks);
      assert.equal(updated.systemPrompt, "Help.", "the declared prompt stays when only the blocks change (Platos would derive one from them)");
      assert.notEqual(updated.currentVersionId, made.currentVersionId, "a behaviour change makes a new version");
      assert.deepEqual(
        (await api.agents.list(environment.id)).map((a) => a.slug),
        ["helper"],
      );
      await api.agents.delete(environment.id, made.id);
      assert.equal(await api.agents.get(environment.id, made.id), undefined);
      await api.agents.delete(environment.id, made.id);
      await api.environments.delete(environment.id);
      assert.deepEqual(await api.agents.list(environment.id), [], "a gone environment has no agents");
    });

    it("provider keys: create, list, get, rotate, delete; a twin conflicts, a name with no credential is refused alike, a gone one reads undefined", async () => {
      const environment = await api.environments.create("default", { slug: "conf-keys" });
      await provideKeyMaterial(world.emulator, protocol, environment.id, { name: "KEY_A", provider: "openai", value: "sk-conformance-a" });
      await provideKeyMaterial(world.emulator, protocol, environment.id, { name: "KEY_B", provider: "openai", value: "sk-conformance-b" });
      // A PLAIN variable is no credential on V1, and no variable ever is on the platform.
      await api.variables.put(environment.id, "PLAIN_KEY", { value: "plain" });
      const made = await api.providerKeys.create(environment.id, { provider: "openai", label: "main", envVarName: "KEY_A", isDefault: true });
      assert.deepEqual([made.provider, made.label, made.envVarName, made.isDefault, made.environmentId], ["openai", "main", "KEY_A", true, environment.id]);
      assert.deepEqual(await api.providerKeys.list(environment.id), [made]);
      assert.deepEqual(await api.providerKeys.get(environment.id, made.id), made);
      const twin = await api.providerKeys.create(environment.id, { provider: "openai", label: "main", envVarName: "KEY_B" }).catch((e: unknown) => e);
      assert.ok(isConflict(twin), String(twin));
      const plain = await api.providerKeys.create(environment.id, { provider: "openai", label: "plain", envVarName: "PLAIN_KEY" }).catch((e: unknown) => e);
      assert.ok(hasCode(plain, PROVIDER_KEY_CREDENTIAL_UNAVAILABLE), String(plain));
      const rotated = await api.providerKeys.update(environment.id, made.id, { envVarName: "KEY_B", label: "rotated" });
      assert.deepEqual([rotated.id, rotated.envVarName, rotated.label], [made.id, "KEY_B", "rotated"]);
      await api.providerKeys.delete(environment.id, made.id);
      assert.equal(await api.providerKeys.get(environment.id, made.id), undefined);
      await api.providerKeys.delete(environment.id, made.id);
      await api.environments.delete(environment.id);
      assert.deepEqual(await api.providerKeys.list(environment.id), [], "a gone environment has no keys");
    });

    it("agents: an update of an agent that is gone is not-found", async () => {
      const environment = await api.environments.create("default", { slug: "conf-gone" });
      const made = await api.agents.create(environment.id, { slug: "ghost", name: "Ghost", model: "anthropic:claude-haiku-4-5" });
      await api.agents.delete(environment.id, made.id);
      const err = await api.agents.update(environment.id, made.id, { maxSteps: 3 }, NO_CONFIG).catch((e: unknown) => e);
      assert.equal((err as { title?: string }).title, "not_found", String(err));
    });
  });
}
