import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import {
  coreApiRoutes,
  EnvironmentBySlugs,
  MintedMcpToken,
  OrganizationResource,
  RevokedMcpToken,
  CoreProjectCreated,
} from "../../../provider/client/platform/core-api";
import { CreateTokenRequest, ProjectResource, TokenResource } from "../../../provider/client/schemas";
import { apiAs, collectionOf, expectError, expectFieldError, itemOf, uniqueSlug } from "../support";
import { platformSuite } from "./support";

describe("core-api routes", () => {
  const suite = platformSuite();
  let dev: { id: string; slug: string };
  before(async () => {
    dev = await suite().environment(uniqueSlug("dev"));
  });
  const mintBody = (extra: Record<string, unknown> = {}) => ({ environmentId: dev.id, name: "ci", permissions: ["environments.*"], ...extra });

  it("lists the one organization, slug default", async () => {
    const organizations = collectionOf(await suite().admin.get("/api/v1/organizations"), OrganizationResource).data;
    assert.deepEqual(
      organizations.map((organization) => organization.slug),
      ["default"],
    );
  });

  it("finds an environment by slugs, 404 when any is unknown, 400 for an unknown access", async () => {
    const url = (environmentSlug: string, extra = "") =>
      `/api/v1/environments/by-slugs?organizationSlug=default&projectSlug=default&environmentSlug=${environmentSlug}${extra}`;
    const found = itemOf(await suite().admin.get(url(dev.slug, "&access=secret:mutate")), EnvironmentBySlugs);
    assert.deepEqual([found.environment.id, found.access, found.organization.slug, found.project.slug], [dev.id, "secret:mutate", "default", "default"]);
    assert.ok(found.environments.some((environment) => environment.id === dev.id));
    expectError(await suite().admin.get(url("missing")), "TENANCY_NOT_FOUND");
    expectError(await suite().admin.get(url(dev.slug).replace("organizationSlug=default", "organizationSlug=other")), "TENANCY_NOT_FOUND");
    expectFieldError(expectError(await suite().admin.get(url(dev.slug, "&access=everything")), "TRANSPORT_REQUEST_INVALID"), "access", "unsupported");
  });

  it("POST /api/v1/projects takes core-api's body: project, first environment and membership", async () => {
    const [organization] = collectionOf(await suite().admin.get("/api/v1/organizations"), OrganizationResource).data;
    assert.ok(organization);
    const body = { organizationId: organization.id, name: "Platform", slug: uniqueSlug("platform"), environmentName: "Development", environmentSlug: "dev" };
    const created = itemOf(await suite().admin.post("/api/v1/projects", body), CoreProjectCreated, 201);
    assert.deepEqual(
      [created.project.slug, created.environment.slug, created.environment.name, created.membership.role],
      [body.slug, "dev", "Development", "ADMIN"],
    );
    expectError(await suite().admin.post("/api/v1/projects", body), "TENANCY_SLUG_TAKEN");
    expectError(await suite().admin.post("/api/v1/projects", { ...body, slug: uniqueSlug("p"), environmentSlug: "Bad Slug" }), "TENANCY_INVALID_SLUG");
    expectError(await suite().admin.post("/api/v1/projects", { ...body, slug: uniqueSlug("p"), organizationId: "nope" }), "TENANCY_NOT_FOUND");
    itemOf(await suite().admin.post("/api/v1/projects", { slug: uniqueSlug("v1"), name: "V1 body" }), ProjectResource, 201);
    expectError(await suite().admin.post("/api/v1/projects", { slug: "Bad Slug", name: "x" }), "TENANCY_INVALID_SLUG");
  });

  describe("plt_mcp_ tokens", () => {
    it("requires an Idempotency-Key to mint, and a replay answers the same token", async () => {
      expectError(await suite().admin.post("/mcp/platform/tokens", mintBody()), "IDEMPOTENCY_KEY_REQUIRED");
      const key = { "idempotency-key": randomUUID() };
      const first = await suite().admin.post("/mcp/platform/tokens", mintBody(), key);
      const minted = itemOf(first, MintedMcpToken, 201);
      assert.match(minted.token, /^plt_mcp_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual([minted.label, minted.tier, minted.permissions], ["ci", "scope", ["environments.*"]]);
      const replay = await suite().admin.post("/mcp/platform/tokens", mintBody(), key);
      assert.equal(replay.headers["idempotency-replayed"], "true");
      assert.equal(itemOf(replay, MintedMcpToken, 201).token, minted.token);

      const rows = await suite().emulator.db.query<{ body: Uint8Array | null }>("SELECT body_ciphertext AS body FROM idempotency_records");
      assert.ok(
        rows.every((row) => !row.body || !Buffer.from(row.body).toString("utf8").includes(minted.token)),
        "the recorded reply is sealed",
      );
      const hashes = await suite().emulator.db.query<{ token_hash: string }>("SELECT token_hash FROM mcp_tokens");
      assert.ok(!JSON.stringify(hashes).includes(minted.token), "only the hash is stored");
    });

    it("refuses bad mint bodies", async () => {
      const mint = (body: Record<string, unknown>) => suite().admin.post("/mcp/platform/tokens", body, { "idempotency-key": randomUUID() });
      expectFieldError(expectError(await mint(mintBody({ ttlSeconds: 366 * 24 * 3600 })), "CREDENTIAL_MATERIAL_INVALID"), "ttlSeconds");
      expectFieldError(expectError(await mint(mintBody({ permissions: [] })), "CREDENTIAL_MATERIAL_INVALID"), "permissions");
      expectFieldError(expectError(await mint(mintBody({ permissions: [" "] })), "CREDENTIAL_MATERIAL_INVALID"), "permissions.0");
      expectFieldError(expectError(await mint(mintBody({ name: " " })), "CREDENTIAL_MATERIAL_INVALID"), "name");
      expectFieldError(expectError(await mint(mintBody({ tier: "root" })), "TRANSPORT_REQUEST_INVALID"), "tier");
      // core-api refuses a missing environment as one the operator may not reach (fixtures/core-api.ts "unknown-environment").
      expectError(await mint(mintBody({ environmentId: "nope" })), "TENANCY_ENVIRONMENT_FORBIDDEN");
    });

    it("lists an environment's tokens with their state, and revokes with newlyRevoked", async () => {
      const minted = itemOf(
        await suite().admin.post("/mcp/platform/tokens", mintBody({ name: "to-revoke" }), { "idempotency-key": randomUUID() }),
        MintedMcpToken,
        201,
      );
      const listed = (await suite().admin.get(`/mcp/platform/tokens?environmentId=${dev.id}`)).json as {
        data: { tokenId: string; state: string }[];
        page: { total: number };
      };
      coreApiRoutes.listMcpTokens.response.parse(listed);
      assert.equal(listed.data.find((token) => token.tokenId === minted.tokenId)?.state, "active");
      assert.equal(listed.page.total, listed.data.length);

      const revoke = () => suite().admin.post(`/mcp/platform/tokens/${minted.tokenId}/revoke`, { environmentId: dev.id });
      const first = itemOf(await revoke(), RevokedMcpToken);
      assert.deepEqual([first.newlyRevoked, first.previousState, first.revokedBy], [true, "active", "admin"]);
      const second = itemOf(await revoke(), RevokedMcpToken);
      assert.deepEqual([second.newlyRevoked, second.previousState, second.revokedAt], [false, "revoked", first.revokedAt]);
      expectError(await suite().admin.post(`/mcp/platform/tokens/nope/revoke`, { environmentId: dev.id }), "CREDENTIAL_NOT_FOUND");
    });

    it("takes the operator (admin token) only: a plt_mcp_ token is 401, a V1 scoped token 403", async () => {
      const mcp = itemOf(await suite().admin.post("/mcp/platform/tokens", mintBody(), { "idempotency-key": randomUUID() }), MintedMcpToken, 201).token;
      expectError(await apiAs(suite().emulator.app, mcp).get(`/mcp/platform/tokens?environmentId=${dev.id}`), "UNAUTHENTICATED");
      const scoped = CreateTokenRequest.parse({ name: "v1", project: "default", environments: "*" });
      const v1 = itemOf(await suite().admin.post("/api/v1/tokens", scoped), TokenResource, 201).token;
      expectError(await apiAs(suite().emulator.app, v1).get(`/mcp/platform/tokens?environmentId=${dev.id}`), "TENANCY_ENVIRONMENT_FORBIDDEN");
    });
  });

  it("the emulator's approval route answers an unknown id with 404 APPROVAL_NOT_FOUND", async () => {
    expectError(await suite().admin.post("/emulator/approvals/nope/resolve", { status: "approved" }), "APPROVAL_NOT_FOUND");
  });
});
