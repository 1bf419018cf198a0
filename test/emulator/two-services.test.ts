/**
 * The emulator's two-port layout (emulator/app.ts buildTwoServices): the agent app and core-api each on a listener of
 * its own over one store, each refusing the other's paths as the real other service does (emulator/service-refusals.ts
 * cites Platos's source for each answer), over HTTP.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConfig } from "../../emulator/config";
import { SCOPE_GUARD_MESSAGES } from "../../emulator/service-refusals";
import { createClient } from "../../provider/client";
import { ErrorEnvelope } from "../../provider/client/schemas";
import { JSONRPC_VERSION, PLATFORM_PATH } from "../../provider/client/platform/jsonrpc";
import { TOKENS_PATH } from "../../provider/client/platform/core-api";
import { mintStackToken } from "../../local/stack-access";
import { spawnEmulator, startEmulator, type RunningEmulator } from "../helpers/emulator";

const call = async (url: string, method: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) => {
  const reply = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: reply.status, json: (await reply.json()) as unknown };
};

const whoami = { jsonrpc: JSONRPC_VERSION, id: 1, method: "tools/call", params: { name: "platos.whoami", arguments: {} } };

describe("emulator: the agent app and core-api on two ports", () => {
  let emulator: RunningEmulator;
  let environmentId: string;
  before(async () => {
    emulator = await startEmulator({ coreApiPort: 0 });
    // The V1 contract (the emulator's admin surface) is below /emulator on the agent app's port.
    const admin = createClient({ apiUrl: emulator.v1Url, token: emulator.adminToken });
    environmentId = (await admin.environments.create("default", { slug: "two-ports" })).id;
  });
  after(() => emulator.close());

  it("listens on two ports, the V1 contract below /emulator on the agent app's", () => {
    const agent = new URL(emulator.url);
    const core = new URL(emulator.coreApiUrl);
    assert.notEqual(agent.port, core.port);
    assert.equal(core.pathname, "/", "core-api is at the root of its own port");
    assert.equal(emulator.v1Url, `${emulator.url}/emulator`);
  });

  for (const [method, path] of [
    ["GET", "/api/v1/projects"],
    ["GET", "/api/v1/organizations"],
    ["GET", "/api/v1/environments/ENV/variables"],
    ["PUT", "/api/v1/environments/ENV/variables/LOG_LEVEL"],
    ["GET", "/api/v1/environments/by-slugs?organizationSlug=default&projectSlug=default&environmentSlug=two-ports"],
  ] as const) {
    it(`the agent app answers core-api's ${method} ${path.split("?")[0]} with NestJS's default 404`, async () => {
      const url = path.replace("ENV", environmentId);
      const reply = await call(`${emulator.url}${url}`, method, emulator.adminToken, method === "PUT" ? { value: "debug" } : undefined);
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.json, { message: `Cannot ${method} ${url}`, error: "Not Found", statusCode: 404 });
    });
  }

  it("the agent app answers an operator bearer on its legacy tokens route with ScopeGuard's 401, direct or via a proxy", async () => {
    const body = { environmentId, name: "x", permissions: ["platos.whoami"] };
    const direct = await call(`${emulator.url}${TOKENS_PATH}`, "POST", emulator.adminToken, body, { "idempotency-key": "k-1" });
    assert.deepEqual([direct.status, direct.json], [401, { message: SCOPE_GUARD_MESSAGES.direct, error: "Unauthorized", statusCode: 401 }]);
    const proxied = await call(`${emulator.url}${TOKENS_PATH}`, "POST", emulator.adminToken, body, {
      "idempotency-key": "k-2",
      "x-forwarded-for": "203.0.113.7",
    });
    assert.deepEqual([proxied.status, proxied.json], [401, { message: SCOPE_GUARD_MESSAGES.viaProxy, error: "Unauthorized", statusCode: 401 }]);
  });

  it("core-api answers the gateway's POST /mcp/platform, and any path of its own it lacks, with its 404 envelope naming the method only", async () => {
    const token = await mintStackToken(emulator, environmentId);
    for (const [method, path, body] of [
      ["POST", PLATFORM_PATH, whoami],
      ["GET", "/api/v1/environments/ENV/agents", undefined],
    ] as const) {
      const reply = await call(`${emulator.coreApiUrl}${path.replace("ENV", environmentId)}`, method, token, body);
      assert.equal(reply.status, 404);
      const { error } = ErrorEnvelope.parse(reply.json);
      assert.equal(error.code, "TRANSPORT_ROUTE_NOT_FOUND");
      assert.equal(error.body, "No route matched this request.");
      assert.deepEqual(error.fields, [{ field: "path", code: "unmatched", message: `No ${method} route is served at the requested path.` }]);
      assert.ok(!JSON.stringify(reply.json).includes(environmentId), "the path is never echoed");
    }
  });

  it("each serves its own routes over one store: a token minted on core-api works on the agent app's gateway", async () => {
    const token = await mintStackToken(emulator, environmentId);
    const gateway = await call(`${emulator.url}${PLATFORM_PATH}`, "POST", token, whoami);
    assert.equal(gateway.status, 200);
    const text = (gateway.json as { result: { content: [{ text: string }] } }).result.content[0].text;
    assert.equal((JSON.parse(text) as { scope: { environmentId: string } }).scope.environmentId, environmentId);
    const projects = await call(`${emulator.coreApiUrl}/api/v1/projects`, "GET", emulator.adminToken);
    assert.equal(projects.status, 200);
    assert.ok((projects.json as { data: { slug: string }[] }).data.some((project) => project.slug === "default"));
    const put = await call(
      `${emulator.coreApiUrl}/api/v1/environments/${environmentId}/variables/LOG_LEVEL`,
      "PUT",
      emulator.adminToken,
      { value: "debug" },
      { "idempotency-key": "k-3" },
    );
    assert.equal(put.status, 200);
    const v1 = await createClient({ apiUrl: emulator.v1Url, token: emulator.adminToken }).variables.list(environmentId);
    assert.equal(v1.find((variable) => variable.key === "LOG_LEVEL")?.value, "debug", "the V1 admin surface sees core-api's write");
  });
});

describe("emulator: PLATOS_EMULATOR_CORE_API_PORT", () => {
  it("is absent by default (one port), a whole port number when set, and must differ from PLATOS_EMULATOR_PORT", () => {
    assert.equal(readConfig({}).coreApiPort, undefined);
    assert.equal(readConfig({ PLATOS_EMULATOR_CORE_API_PORT: "4601" }).coreApiPort, 4601);
    assert.equal(readConfig({ PLATOS_EMULATOR_PORT: "0", PLATOS_EMULATOR_CORE_API_PORT: "0" }).coreApiPort, 0);
    assert.throws(() => readConfig({ PLATOS_EMULATOR_CORE_API_PORT: "70000" }), /PLATOS_EMULATOR_CORE_API_PORT must be a whole number from 0 to 65535/);
    assert.throws(
      () => readConfig({ PLATOS_EMULATOR_PORT: "4600", PLATOS_EMULATOR_CORE_API_PORT: "4600" }),
      /PLATOS_EMULATOR_CORE_API_PORT must differ from PLATOS_EMULATOR_PORT/,
    );
  });

  it("makes `npm run emulator` serve core-api on a port of its own and say where", async function () {
    this.timeout(150_000);
    const dataDir = mkdtempSync(join(tmpdir(), "platos-two-ports-"));
    const spawned = await spawnEmulator({ dataDir, adminToken: "admin-two-ports", coreApiPort: 0, startTimeoutMs: 120_000 });
    try {
      assert.match(spawned.output(), /^Platos emulator core-api listening on http:\/\/127\.0\.0\.1:\d+$/m);
      assert.notEqual(spawned.coreApiUrl, `${spawned.url}/core`);
      const agent = await call(`${spawned.url}/api/v1/projects`, "GET", "admin-two-ports");
      assert.equal(agent.status, 404, "the agent app does not serve core-api's projects");
      const core = await call(`${spawned.coreApiUrl}/api/v1/projects`, "GET", "admin-two-ports");
      assert.equal(core.status, 200);
    } finally {
      await spawned.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
