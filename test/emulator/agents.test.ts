import assert from "node:assert/strict";
import { AGENT_DEFAULTS, AgentResource, AgentVersionResource, DEFAULT_META_TOOLS, type Agent, type Environment } from "../../provider/client/schemas";
import { slugFromName } from "../../emulator/agent-behaviour";
import type { Api } from "./support";
import { collectionOf, createEnvironment, eachBackend, expectError, expectFieldError, itemOf, uniqueSlug } from "./support";

const MODEL = "anthropic:claude-sonnet-4-6";
const agentsUrl = (env: Environment, suffix = "") => `/api/v1/environments/${env.id}/agents${suffix}`;

async function createAgent(api: Api, env: Environment, body: Record<string, unknown> = {}): Promise<Agent> {
  return itemOf(await api.post(agentsUrl(env), { name: `Agent ${uniqueSlug("a")}`, model: MODEL, ...body }), AgentResource, 201);
}

describe("slugFromName", () => {
  for (const [name, slug] of [
    ["Support Bot", "support-bot"],
    ["  Café — Helper v2 ", "cafe-helper-v2"],
    ["UPPER_snake", "upper-snake"],
    ["x".repeat(70), "x".repeat(64)],
    [`${"a".repeat(63)} b`, "a".repeat(63)],
    ["!!!", undefined],
  ] as const) {
    it(`${JSON.stringify(name)} → ${JSON.stringify(slug)}`, () => assert.equal(slugFromName(name), slug));
  }
});

