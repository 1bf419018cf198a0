/**
 * Text PostgreSQL cannot store (U+0000, a lone UTF-16 surrogate) is refused at the request boundary: 400
 * TRANSPORT_REQUEST_INVALID naming the field on the V1 contract and core-api, -32602 on the platform gateway; never
 * a 500 or a -32603, and nothing is written.
 */
import assert from "node:assert/strict";
import { AgentResource, EnvironmentResource, EnvironmentVariableResource } from "../../provider/client/schemas";
import { OrganizationResource } from "../../provider/client/platform/core-api";
import { InvalidArgumentsData, RPC_ERRORS } from "../../provider/client/platform/jsonrpc";
import type { ErrorCode } from "../../provider/client/error-codes";
import { collectionOf, createEnvironment, eachBackend, expectError, expectFieldError, itemOf, uniqueSlug, type Api, type Reply } from "./support";
import { callTool, platformSuite, rpcError, toolCall } from "./platform/support";

const MODEL = "anthropic:claude-sonnet-4-6";
const NUL = "\u0000";
const LONE_SURROGATE = "\uD800";

/**
 * The refusal: 400 with the route's code for that field (TRANSPORT_REQUEST_INVALID when it has none), a field error
 * on `field` coded unstorable_text, and no echo of the text.
 */
function expectUnstorable(reply: Reply, field: string, code: ErrorCode = "TRANSPORT_REQUEST_INVALID"): void {
  const error = expectError(reply, code);
  expectFieldError(error, field, "unstorable_text");
  assert.ok(!reply.text.includes("\\u0000") && !reply.text.toLowerCase().includes("\\ud800"), `the refusal echoes the text: ${reply.text}`);
}

const environmentSlugs = async (api: Api, prefix = ""): Promise<string[]> =>
  collectionOf(await api.get(`${prefix}/api/v1/projects/default/environments?limit=200`), EnvironmentResource).data.map((environment) => environment.slug);

eachBackend("unstorable text", (suite) => {
  let environment: { id: string };
  let agentCount: number;
  const agents = async () => collectionOf(await suite().admin.get(`/api/v1/environments/${environment.id}/agents?limit=200`), AgentResource).data;

  before(async () => {
    environment = await createEnvironment(suite().admin, uniqueSlug("text"));
    itemOf(await suite().admin.post(`/api/v1/environments/${environment.id}/agents`, { name: "Kept", model: MODEL }), AgentResource, 201);
    agentCount = (await agents()).length;
  });

  it("V1: a NUL in an environment slug or name is 400 and creates nothing", async () => {
    const { admin } = suite();
    const before = await environmentSlugs(admin);
    const slug = uniqueSlug("nul");
    expectUnstorable(await admin.post("/api/v1/projects/default/environments", { slug: `${slug}${NUL}x` }), "slug", "TENANCY_INVALID_SLUG");
    expectUnstorable(await admin.post("/api/v1/projects/default/environments", { slug, name: `Bad${NUL}Name` }), "name", "TENANCY_INVALID_NAME");
    expectUnstorable(await admin.patch(`/api/v1/environments/${environment.id}`, { name: `Bad${NUL}Name` }), "name", "TENANCY_INVALID_NAME");
    assert.deepEqual(await environmentSlugs(admin), before);
  });

  it("V1: a NUL in a variable key (path) or value (body) is 400 and writes nothing", async () => {
    const { admin } = suite();
    const base = `/api/v1/environments/${environment.id}/variables`;
    expectUnstorable(await admin.put(`${base}/KEY%00X`, { value: "1" }), "key", "ENVIRONMENT_VARIABLE_KEY_INVALID");
    expectUnstorable(await admin.put(`${base}/PLAIN_KEY`, { value: `a${NUL}b` }), "value");
    const keys = collectionOf(await admin.get(`${base}?limit=200`), EnvironmentVariableResource).data.map((variable) => variable.key);
    assert.ok(!keys.includes("PLAIN_KEY"), `written: ${keys.join(",")}`);
  });

  it("V1: a NUL in an agent id in the path is 400", async () => {
    const { admin } = suite();
    const base = `/api/v1/environments/${environment.id}/agents`;
    expectUnstorable(await admin.get(`${base}/agent%00id`), "agentId");
    expectUnstorable(await admin.patch(`${base}/agent%00id`, { name: "x" }), "agentId");
    expectUnstorable(await admin.delete(`${base}/agent%00id`), "agentId");
    expectUnstorable(await admin.get(`/api/v1/environments/env%00id/agents`), "environmentId");
  });

  it("V1: a lone surrogate in an agent prompt is 400 and creates nothing; a paired one is stored", async () => {
    const { admin } = suite();
    const base = `/api/v1/environments/${environment.id}/agents`;
    expectUnstorable(
      await admin.post(base, { name: "Prompted", model: MODEL, systemPrompt: `hello ${LONE_SURROGATE} there` }),
      "systemPrompt",
      "AGENTS_AGENT_METADATA_INVALID",
    );
    expectUnstorable(
      await admin.post(base, { name: "Prompted", model: MODEL, systemPrompt: `low \uDC00 first` }),
      "systemPrompt",
      "AGENTS_AGENT_METADATA_INVALID",
    );
    assert.equal((await agents()).length, agentCount);
    const paired = itemOf(await admin.post(base, { name: "Emoji", model: MODEL, systemPrompt: "say \uD83D\uDE00" }), AgentResource, 201);
    assert.equal(paired.systemPrompt, "say \uD83D\uDE00");
    agentCount += 1;
  });

  it("core-api: a NUL or lone surrogate in a project, a variable value, an environment id or a by-slugs query is 400", async () => {
    const { admin } = suite();
    const [organization] = collectionOf(await admin.get("/core/api/v1/organizations"), OrganizationResource).data;
    assert.ok(organization);
    const before = await environmentSlugs(admin);
    const slug = uniqueSlug("core");
    const project = { organizationId: organization.id, name: `Core${NUL}`, slug, environmentName: "Production", environmentSlug: "production" };
    // core-api's project creation is served at the root, beside the V1 body (routes/projects.ts).
    expectUnstorable(await admin.post("/api/v1/projects", project), "name", "TENANCY_INVALID_NAME");
    expectUnstorable(
      await admin.post("/api/v1/projects", { ...project, name: "Core", environmentSlug: `prod${LONE_SURROGATE}` }),
      "environmentSlug",
      "TENANCY_INVALID_SLUG",
    );
    assert.equal((await admin.get("/core/api/v1/projects")).text.includes(slug), false);
    expectUnstorable(await admin.put(`/core/api/v1/environments/${environment.id}/variables/CORE_KEY`, { value: `v${NUL}` }), "value");
    expectUnstorable(await admin.get(`/core/api/v1/environments/env%00id/variables`), "environmentId");
    expectUnstorable(await admin.get(`/core/api/v1/environments/by-slugs?organizationSlug=org%00&projectSlug=default&environmentSlug=x`), "organizationSlug");
    assert.deepEqual(await environmentSlugs(admin), before);
  });
});

