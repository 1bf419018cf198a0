import assert from "node:assert/strict";
import {
  AgentResource,
  EnvironmentResource,
  EnvironmentVariableResource,
  ProjectResource,
  TokenResource,
  type Agent,
  type Environment,
} from "../../provider/client/schemas";
import { apiAs, collectionOf, createEnvironment, eachBackend, expectError, itemOf, uniqueSlug, type Api } from "./support";

const MODEL = "anthropic:claude-sonnet-4-6";

eachBackend("scoped tokens", (suite) => {
  let dev: Environment;
  let prod: Environment;
  let prodAgent: Agent;
  let devToken: string;
  let devApi: Api;

  const mint = async (name: string, project: string, environments: string[] | "*") =>
    itemOf(await suite().admin.post("/api/v1/tokens", { name, project, environments }), TokenResource, 201);

  before(async () => {
    const { admin, emulator } = suite();
    dev = await createEnvironment(admin, uniqueSlug("dev"));
    prod = await createEnvironment(admin, uniqueSlug("prod"));
    itemOf(await admin.put(`/api/v1/environments/${prod.id}/variables/DB_PASSWORD`, { value: "prod-secret", secret: true }), EnvironmentVariableResource, 201);
    prodAgent = itemOf(await admin.post(`/api/v1/environments/${prod.id}/agents`, { name: "Prod Bot", model: MODEL }), AgentResource, 201);
    devToken = (await mint("ci-dev", "default", [dev.slug])).token;
    devApi = apiAs(emulator.app, devToken);
  });

  it("reaches its own environment: read, write, agents, and lastUpdatedBy names the token", async () => {
    itemOf(await devApi.get(`/api/v1/environments/${dev.id}`), EnvironmentResource);
    const variable = itemOf(await devApi.put(`/api/v1/environments/${dev.id}/variables/FROM_CI`, { value: "1" }), EnvironmentVariableResource, 201);
    assert.equal(variable.lastUpdatedBy, "ci-dev");
    itemOf(await devApi.post(`/api/v1/environments/${dev.id}/agents`, { name: "Dev Bot", model: MODEL }), AgentResource, 201);
    itemOf(await devApi.patch(`/api/v1/environments/${dev.id}`, { name: "Development" }), EnvironmentResource);
  });

  it("is refused with 403 on every route of another environment", async () => {
    const base = `/api/v1/environments/${prod.id}`;
    const attempts = [
      devApi.get(base),
      devApi.patch(base, { name: "pwned" }),
      devApi.delete(base),
      devApi.get(`${base}/variables`),
      devApi.get(`${base}/variables/DB_PASSWORD`),
      devApi.put(`${base}/variables/DB_PASSWORD`, { value: "overwritten" }),
      devApi.delete(`${base}/variables/DB_PASSWORD`),
      devApi.get(`${base}/agents`),
      devApi.post(`${base}/agents`, { name: "Intruder", model: MODEL }),
      devApi.get(`${base}/agents/${prodAgent.id}`),
      devApi.patch(`${base}/agents/${prodAgent.id}`, { name: "pwned" }),
      devApi.delete(`${base}/agents/${prodAgent.id}`),
      devApi.get(`${base}/agents/${prodAgent.id}/versions`),
    ];
    for (const reply of await Promise.all(attempts)) expectError(reply, "TENANCY_ENVIRONMENT_FORBIDDEN");
    const { admin } = suite();
    const untouched = itemOf(await admin.get(`${base}/variables/DB_PASSWORD`), EnvironmentVariableResource);
    assert.equal(untouched.version, 1);
    assert.equal(itemOf(await admin.get(`${base}/agents/${prodAgent.id}`), AgentResource).name, "Prod Bot");
    assert.equal(itemOf(await admin.get(base), EnvironmentResource).name, prod.name);
  });

  it("cannot tell a missing environment from a forbidden one", async () => {
    const missing = "00000000-0000-0000-0000-000000000000";
    const forbidden = expectError(await devApi.get(`/api/v1/environments/${prod.id}/variables`), "TENANCY_ENVIRONMENT_FORBIDDEN");
    const unknown = expectError(await devApi.get(`/api/v1/environments/${missing}/variables`), "TENANCY_ENVIRONMENT_FORBIDDEN");
    assert.equal(unknown.body, forbidden.body);
    expectError(await devApi.get("/api/v1/projects/no-such-project"), "TENANCY_ENVIRONMENT_FORBIDDEN");
  });

  it("lists only its own environments and its own project", async () => {
    const environments = collectionOf(await devApi.get("/api/v1/projects/default/environments?limit=200"), EnvironmentResource);
    assert.deepEqual(
      environments.data.map((env) => env.id),
      [dev.id],
    );
    const filtered = collectionOf(await devApi.get(`/api/v1/projects/default/environments?slug=${prod.slug}`), EnvironmentResource);
    assert.deepEqual(filtered.data, []);
    const projects = collectionOf(await devApi.get("/api/v1/projects"), ProjectResource);
    assert.deepEqual(
      projects.data.map((project) => project.slug),
      ["default"],
    );
  });

  it('needs "*" to create or delete environments', async () => {
    expectError(await devApi.post("/api/v1/projects/default/environments", { slug: uniqueSlug() }), "TENANCY_ENVIRONMENT_FORBIDDEN");
    expectError(await devApi.delete(`/api/v1/environments/${dev.id}`), "TENANCY_ENVIRONMENT_FORBIDDEN");
    const star = apiAs(suite().emulator.app, (await mint("ops", "default", "*")).token);
    const created = itemOf(await star.post("/api/v1/projects/default/environments", { slug: uniqueSlug("ops") }), EnvironmentResource, 201);
    itemOf(await star.get(`/api/v1/environments/${prod.id}`), EnvironmentResource);
    assert.equal((await star.delete(`/api/v1/environments/${created.id}`)).status, 204);
  });

  it('reaches nothing in another project, even with "*"', async () => {
    const { admin, emulator } = suite();
    const other = itemOf(await admin.post("/api/v1/projects", { slug: uniqueSlug("other"), name: "Other" }), ProjectResource, 201);
    const otherApi = apiAs(emulator.app, (await mint("other", other.id, "*")).token);
    expectError(await otherApi.get("/api/v1/projects/default"), "TENANCY_ENVIRONMENT_FORBIDDEN");
    expectError(await otherApi.get("/api/v1/projects/default/environments"), "TENANCY_ENVIRONMENT_FORBIDDEN");
    expectError(await otherApi.get(`/api/v1/environments/${dev.id}/variables`), "TENANCY_ENVIRONMENT_FORBIDDEN");
    expectError(await otherApi.post("/api/v1/projects/default/environments", { slug: uniqueSlug() }), "TENANCY_ENVIRONMENT_FORBIDDEN");
    itemOf(await otherApi.post(`/api/v1/projects/${other.slug}/environments`, { slug: dev.slug }), EnvironmentResource, 201);
  });

  it("may not mint or revoke tokens; only the admin may", async () => {
    expectError(await devApi.post("/api/v1/tokens", { name: "escalate", project: "default", environments: "*" }), "TENANCY_ENVIRONMENT_FORBIDDEN");
    const victim = await mint("victim", "default", [dev.slug]);
    expectError(await devApi.delete(`/api/v1/tokens/${victim.id}`), "TENANCY_ENVIRONMENT_FORBIDDEN");
  });

  it("validates token requests", async () => {
    const { admin } = suite();
    expectError(await admin.post("/api/v1/tokens", { name: "x", project: "no-such-project", environments: "*" }), "TENANCY_NOT_FOUND");
    expectError(await admin.post("/api/v1/tokens", { name: "x", project: "default", environments: [] }), "TRANSPORT_REQUEST_INVALID");
    expectError(await admin.post("/api/v1/tokens", { name: "x", project: "default", environments: ["Not A Slug"] }), "TRANSPORT_REQUEST_INVALID");
    expectError(await admin.post("/api/v1/tokens", { name: "", project: "default", environments: "*" }), "TRANSPORT_REQUEST_INVALID");
    expectError(await admin.post("/api/v1/tokens", { name: "x", project: "default", environments: "all" }), "TRANSPORT_REQUEST_INVALID");
  });

  it("stops working once revoked (401), and a second revoke is 404", async () => {
    const { admin, emulator } = suite();
    const minted = await mint("short-lived", "default", [dev.slug]);
    const api = apiAs(emulator.app, minted.token);
    itemOf(await api.get(`/api/v1/environments/${dev.id}`), EnvironmentResource);
    assert.equal((await admin.delete(`/api/v1/tokens/${minted.id}`)).status, 204);
    expectError(await api.get(`/api/v1/environments/${dev.id}`), "UNAUTHENTICATED");
    expectError(await admin.delete(`/api/v1/tokens/${minted.id}`), "TENANCY_NOT_FOUND");
  });

  it("answers 401 to a missing, malformed or unknown token", async () => {
    const { emulator } = suite();
    expectError(await apiAs(emulator.app, undefined).get("/api/v1/projects"), "UNAUTHENTICATED");
    expectError(await apiAs(emulator.app, "plt_unknown").get("/api/v1/projects"), "UNAUTHENTICATED");
    expectError(
      await apiAs(emulator.app, undefined).request("GET", "/api/v1/projects", { headers: { authorization: `Basic ${devToken}` } }),
      "UNAUTHENTICATED",
    );
    expectError(await apiAs(emulator.app, `${emulator.adminToken}x`).get("/api/v1/projects"), "UNAUTHENTICATED");
  });

  it("keeps only a hash of each token", async () => {
    const { emulator } = suite();
    const rows = await emulator.db.query<{ row: string }>("SELECT t::text AS row FROM api_tokens t");
    assert.ok(rows.length > 0);
    for (const { row } of rows) assert.ok(!row.includes(devToken.slice(4)), "a token is stored in the clear");
  });
});
