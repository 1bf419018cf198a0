import assert from "node:assert/strict";
import { AgentResource, EnvironmentResource, EnvironmentVariableResource, ProjectResource } from "../../provider/client/schemas";
import { collectionOf, createEnvironment, eachBackend, expectError, expectFieldError, itemOf, uniqueSlug } from "./support";

eachBackend("environments", (suite) => {
  it("creates an environment whose name defaults to its slug, and reads it back", async () => {
    const { admin } = suite();
    const project = itemOf(await admin.get("/api/v1/projects/default"), ProjectResource);
    const slug = uniqueSlug();
    const created = itemOf(await admin.post("/api/v1/projects/default/environments", { slug }), EnvironmentResource, 201);
    assert.equal(created.slug, slug);
    assert.equal(created.name, slug);
    assert.equal(created.projectId, project.id);
    assert.deepEqual(itemOf(await admin.get(`/api/v1/environments/${created.id}`), EnvironmentResource), created);
    const named = itemOf(await admin.post(`/api/v1/projects/${project.id}/environments`, { slug: uniqueSlug(), name: "Staging EU" }), EnvironmentResource, 201);
    assert.equal(named.name, "Staging EU");
  });

  it("lists live environments and filters them by ?slug=", async () => {
    const { admin } = suite();
    const a = await createEnvironment(admin);
    const b = await createEnvironment(admin);
    const all = collectionOf(await admin.get("/api/v1/projects/default/environments?limit=200"), EnvironmentResource);
    assert.ok(all.data.some((env) => env.id === a.id) && all.data.some((env) => env.id === b.id));
    const one = collectionOf(await admin.get(`/api/v1/projects/default/environments?slug=${b.slug}`), EnvironmentResource);
    assert.deepEqual(one.data, [b]);
    const none = collectionOf(await admin.get(`/api/v1/projects/default/environments?slug=${uniqueSlug("missing")}`), EnvironmentResource);
    assert.deepEqual(none.data, []);
    expectError(await admin.get("/api/v1/projects/default/environments?slug=Bad_Slug"), "TRANSPORT_REQUEST_INVALID");
  });

  it("pages through environments", async () => {
    const { admin } = suite();
    const project = itemOf(await admin.post("/api/v1/projects", { slug: uniqueSlug("paging"), name: "Paging" }), ProjectResource, 201);
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await createEnvironment(admin, uniqueSlug(), project.slug));
    const first = collectionOf(await admin.get(`/api/v1/projects/${project.slug}/environments?limit=3`), EnvironmentResource);
    assert.equal(first.page.hasMore, true);
    assert.ok(first.page.nextCursor);
    const second = collectionOf(
      await admin.get(`/api/v1/projects/${project.slug}/environments?limit=3&cursor=${encodeURIComponent(first.page.nextCursor)}`),
      EnvironmentResource,
    );
    assert.equal(second.page.hasMore, false);
    assert.equal(second.page.nextCursor, null);
    assert.deepEqual(
      [...first.data, ...second.data].map((env) => env.id),
      created.map((env) => env.id),
    );
  });

  it("refuses a taken slug, a bad slug and a bad name", async () => {
    const { admin } = suite();
    const existing = await createEnvironment(admin);
    expectError(await admin.post("/api/v1/projects/default/environments", { slug: existing.slug }), "TENANCY_SLUG_TAKEN");
    expectFieldError(expectError(await admin.post("/api/v1/projects/default/environments", { slug: "-dev" }), "TENANCY_INVALID_SLUG"), "slug");
    expectFieldError(expectError(await admin.post("/api/v1/projects/default/environments", {}), "TENANCY_INVALID_SLUG"), "slug", "invalid_type");
    expectFieldError(expectError(await admin.post("/api/v1/projects/default/environments", { slug: uniqueSlug(), name: "" }), "TENANCY_INVALID_NAME"), "name");
    expectError(await admin.post("/api/v1/projects/no-such-project/environments", { slug: uniqueSlug() }), "TENANCY_NOT_FOUND");
  });

  it("allows the same slug in another project", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const other = itemOf(await admin.post("/api/v1/projects", { slug: uniqueSlug("other"), name: "Other" }), ProjectResource, 201);
    const twin = await createEnvironment(admin, env.slug, other.slug);
    assert.notEqual(twin.id, env.id);
    assert.equal(twin.projectId, other.id);
  });

  it("renames with PATCH, and refuses a slug in the body as immutable", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const renamed = itemOf(await admin.patch(`/api/v1/environments/${env.id}`, { name: "Renamed" }), EnvironmentResource);
    assert.equal(renamed.name, "Renamed");
    assert.equal(renamed.slug, env.slug);
    assert.ok(renamed.updatedAt >= env.updatedAt);
    const error = expectError(await admin.patch(`/api/v1/environments/${env.id}`, { name: "x", slug: "other" }), "TRANSPORT_REQUEST_INVALID");
    expectFieldError(error, "slug", "immutable");
    expectFieldError(expectError(await admin.patch(`/api/v1/environments/${env.id}`, { name: "" }), "TENANCY_INVALID_NAME"), "name");
    expectError(await admin.patch("/api/v1/environments/00000000-0000-0000-0000-000000000000", { name: "x" }), "TENANCY_NOT_FOUND");
    assert.equal(itemOf(await admin.get(`/api/v1/environments/${env.id}`), EnvironmentResource).slug, env.slug);
  });

  it("answers a slug in a PATCH body as immutable whatever else the body holds", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    for (const body of [
      { slug: "other" },
      { slug: "other", name: "Renamed" },
      { slug: "other", name: "" },
      { name: "", slug: env.slug },
      { slug: "Bad_Slug" },
    ]) {
      const error = expectError(await admin.patch(`/api/v1/environments/${env.id}`, body), "TRANSPORT_REQUEST_INVALID");
      expectFieldError(error, "slug", "immutable");
      assert.equal(error.fields?.[0]?.field, "slug", `the slug is the first field error for ${JSON.stringify(body)}`);
    }
    assert.deepEqual(itemOf(await admin.get(`/api/v1/environments/${env.id}`), EnvironmentResource), env);
  });

  it("DELETE archives the environment, frees its slug and deletes its variables and agents", async () => {
    const { admin, emulator } = suite();
    const env = await createEnvironment(admin);
    itemOf(await admin.put(`/api/v1/environments/${env.id}/variables/GONE`, { value: "x" }), EnvironmentVariableResource, 201);
    itemOf(await admin.post(`/api/v1/environments/${env.id}/agents`, { name: "Gone", model: "anthropic:claude-sonnet-4-6" }), AgentResource, 201);

    const deleted = await admin.delete(`/api/v1/environments/${env.id}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, "");
    expectError(await admin.get(`/api/v1/environments/${env.id}`), "TENANCY_NOT_FOUND");
    expectError(await admin.get(`/api/v1/environments/${env.id}/variables`), "TENANCY_NOT_FOUND");
    expectError(await admin.delete(`/api/v1/environments/${env.id}`), "TENANCY_NOT_FOUND");
    const listed = collectionOf(await admin.get(`/api/v1/projects/default/environments?slug=${env.slug}`), EnvironmentResource);
    assert.deepEqual(listed.data, []);

    const [counts] = await emulator.db.query<{ variables: number; agents: number; archived: boolean }>(
      `SELECT (SELECT count(*)::int FROM variables WHERE environment_id = $1) AS variables,
              (SELECT count(*)::int FROM agents WHERE environment_id = $1) AS agents,
              (SELECT archived_at IS NOT NULL FROM environments WHERE id = $1) AS archived`,
      [env.id],
    );
    assert.deepEqual(counts, { variables: 0, agents: 0, archived: true });

    const reborn = await createEnvironment(admin, env.slug);
    assert.notEqual(reborn.id, env.id);
    assert.deepEqual(collectionOf(await admin.get(`/api/v1/environments/${reborn.id}/variables`), EnvironmentVariableResource).data, []);
  });

  it("answers 404 TENANCY_NOT_FOUND to the admin for an unknown environment id", async () => {
    const { admin } = suite();
    expectError(await admin.get("/api/v1/environments/not-an-id"), "TENANCY_NOT_FOUND");
    expectError(await admin.delete("/api/v1/environments/not-an-id"), "TENANCY_NOT_FOUND");
  });

  it("gives exactly one environment when two creates with one slug race", async () => {
    const { admin } = suite();
    const slug = uniqueSlug("race");
    const replies = await Promise.all(Array.from({ length: 6 }, () => admin.post("/api/v1/projects/default/environments", { slug })));
    assert.deepEqual(replies.map((reply) => reply.status).sort(), [201, 409, 409, 409, 409, 409]);
    for (const reply of replies.filter((r) => r.status === 409)) expectError(reply, "TENANCY_SLUG_TAKEN");
    assert.equal(collectionOf(await admin.get(`/api/v1/projects/default/environments?slug=${slug}`), EnvironmentResource).data.length, 1);
  });
});