eachBackend("agents", (suite) => {
  it("creates an agent with the contract's defaults and version 1", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const agent = await createAgent(admin, env, { name: "Support Bot" });
    assert.equal(agent.slug, "support-bot");
    assert.equal(agent.environmentId, env.id);
    assert.equal(agent.projectId, env.projectId);
    assert.equal(agent.model, MODEL);
    assert.equal(agent.isActive, true);
    assert.equal(agent.versionNumber, 1);
    const { model: _model, ...behaviourDefaults } = { ...AGENT_DEFAULTS, model: MODEL };
    for (const [field, value] of Object.entries(behaviourDefaults)) assert.deepEqual(agent[field as keyof Agent], value, field);
    assert.deepEqual(agent.metaTools, {
      find_tools: true,
      execute_tools: true,
      remember: true,
      recall: true,
      forget: true,
      list_memories: true,
      relate: true,
      memory_extract: false,
      spawn_bgo: true,
      spawn_task: true,
      agent_batch: true,
    });
    assert.deepEqual(agent.maxSteps, 20);
    assert.deepEqual(agent.contextLimit, 20);
    const versions = collectionOf(await admin.get(agentsUrl(env, `/${agent.id}/versions`)), AgentVersionResource);
    assert.equal(versions.data.length, 1);
    assert.equal(versions.data[0]?.id, agent.currentVersionId);
    assert.equal(versions.data[0]?.versionNumber, 1);
  });

  it("keeps given fields, merges metaTools over the defaults and takes an explicit slug", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const agent = await createAgent(admin, env, {
      slug: "triage",
      systemPrompt: "Be brief.",
      promptBlocks: [{ key: "tone", content: "friendly", enabled: true }],
      metaTools: { spawn_bgo: false, memory_extract: true },
      featureFlags: { beta: true },
      outputSchema: { type: "object" },
      toolsBlockConfig: { tools: ["search"] },
      memoryConfig: { window: 10 },
      maxSteps: 50,
      contextLimit: 5,
      isActive: false,
    });
    assert.equal(agent.slug, "triage");
    assert.equal(agent.systemPrompt, "Be brief.");
    assert.deepEqual(agent.promptBlocks, [{ key: "tone", content: "friendly", enabled: true }]);
    assert.deepEqual(agent.metaTools, { ...DEFAULT_META_TOOLS, spawn_bgo: false, memory_extract: true });
    assert.deepEqual(agent.featureFlags, { beta: true });
    assert.deepEqual(agent.outputSchema, { type: "object" });
    assert.deepEqual(agent.toolsBlockConfig, { tools: ["search"] });
    assert.deepEqual(agent.memoryConfig, { window: 10 });
    assert.deepEqual([agent.maxSteps, agent.contextLimit, agent.isActive], [50, 5, false]);
    assert.deepEqual(itemOf(await admin.get(agentsUrl(env, `/${agent.id}`)), AgentResource), agent);
  });

  it("refuses a taken slug with 409 and never suffixes it", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    await createAgent(admin, env, { name: "Support Bot" });
    expectError(await admin.post(agentsUrl(env), { name: "Support Bot", model: MODEL }), "AGENTS_AGENT_ALREADY_EXISTS");
    expectError(await admin.post(agentsUrl(env), { name: "Other", slug: "support-bot", model: MODEL }), "AGENTS_AGENT_ALREADY_EXISTS");
    const listed = collectionOf(await admin.get(agentsUrl(env)), AgentResource);
    assert.deepEqual(
      listed.data.map((agent) => agent.slug),
      ["support-bot"],
    );
    const elsewhere = await createAgent(admin, await createEnvironment(admin), { name: "Support Bot" });
    assert.equal(elsewhere.slug, "support-bot", "slugs are per environment");
  });

  it("answers invalid fields with AGENTS_AGENT_METADATA_INVALID and fields", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "x", model: "claude" }, "model"],
      [{ name: "x" }, "model"],
      [{ model: MODEL }, "name"],
      [{ name: "", model: MODEL }, "name"],
      [{ name: "x", model: MODEL, maxSteps: 0 }, "maxSteps"],
      [{ name: "x", model: MODEL, contextLimit: 2.5 }, "contextLimit"],
      [{ name: "x", model: MODEL, metaTools: { teleport: true } }, "metaTools"],
      [{ name: "x", model: MODEL, promptBlocks: [{ key: "", content: "c" }] }, "promptBlocks.0.key"],
      [{ name: "x", model: MODEL, slug: "Bad Slug" }, "slug"],
    ];
    for (const [body, field] of cases) {
      expectFieldError(expectError(await admin.post(agentsUrl(env), body), "AGENTS_AGENT_METADATA_INVALID"), field);
    }
    expectFieldError(expectError(await admin.post(agentsUrl(env), { name: "!!!", model: MODEL }), "AGENTS_AGENT_METADATA_INVALID"), "slug", "required");
    assert.deepEqual(collectionOf(await admin.get(agentsUrl(env)), AgentResource).data, []);
  });

  it("versions behaviour changes only: a PATCH that changes nothing makes no version", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const agent = await createAgent(admin, env, { systemPrompt: "v1", metaTools: { spawn_bgo: false } });
    const patch = (body: Record<string, unknown>) => admin.patch(agentsUrl(env, `/${agent.id}`), body);

    const renamed = itemOf(await patch({ name: "Renamed", isActive: false }), AgentResource);
    assert.deepEqual([renamed.name, renamed.isActive, renamed.versionNumber, renamed.currentVersionId], ["Renamed", false, 1, agent.currentVersionId]);

    const unchanged = itemOf(await patch({ systemPrompt: "v1", metaTools: { spawn_bgo: false }, maxSteps: 20 }), AgentResource);
    assert.equal(unchanged.versionNumber, 1);
    assert.equal(unchanged.updatedAt, renamed.updatedAt);

    const changed = itemOf(await patch({ systemPrompt: "v2" }), AgentResource);
    assert.equal(changed.versionNumber, 2);
    assert.notEqual(changed.currentVersionId, agent.currentVersionId);
    assert.equal(changed.systemPrompt, "v2");
    assert.deepEqual(changed.metaTools, { ...DEFAULT_META_TOOLS, spawn_bgo: false }, "untouched fields are kept");

    const nulled = itemOf(await patch({ systemPrompt: null, maxSteps: 7 }), AgentResource);
    assert.deepEqual([nulled.versionNumber, nulled.systemPrompt, nulled.maxSteps], [3, null, 7]);

    const versions = collectionOf(await admin.get(agentsUrl(env, `/${agent.id}/versions`)), AgentVersionResource);
    assert.deepEqual(
      versions.data.map((version) => [version.versionNumber, version.snapshot.systemPrompt, version.snapshot.maxSteps]),
      [
        [1, "v1", 20],
        [2, "v2", 20],
        [3, null, 7],
      ],
    );
    assert.equal(versions.data[2]?.id, nulled.currentVersionId);
    const paged = collectionOf(await admin.get(agentsUrl(env, `/${agent.id}/versions?limit=2`)), AgentVersionResource);
    assert.deepEqual([paged.data.length, paged.page.hasMore], [2, true]);
  });

  it("refuses a slug in a PATCH as immutable and validates the rest", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const agent = await createAgent(admin, env);
    for (const body of [{ slug: "new-slug" }, { name: "", maxSteps: 500, slug: "new-slug" }]) {
      const error = expectError(await admin.patch(agentsUrl(env, `/${agent.id}`), body), "TRANSPORT_REQUEST_INVALID");
      assert.equal(error.fields?.[0]?.field, "slug", `the slug is the first field error for ${JSON.stringify(body)}`);
      expectFieldError(error, "slug", "immutable");
    }
    expectFieldError(expectError(await admin.patch(agentsUrl(env, `/${agent.id}`), { maxSteps: 500 }), "AGENTS_AGENT_METADATA_INVALID"), "maxSteps", "too_big");
    assert.equal(itemOf(await admin.get(agentsUrl(env, `/${agent.id}`)), AgentResource).slug, agent.slug);
  });

  it("lists with ?slug=, and 404s an agent asked for under another environment", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const other = await createEnvironment(admin);
    const a = await createAgent(admin, env);
    const b = await createAgent(admin, env);
    assert.deepEqual(collectionOf(await admin.get(agentsUrl(env, `?slug=${b.slug}`)), AgentResource).data, [b]);
    assert.deepEqual(collectionOf(await admin.get(agentsUrl(env, "?limit=1")), AgentResource).data, [a]);
    expectError(await admin.get(agentsUrl(other, `/${a.id}`)), "AGENTS_AGENT_NOT_FOUND");
    expectError(await admin.patch(agentsUrl(other, `/${a.id}`), { name: "x" }), "AGENTS_AGENT_NOT_FOUND");
    expectError(await admin.delete(agentsUrl(other, `/${a.id}`)), "AGENTS_AGENT_NOT_FOUND");
    expectError(await admin.get(agentsUrl(other, `/${a.id}/versions`)), "AGENTS_AGENT_NOT_FOUND");
  });

  it("DELETE removes the agent and its versions", async () => {
    const { admin, emulator } = suite();
    const env = await createEnvironment(admin);
    const agent = await createAgent(admin, env);
    assert.equal((await admin.delete(agentsUrl(env, `/${agent.id}`))).status, 204);
    expectError(await admin.get(agentsUrl(env, `/${agent.id}`)), "AGENTS_AGENT_NOT_FOUND");
    expectError(await admin.delete(agentsUrl(env, `/${agent.id}`)), "AGENTS_AGENT_NOT_FOUND");
    const [row] = await emulator.db.query<{ versions: number }>("SELECT count(*)::int AS versions FROM agent_versions WHERE agent_id = $1", [agent.id]);
    assert.equal(row?.versions, 0);
    await createAgent(admin, env, { slug: agent.slug });
  });

  it("gives concurrent behaviour changes distinct version numbers", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const agent = await createAgent(admin, env);
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => admin.patch(agentsUrl(env, `/${agent.id}`), { systemPrompt: `prompt ${i}` })));
    for (const reply of replies) itemOf(reply, AgentResource);
    const versions = collectionOf(await admin.get(agentsUrl(env, `/${agent.id}/versions`)), AgentVersionResource);
    assert.deepEqual(
      versions.data.map((version) => version.versionNumber),
      [1, 2, 3, 4, 5, 6, 7],
    );
    const current = itemOf(await admin.get(agentsUrl(env, `/${agent.id}`)), AgentResource);
    assert.equal(current.versionNumber, 7);
    assert.equal(current.currentVersionId, versions.data[6]?.id);
  });
});
