import assert from "node:assert/strict";
import { agentOfRecord } from "../../../provider/client/platform/agent-record";
import { AgentResource, DEFAULT_META_TOOLS } from "../../../provider/client/schemas";
import { collectionOf, expectError, itemOf, uniqueSlug } from "../support";
import { callTool, expectInternalError, platformSuite } from "./support";

const MODEL = "anthropic:claude-sonnet-4-6";

describe("platform tools: agents.*", () => {
  const suite = platformSuite();
  let dev: { id: string };
  let devToken: string;
  let stagingToken: string;
  before(async () => {
    dev = await suite().environment(uniqueSlug("dev"));
    devToken = await suite().mint(dev.id);
    stagingToken = await suite().mint((await suite().environment(uniqueSlug("staging"))).id);
  });

  const create = async (token: string, args: { name: string; slug?: string } & Record<string, unknown>) => {
    const result = await callTool(suite(), token, "agents.create", { model: MODEL, ...args });
    assert.ok(!("error" in result));
    return result;
  };

  it("creates version 1 bound in the token's environment, with Platos's defaults, readable over V1 too", async () => {
    const record = await create(devToken, { name: "Support Bot", slug: uniqueSlug("support") });
    assert.equal(record.environmentId, dev.id);
    assert.deepEqual([record.maxSteps, record.contextLimit, record.historyMode, record.toolMode, record.isActive], [20, 20, "rolling", "direct", true]);
    assert.deepEqual(record.metaTools, DEFAULT_META_TOOLS);
    const v1 = itemOf(await suite().admin.get(`/api/v1/environments/${dev.id}/agents/${record.id}`), AgentResource);
    assert.deepEqual(agentOfRecord(record), { ...v1, versionNumber: null });
  });

  it("makes the slug from the name when none is given", async () => {
    const name = `Helper ${uniqueSlug("n")}`;
    const record = await create(devToken, { name });
    assert.equal(record.slug, name.toLowerCase().replace(/[^a-z0-9]+/g, "-"));
  });

  it("translates prompt blocks both ways", async () => {
    const blocks = [
      { id: "tone", type: "custom", name: "tone", content: "friendly", enabled: true, editable: true, order: 0 },
      { id: "rules", type: "custom", name: "rules", content: "be brief", enabled: false, editable: true, order: 1 },
    ];
    const record = await create(devToken, { name: "Blocks", slug: uniqueSlug("blocks"), promptBlocks: blocks });
    assert.deepEqual(record.promptBlocks, blocks);
    const v1 = itemOf(await suite().admin.get(`/api/v1/environments/${dev.id}/agents/${record.id}`), AgentResource);
    assert.deepEqual(v1.promptBlocks, [
      { key: "tone", content: "friendly" },
      { key: "rules", content: "be brief", enabled: false },
    ]);
  });

  it("silently suffixes a slug taken anywhere in the project, even by an unbound agent", async () => {
    const slug = uniqueSlug("shared");
    const first = await create(devToken, { name: "Shared", slug });
    assert.equal(first.slug, slug);
    const twin = await create(stagingToken, { name: "Shared", slug });
    assert.match(twin.slug, new RegExp(`^${slug}-[0-9a-z]+$`));
    assert.deepEqual(await callTool(suite(), devToken, "agents.delete", { agentId: first.id }), { ok: true, agentId: first.id });
    const again = await create(devToken, { name: "Shared", slug });
    assert.notEqual(again.slug, slug, "an unbound agent keeps its slug taken");
  });

  it("agents.delete unbinds: gone from the environment (both protocols), ok:false the second time", async () => {
    const record = await create(devToken, { name: "Doomed", slug: uniqueSlug("doomed") });
    assert.deepEqual(await callTool(suite(), devToken, "agents.delete", { agentId: record.id }), { ok: true, agentId: record.id });
    assert.deepEqual(await callTool(suite(), devToken, "agents.delete", { agentId: record.id }), { ok: false, agentId: record.id });
    const listed = await callTool(suite(), devToken, "agents.list", {});
    assert.ok(!("error" in listed) && !listed.agents.some((agent) => agent.id === record.id));
    expectError(await suite().admin.get(`/api/v1/environments/${dev.id}/agents/${record.id}`), "AGENTS_AGENT_NOT_FOUND");
    assert.ok(!collectionOf(await suite().admin.get(`/api/v1/environments/${dev.id}/agents`), AgentResource).data.some((agent) => agent.id === record.id));
    await expectInternalError(suite(), devToken, "agents.get", { agentId: record.id });
  });

  it("lists newest first", async () => {
    const older = await create(devToken, { name: "Older", slug: uniqueSlug("older") });
    const newer = await create(devToken, { name: "Newer", slug: uniqueSlug("newer") });
    const listed = await callTool(suite(), devToken, "agents.list", { limit: 1 });
    assert.ok(!("error" in listed));
    const ids = listed.agents.map((agent) => agent.id);
    assert.ok(ids.indexOf(newer.id) < ids.indexOf(older.id), "limit is ignored, newest first");
  });

  it("updates: a changed config makes a new version, an unchanged update makes none", async () => {
    const record = await create(devToken, { name: "Versioned", slug: uniqueSlug("versioned"), systemPrompt: "v1" });
    const versions = async () =>
      collectionOf(await suite().admin.get(`/api/v1/environments/${dev.id}/agents/${record.id}/versions`), AgentResource.pick({ id: true })).data.length;
    const same = await callTool(suite(), devToken, "agents.update", { agentId: record.id, systemPrompt: "v1", maxSteps: 20 });
    assert.ok(!("error" in same));
    assert.equal(same.currentVersionId, record.currentVersionId);
    assert.equal(await versions(), 1);
    const changed = await callTool(suite(), devToken, "agents.update", { agentId: record.id, systemPrompt: "v2", name: "Renamed", slug: "ignored" });
    assert.ok(!("error" in changed));
    assert.notEqual(changed.currentVersionId, record.currentVersionId);
    assert.deepEqual([changed.systemPrompt, changed.name, changed.slug], ["v2", "Renamed", record.slug]);
    assert.equal(await versions(), 2);
  });

  it("throws (-32603) on an unknown agent", async () => {
    await expectInternalError(suite(), devToken, "agents.get", { agentId: "nope" });
    await expectInternalError(suite(), devToken, "agents.update", { agentId: "nope", name: "x" });
  });

  it("creates with a model and slug of any form, as Platos takes them (agent-crud.service.ts@a9710c92 L785-L806)", async () => {
    const slug = `Odd Slug/${uniqueSlug("x")}`;
    const created = await callTool(suite(), devToken, "agents.create", { name: "Bad model", model: "gpt", slug });
    assert.ok(!("error" in created));
    assert.deepEqual([created.model, created.slug], ["gpt", slug]);
  });

  it("updates with a model, name and step limits of any form, as Platos stores them; an empty model becomes the default (agent-crud.service.ts@a9710c92, update, versionData)", async () => {
    const agent = await create(devToken, { name: "Loose", slug: uniqueSlug("loose") });
    const odd = await callTool(suite(), devToken, "agents.update", { agentId: agent.id, name: "", model: "gpt", maxSteps: 500, contextLimit: 0 });
    assert.deepEqual([odd.name, odd.model, odd.maxSteps, odd.contextLimit], ["", "gpt", 500, 0]);
    const emptied = await callTool(suite(), devToken, "agents.update", { agentId: agent.id, model: "" });
    assert.equal(emptied.model, MODEL);
    const routed = await callTool(suite(), devToken, "agents.update", { agentId: agent.id, modelRoutes: [{ model: "openai:gpt-5", isDefault: true }] });
    assert.equal(routed.model, "openai:gpt-5");
  });
});
