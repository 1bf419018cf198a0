/**
 * Every core-api route the provider uses (provider/client/platform/core-api.ts coreApiRoutes), sent edge inputs of
 * each kind Platos's validators take or refuse: empty and maximum-length values, unknown fields, wrong types, a body
 * past the size caps, a lowercase `bearer`, no bearer, malformed JSON. The emulator, served as Platos deploys it
 * (core-api on its own port), must never answer 5xx, and every refusal must be core-api's envelope with its
 * request id. Real Platos answers a V1 body between 100 KiB and 2 MiB with 500 (Nest's parser limit meets a
 * filter that does not know it: apps/core-api/src/http/mcp-body-cap.ts@9d6948bc, header comment): the emulator
 * refuses it as a client error instead (docs/api.md, departures).
 */
import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { createClient } from "../../provider/client";
import { TOKENS_PATH } from "../../provider/client/platform/core-api";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { mintToken } from "../platos/support";

interface Edge {
  readonly name: string;
  readonly method: "GET" | "PUT" | "POST";
  readonly path: string;
  /** A string is sent as it stands (malformed JSON); anything else as JSON. */
  readonly body?: unknown;
  /** Replaces the operator's `Authorization: Bearer <admin token>`; null sends none. */
  readonly authorization?: string | null;
  readonly idempotencyKey?: boolean;
}

const MIB = 1024 * 1024;
const big = (bytes: number) => "x".repeat(bytes);

function edges(environmentId: string, tokenId: string): Edge[] {
  const variable = (key: string) => `/api/v1/environments/${environmentId}/variables/${key}`;
  const mint = (body: unknown): Edge => ({ name: `mint ${JSON.stringify(body).slice(0, 60)}`, method: "POST", path: TOKENS_PATH, body, idempotencyKey: true });
  const mintBody = { environmentId, name: "edge", permissions: ["environments.*"], ttlSeconds: 3600 };
  const lists = ["/api/v1/projects", "/api/v1/organizations", `/api/v1/environments/${environmentId}/variables`];
  return [
    ...lists.flatMap((path): Edge[] => [
      { name: `${path}`, method: "GET", path },
      { name: `${path} ?limit=1`, method: "GET", path: `${path}?limit=1` },
      { name: `${path} ?limit=abc&cursor=`, method: "GET", path: `${path}?limit=abc&cursor=` },
      { name: `${path} ?unknown=1`, method: "GET", path: `${path}?unknown=1` },
      { name: `${path} lowercase bearer`, method: "GET", path, authorization: "bearer %ADMIN%" },
      { name: `${path} no bearer`, method: "GET", path, authorization: null },
      { name: `${path} empty bearer`, method: "GET", path, authorization: "Bearer " },
    ]),
    { name: "variables of a 1000-character environment id", method: "GET", path: `/api/v1/environments/${big(1000)}/variables` },
    { name: "put: empty value", method: "PUT", path: variable("EDGE"), body: { value: "" } },
    { name: "put: 8192-character value", method: "PUT", path: variable("EDGE"), body: { value: big(8192) } },
    { name: "put: 8193-character value", method: "PUT", path: variable("EDGE"), body: { value: big(8193) } },
    { name: "put: number value", method: "PUT", path: variable("EDGE"), body: { value: 42 } },
    { name: "put: null value", method: "PUT", path: variable("EDGE"), body: { value: null } },
    { name: "put: secret as string", method: "PUT", path: variable("EDGE"), body: { value: "v", secret: "yes" } },
    { name: "put: unknown field", method: "PUT", path: variable("EDGE"), body: { value: "v", colour: "red" } },
    { name: "put: array body", method: "PUT", path: variable("EDGE"), body: [{ value: "v" }] },
    { name: "put: malformed JSON", method: "PUT", path: variable("EDGE"), body: '{"value":' },
    { name: "put: lowercase key", method: "PUT", path: variable("edge"), body: { value: "v" } },
    { name: "put: 64-character key", method: "PUT", path: variable(`E${"_".repeat(63)}`), body: { value: "v" } },
    { name: "put: 65-character key", method: "PUT", path: variable(`E${"_".repeat(64)}`), body: { value: "v" } },
    { name: "put: 200 KiB body", method: "PUT", path: variable("EDGE"), body: { value: big(200 * 1024) } },
    { name: "put: 3 MiB body", method: "PUT", path: variable("EDGE"), body: { value: big(3 * MIB) } },
    { name: "put: 3 MiB body, no bearer", method: "PUT", path: variable("EDGE"), body: { value: big(3 * MIB) }, authorization: null },
    mint(mintBody),
    mint({}),
    mint({ ...mintBody, name: "" }),
    mint({ ...mintBody, name: big(10_000) }),
    mint({ ...mintBody, permissions: [] }),
    mint({ ...mintBody, permissions: "environments.*" }),
    mint({ ...mintBody, ttlSeconds: -1 }),
    mint({ ...mintBody, ttlSeconds: 1e300 }),
    mint({ ...mintBody, ttlSeconds: "3600" }),
    mint({ ...mintBody, environmentId: null }),
    mint({ ...mintBody, colour: "red" }),
    { name: "mint without an Idempotency-Key", method: "POST", path: TOKENS_PATH, body: mintBody },
    { name: "mint: 3 MiB body", method: "POST", path: TOKENS_PATH, body: { ...mintBody, name: big(3 * MIB) }, idempotencyKey: true },
    {
      name: "mint: 3 MiB body, no bearer",
      method: "POST",
      path: TOKENS_PATH,
      body: { ...mintBody, name: big(3 * MIB) },
      authorization: null,
      idempotencyKey: true,
    },
    { name: "token list without environmentId", method: "GET", path: TOKENS_PATH },
    { name: "token list of an unknown environment", method: "GET", path: `${TOKENS_PATH}?environmentId=${randomUUID()}` },
    { name: "revoke: empty body", method: "POST", path: `${TOKENS_PATH}/${tokenId}/revoke`, body: {} },
    { name: "revoke: 1000-character token id", method: "POST", path: `${TOKENS_PATH}/${big(1000)}/revoke`, body: { environmentId } },
    { name: "by-slugs without a query", method: "GET", path: "/api/v1/environments/by-slugs" },
    { name: "by-slugs with empty slugs", method: "GET", path: "/api/v1/environments/by-slugs?organizationSlug=&projectSlug=&environmentSlug=" },
    {
      name: "by-slugs with 1000-character slugs",
      method: "GET",
      path: `/api/v1/environments/by-slugs?organizationSlug=${big(1000)}&projectSlug=x&environmentSlug=y`,
    },
    {
      name: "by-slugs with an unknown access",
      method: "GET",
      path: "/api/v1/environments/by-slugs?organizationSlug=default&projectSlug=default&environmentSlug=dev&access=everything",
    },
  ];
}

