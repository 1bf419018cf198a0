import assert from "node:assert/strict";
import { ProjectResource } from "../../provider/client/schemas";
import { apiAs, collectionOf, eachBackend, expectError, expectFieldError, itemOf, uniqueSlug } from "./support";

eachBackend("projects", (suite) => {
  it("starts with one project, slug default, reachable by id or slug", async () => {
    const { admin } = suite();
    const listed = collectionOf(await admin.get("/api/v1/projects?slug=default"), ProjectResource);
    assert.equal(listed.data.length, 1);
    const project = listed.data[0];
    assert.ok(project);
    assert.equal(project.through, "admin");
    assert.deepEqual(itemOf(await admin.get(`/api/v1/projects/${project.id}`), ProjectResource), project);
    assert.deepEqual(itemOf(await admin.get("/api/v1/projects/default"), ProjectResource), project);
  });

  it("creates a project in the default project's organization", async () => {
    const { admin } = suite();
    const slug = uniqueSlug("proj");
    const created = itemOf(await admin.post("/api/v1/projects", { slug, name: "Support" }), ProjectResource, 201);
    const original = itemOf(await admin.get("/api/v1/projects/default"), ProjectResource);
    assert.equal(created.slug, slug);
    assert.equal(created.archivedAt, null);
    assert.equal(created.organizationId, original.organizationId);
    assert.notEqual(created.id, original.id);
  });

  it("refuses a taken slug, a bad slug and a bad name with the contract's codes", async () => {
    const { admin } = suite();
    expectError(await admin.post("/api/v1/projects", { slug: "default", name: "Twin" }), "TENANCY_SLUG_TAKEN");
    expectFieldError(expectError(await admin.post("/api/v1/projects", { slug: "Not_A_Slug", name: "x" }), "TENANCY_INVALID_SLUG"), "slug", "invalid_format");
    expectFieldError(expectError(await admin.post("/api/v1/projects", { slug: "a".repeat(65), name: "x" }), "TENANCY_INVALID_SLUG"), "slug", "too_big");
    expectFieldError(expectError(await admin.post("/api/v1/projects", { slug: uniqueSlug(), name: "" }), "TENANCY_INVALID_NAME"), "name", "too_small");
    expectFieldError(
      expectError(await admin.post("/api/v1/projects", { slug: uniqueSlug(), name: "n".repeat(129) }), "TENANCY_INVALID_NAME"),
      "name",
      "too_big",
    );
  });

  it("answers 404 TENANCY_NOT_FOUND to the admin for an unknown project", async () => {
    const { admin } = suite();
    expectError(await admin.get("/api/v1/projects/no-such-project"), "TENANCY_NOT_FOUND");
  });

  it("pages with an opaque cursor that continues where the last page ended", async () => {
    const { admin } = suite();
    for (let i = 0; i < 3; i++) itemOf(await admin.post("/api/v1/projects", { slug: uniqueSlug("page"), name: "Paged" }), ProjectResource, 201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "?limit=2" : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
      const { data, page } = collectionOf(await admin.get(`/api/v1/projects${query}`), ProjectResource);
      assert.ok(data.length <= 2);
      assert.equal(page.limit, 2);
      assert.equal(page.cursor, cursor);
      assert.equal(page.hasMore, page.nextCursor !== null);
      seen.push(...data.map((project) => project.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    const all = collectionOf(await admin.get("/api/v1/projects?limit=200"), ProjectResource);
    assert.equal(all.page.hasMore, false);
    assert.deepEqual(
      seen,
      all.data.map((project) => project.id),
    );
    assert.ok(seen.length >= 4);
  });

  it("refuses a limit over 200, a limit of 0 and a forged cursor", async () => {
    const { admin } = suite();
    expectFieldError(expectError(await admin.get("/api/v1/projects?limit=201"), "TRANSPORT_REQUEST_INVALID"), "limit");
    expectFieldError(expectError(await admin.get("/api/v1/projects?limit=0"), "TRANSPORT_REQUEST_INVALID"), "limit");
    expectFieldError(expectError(await admin.get("/api/v1/projects?cursor=bm90LWEtY3Vyc29y"), "TRANSPORT_REQUEST_INVALID"), "cursor", "invalid_cursor");
  });

  it("lets only the admin create projects", async () => {
    const { admin, emulator } = suite();
    const token = await admin.post("/api/v1/tokens", { name: "star", project: "default", environments: "*" });
    const scoped = apiAs(emulator.app, (token.json as { data: { token: string } }).data.token);
    expectError(await scoped.post("/api/v1/projects", { slug: uniqueSlug(), name: "Nope" }), "TENANCY_ENVIRONMENT_FORBIDDEN");
    const visible = collectionOf(await scoped.get("/api/v1/projects"), ProjectResource);
    assert.deepEqual(
      visible.data.map((project) => [project.slug, project.through]),
      [["default", "token"]],
    );
  });
});
