import assert from "node:assert/strict";
import { collectionOf, uniqueSlug } from "../support";
import { EnvironmentVariableResource } from "../../../provider/client/schemas";
import { callTool, expectInternalError, platformSuite } from "./support";

describe("platform tools: environments.* and token scope", () => {
  const suite = platformSuite();
  let dev: { id: string; slug: string };
  let prod: { id: string; slug: string };
  let devToken: string;
  let prodToken: string;
  before(async () => {
    dev = await suite().environment(uniqueSlug("dev"));
    prod = await suite().environment("prod");
    devToken = await suite().mint(dev.id);
    prodToken = await suite().mint(prod.id);
  });

  it("lists the project's live environments by slug", async () => {
    const result = await callTool(suite(), devToken, "environments.list", {});
    assert.ok(!("error" in result));
    const slugs = result.environments.map((environment) => environment.slug);
    assert.deepEqual(slugs, [...slugs].sort());
    assert.ok(slugs.includes(dev.slug) && slugs.includes("prod"));
    assert.equal(result.count, slugs.length);
    assert.ok(result.environments.every((environment) => environment.archivedAt === null && environment.name.length > 0));
  });

  it("creates an environment in the token's project: slug trimmed and lower-cased, name = slug", async () => {
    const slug = uniqueSlug("new");
    const created = await callTool(suite(), devToken, "environments.create", { slug: `  ${slug.toUpperCase()} `, type: "STAGING" });
    assert.ok(!("error" in created));
    assert.deepEqual([created.slug, created.name], [slug, slug]);
    assert.deepEqual(await callTool(suite(), devToken, "environments.create", { slug }), { error: "slug_taken", slug });
    for (const bad of ["-x", "a".repeat(32), "a_b", "", "a-"])
      assert.deepEqual(await callTool(suite(), devToken, "environments.create", { slug: bad }), { error: "slug_invalid" }, bad);
  });

  it("deletes any environment of the project, refuses prod/production, and answers not_found outside it", async () => {
    const other = await callTool(suite(), devToken, "environments.create", { slug: uniqueSlug("gone") });
    assert.ok(!("error" in other));
    assert.deepEqual(await callTool(suite(), devToken, "environments.delete", { environmentId: other.id }), { archived: true });
    assert.deepEqual(await callTool(suite(), devToken, "environments.delete", { environmentId: other.id }), { archived: false, alreadyArchived: true });
    assert.deepEqual(await callTool(suite(), devToken, "environments.delete", { environmentId: prod.id }), { error: "production_env_protected" });
    const production = await callTool(suite(), devToken, "environments.create", { slug: "production" });
    assert.ok(!("error" in production));
    assert.deepEqual(await callTool(suite(), devToken, "environments.delete", { environmentId: production.id }), { error: "production_env_protected" });
    assert.deepEqual(await callTool(suite(), devToken, "environments.delete", { environmentId: "nope" }), { error: "not_found", environmentId: "nope" });

    const project = await suite().admin.post("/api/v1/projects", { slug: uniqueSlug("proj"), name: "Other" });
    const foreignEnv = await suite().admin.post(`/api/v1/projects/${(project.json as { data: { id: string } }).data.id}/environments`, { slug: "dev" });
    const foreignId = (foreignEnv.json as { data: { id: string } }).data.id;
    assert.deepEqual(await callTool(suite(), devToken, "environments.delete", { environmentId: foreignId }), { error: "not_found", environmentId: foreignId });
    const listed = await callTool(suite(), devToken, "environments.list", {});
    assert.ok(!("error" in listed) && !listed.environments.some((environment) => environment.id === foreignId), "nothing outside the project");
  });

  it("refuses to delete an environment with live agents bound (env_in_use)", async () => {
    const busy = await suite().environment(uniqueSlug("busy"));
    const busyToken = await suite().mint(busy.id);
    const agent = await callTool(suite(), busyToken, "agents.create", { name: "Busy", model: "anthropic:claude-sonnet-4-6", slug: uniqueSlug("busy") });
    assert.ok(!("error" in agent));
    assert.deepEqual(await callTool(suite(), devToken, "environments.delete", { environmentId: busy.id }), {
      error: "env_in_use",
      reason: "env_in_use_by_agents",
      count: 1,
    });
    assert.deepEqual(await callTool(suite(), busyToken, "agents.delete", { agentId: agent.id }), { ok: true, agentId: agent.id });
    assert.deepEqual(await callTool(suite(), devToken, "environments.delete", { environmentId: busy.id }), { archived: true });
  });

  describe("secrets: the token's own environment only", () => {
    it("sets SECRET variables, bumping the version as a string, and converts PLAIN", async () => {
      assert.deepEqual(await callTool(suite(), devToken, "environments.set_secret", { name: " API_KEY ", value: "s3cret" }), {
        ok: true,
        name: "API_KEY",
        version: "1",
      });
      assert.deepEqual(await callTool(suite(), devToken, "environments.set_secret", { name: "API_KEY", value: "s3cret" }), {
        ok: true,
        name: "API_KEY",
        version: "2",
      });
      await suite().admin.put(`/api/v1/environments/${dev.id}/variables/MODE`, { value: "fast" });
      assert.deepEqual(await callTool(suite(), devToken, "environments.set_secret", { name: "MODE", value: "slow" }), { ok: true, name: "MODE", version: "2" });
      const variables = collectionOf(await suite().admin.get(`/api/v1/environments/${dev.id}/variables`), EnvironmentVariableResource).data;
      assert.deepEqual(variables.find((variable) => variable.key === "MODE")?.kind, "SECRET");
    });

    it("lists names without values, ordered by key, PLAIN ones included", async () => {
      await suite().admin.put(`/api/v1/environments/${dev.id}/variables/A_PLAIN`, { value: "visible" });
      const result = await callTool(suite(), devToken, "environments.list_secrets", {});
      assert.ok(!("error" in result));
      const names = result.secrets.map((secret) => secret.name);
      assert.deepEqual(names, [...names].sort());
      assert.deepEqual(
        result.secrets.find((secret) => secret.name === "A_PLAIN"),
        { ...result.secrets.find((secret) => secret.name === "A_PLAIN"), isSecret: false, version: "1" },
      );
      assert.ok(!JSON.stringify(result).includes("visible") && !JSON.stringify(result).includes("s3cret"));
    });

    it("answers name_invalid, value_required and value_too_long as results", async () => {
      assert.deepEqual(await callTool(suite(), devToken, "environments.set_secret", { name: "lower", value: "v" }), { error: "name_invalid" });
      assert.deepEqual(await callTool(suite(), devToken, "environments.set_secret", { name: "OK", value: "" }), { error: "value_required" });
      assert.deepEqual(await callTool(suite(), devToken, "environments.set_secret", { name: "OK", value: "x".repeat(8193) }), { error: "value_too_long" });
      assert.deepEqual(await callTool(suite(), devToken, "environments.delete_secret", { name: "9X" }), { error: "name_invalid" });
    });

    it("deletes idempotently", async () => {
      await callTool(suite(), devToken, "environments.set_secret", { name: "TEMP", value: "t" });
      assert.deepEqual(await callTool(suite(), devToken, "environments.delete_secret", { name: "TEMP" }), { deleted: true, name: "TEMP" });
      assert.deepEqual(await callTool(suite(), devToken, "environments.delete_secret", { name: "TEMP" }), { deleted: false, name: "TEMP" });
    });

    it("a token pinned to dev cannot read or write prod's secrets or agents", async () => {
      await callTool(suite(), prodToken, "environments.set_secret", { name: "PROD_ONLY", value: "p" });
      const prodAgent = await callTool(suite(), prodToken, "agents.create", { name: "Prod", model: "anthropic:claude-sonnet-4-6", slug: uniqueSlug("prod") });
      assert.ok(!("error" in prodAgent));
      const devSecrets = await callTool(suite(), devToken, "environments.list_secrets", {});
      assert.ok(!("error" in devSecrets) && !devSecrets.secrets.some((secret) => secret.name === "PROD_ONLY"));
      assert.deepEqual(await callTool(suite(), devToken, "environments.delete_secret", { name: "PROD_ONLY" }), { deleted: false, name: "PROD_ONLY" });
      const prodSecrets = await callTool(suite(), prodToken, "environments.list_secrets", {});
      assert.ok(!("error" in prodSecrets) && prodSecrets.secrets.some((secret) => secret.name === "PROD_ONLY"), "still there");

      await expectInternalError(suite(), devToken, "agents.get", { agentId: prodAgent.id });
      await expectInternalError(suite(), devToken, "agents.update", { agentId: prodAgent.id, name: "Hijacked" });
      assert.deepEqual(await callTool(suite(), devToken, "agents.delete", { agentId: prodAgent.id }), { ok: false, agentId: prodAgent.id });
      const devAgents = await callTool(suite(), devToken, "agents.list", {});
      assert.ok(!("error" in devAgents) && !devAgents.agents.some((agent) => agent.id === prodAgent.id));
    });
  });
});