describe("unstorable text: the platform gateway answers -32602", () => {
  const suite = platformSuite();
  let token: string;
  let environmentId: string;
  before(async () => {
    environmentId = (await suite().environment(uniqueSlug("gw"))).id;
    token = await suite().mint(environmentId);
  });

  async function expectInvalidParams(name: string, args: Record<string, unknown>, path: string): Promise<void> {
    const error = rpcError(await suite().rpc(token, toolCall(name, args)), RPC_ERRORS.INVALID_PARAMS, `invalid arguments for tool '${name}'`);
    const data = InvalidArgumentsData.parse(error.data);
    assert.ok(
      data.errors.some((entry) => entry.path === path),
      `no error at ${path}: ${JSON.stringify(data.errors)}`,
    );
    assert.ok(!JSON.stringify(error).includes("\\u0000"), "the refusal echoes the text");
  }

  it("refuses a NUL in an environment slug, a secret name or an agent id, and a lone surrogate in a prompt; nothing is written", async () => {
    const agentsBefore = await callTool(suite(), token, "agents.list", {});
    const secretsBefore = await callTool(suite(), token, "environments.list_secrets", {});
    const environmentsBefore = await callTool(suite(), token, "environments.list", {});
    await expectInvalidParams("environments.create", { slug: `gw${NUL}x` }, "slug");
    await expectInvalidParams("environments.set_secret", { name: `KEY${NUL}X`, value: "v" }, "name");
    await expectInvalidParams("environments.set_secret", { name: "GW_SECRET", value: `v${NUL}` }, "value");
    await expectInvalidParams("agents.get", { agentId: `agent${NUL}id` }, "agentId");
    await expectInvalidParams("agents.create", { name: "Prompted", model: MODEL, systemPrompt: `hi ${LONE_SURROGATE}` }, "systemPrompt");
    assert.deepEqual(await callTool(suite(), token, "agents.list", {}), agentsBefore);
    assert.deepEqual(await callTool(suite(), token, "environments.list_secrets", {}), secretsBefore);
    assert.deepEqual(await callTool(suite(), token, "environments.list", {}), environmentsBefore);
  });
});