async function send(emulator: RunningEmulator, edge: Edge, requestId: string): Promise<{ status: number; body: unknown; requestId: string | null }> {
  const authorization = edge.authorization === undefined ? `Bearer ${emulator.adminToken}` : edge.authorization?.replace("%ADMIN%", emulator.adminToken);
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (authorization !== null && authorization !== undefined) headers["authorization"] = authorization;
  if (edge.body !== undefined) headers["content-type"] = "application/json";
  if (edge.idempotencyKey) headers["idempotency-key"] = randomUUID();
  const body = edge.body === undefined ? undefined : typeof edge.body === "string" ? edge.body : JSON.stringify(edge.body);
  const response = await fetch(`${emulator.coreApiUrl}${edge.path}`, { method: edge.method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    // compared as text below
  }
  return { status: response.status, body: parsed, requestId: response.headers.get("x-request-id") };
}

describe("core-api routes the provider uses, sent edge inputs (emulator, two ports)", function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let cases: Edge[] = [];

  before(async () => {
    emulator = await startEmulator({ coreApiPort: 0 });
    const admin = createClient({ apiUrl: emulator.v1Url, token: emulator.adminToken });
    const project = await admin.projects.create({ slug: `edges-${randomUUID().slice(0, 8)}`, name: "Edges" });
    const dev = await admin.environments.create(project.id, { slug: "dev" });
    await mintToken(emulator, dev.id);
    cases = edges(dev.id, randomUUID());
  });

  after(async () => {
    await emulator?.close();
  });

  it("never answers 5xx; every refusal is core-api's envelope (or the /mcp cap's), carrying the request id", async () => {
    assert.ok(cases.length > 40);
    const seen: string[] = [];
    for (const [index, edge] of cases.entries()) {
      const requestId = `edge-${index}`;
      const answer = await send(emulator, edge, requestId);
      seen.push(`${answer.status} ${edge.name}`);
      assert.ok(answer.status < 500, `${edge.name}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      assert.equal(answer.requestId, requestId, `${edge.name}: the request id is echoed`);
      if (answer.status < 400) continue;
      const body = answer.body as { error?: unknown; limit?: unknown };
      if (answer.status === 413 && body.error === "payload_too_large") {
        assert.equal(body.limit, 2 * MIB, `${edge.name}: the /mcp cap names its limit`);
        continue;
      }
      const error = body.error as { code?: unknown; traceRef?: unknown; title?: unknown } | undefined;
      assert.equal(typeof error?.code, "string", `${edge.name}: ${JSON.stringify(answer.body).slice(0, 300)}`);
      assert.equal(error?.traceRef, requestId, `${edge.name}: traceRef is the adopted request id`);
    }
  });

  it("refuses the lowercase scheme and a missing bearer as core-api does (401 UNAUTHENTICATED)", async () => {
    for (const authorization of ["bearer %ADMIN%", null, "Bearer "]) {
      const answer = await send(emulator, { name: "projects", method: "GET", path: "/api/v1/projects", authorization }, "edge-auth");
      assert.equal(answer.status, 401, String(authorization));
      assert.equal((answer.body as { error: { code: string; body: string } }).error.code, "UNAUTHENTICATED");
      assert.equal((answer.body as { error: { body: string } }).error.body, "Invalid operator session");
    }
  });

  it("answers an oversized /mcp body 413 payload_too_large before authenticating", async () => {
    const answer = await send(
      emulator,
      { name: "mint 3 MiB", method: "POST", path: TOKENS_PATH, body: { name: big(3 * MIB) }, authorization: null, idempotencyKey: true },
      "edge-cap",
    );
    assert.deepEqual({ status: answer.status, body: answer.body }, { status: 413, body: { error: "payload_too_large", limit: 2 * MIB } });
  });

  it("mints a fresh request id when the inbound one is not adoptable", async () => {
    for (const hostile of ["has space", "a".repeat(129), "semi;colon"]) {
      const answer = await send(emulator, { name: "projects", method: "GET", path: "/api/v1/projects" }, hostile);
      assert.match(answer.requestId ?? "", /^[0-9a-f-]{36}$/, hostile);
    }
    const adopted = await send(emulator, { name: "projects", method: "GET", path: "/api/v1/projects" }, "a".repeat(128));
    assert.equal(adopted.requestId, "a".repeat(128));
  });
});
