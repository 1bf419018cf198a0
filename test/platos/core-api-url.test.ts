/**
 * `platos:coreApiUrl` on a deployment where core-api and the agent app are separate services (the emulator's two-port
 * layout, which answers each wrong path as the real other service does): left unset, core-api calls reach the agent
 * app, and the error names the setting, its environment variable, what answered and what was expected, never a
 * token. Pointing platos:apiUrl at core-api names platos:apiUrl. No check() path calls core-api on platform (its
 * limits depend only on whether an operator token is set), so the first core-api call, and the error, is a step's.
 */
import { strict as assert } from "node:assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createPlatosApi, type PlatosSettings } from "../../provider/platos";
import { CORE_API_URL_ENV, coreApiClient } from "../../provider/platos/platform/core-api";
import { environmentProvider } from "../../provider/providers/environment";
import { variableProvider } from "../../provider/providers/environment-variable";
import { resetContexts } from "../../provider/runtime/context";
import { SETTINGS } from "../../provider/runtime/settings";
import { platosWorld } from "../helpers/platos-world";
import { checkedInputs, configureProviders } from "../helpers/provider-process";
import { stackConfig } from "./support";

const fast = { retryPolicy: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } };
const NAMES_CORE_API_URL =
  /is not core-api, whose every answer to .* is JSON and every refusal a Platos error envelope; check platos:coreApiUrl \(else platos:apiUrl\), or env PLATOS_CORE_API_URL: it must be core-api's base URL/;

describe("platos:coreApiUrl on a deployment of two services", function () {
  this.timeout(60_000);
  const world = platosWorld({ layout: "two-ports" });
  let settings: PlatosSettings;
  let unset: PlatosSettings;
  let homeId: string;

  before(async () => {
    const access = await world.accessOn("platform");
    settings = access.settings;
    homeId = access.home!.id;
    const { coreApiUrl: _set, ...rest } = settings;
    unset = rest;
  });

  const secrets = () => [settings.token, world.emulator.adminToken];
  const assertNoSecret = (err: unknown) => {
    for (const secret of secrets()) assert.ok(!String(err).includes(secret), "no token in the error");
  };

  it("names the same environment variable as the settings table", () => {
    assert.equal(CORE_API_URL_ENV, SETTINGS.coreApiUrl.env);
  });

  it("set, core-api calls reach core-api on its own port", async () => {
    assert.ok(settings.coreApiUrl && settings.coreApiUrl !== settings.apiUrl);
    assert.ok(Array.isArray(await createPlatosApi(settings, fast).variables.list(homeId)));
  });

  it("unset, a core-api read reaches the agent app: the error quotes its NestJS 404 and names platos:coreApiUrl", async () => {
    world.recorder.reset();
    const err = await createPlatosApi(unset, fast)
      .variables.list(homeId)
      .then(
        () => assert.fail("a core-api read on the agent app succeeded"),
        (e: unknown) => e,
      );
    assert.match(
      String(err),
      /GET \/api\/v1\/environments\/:environmentId\/variables: unexpected HTTP 404 without a Platos error body \(NestJS's default body "Not Found": "Cannot GET \/api\/v1\/environments\/[^/]+\/variables"\)/,
    );
    assert.match(String(err), NAMES_CORE_API_URL);
    assert.match(String(err), new RegExp(`what answers at ${world.recorder.url} is not core-api`));
    assertNoSecret(err);
    assert.deepEqual(
      world.recorder.requests.map((r) => r.path),
      [`/api/v1/environments/${homeId}/variables`],
      "one attempt: a 404 is not retried",
    );
  });

  it("unset, minting a token for another environment meets the agent app's ScopeGuard 401, named as a wrong URL, not a wrong token", async () => {
    const other = await world.admin.environments.create("default", { slug: "other-service" });
    const err = await createPlatosApi(unset, fast)
      .agents.list(other.id)
      .then(
        () => assert.fail("a mint on the agent app succeeded"),
        (e: unknown) => e,
      );
    assert.match(
      String(err),
      /POST \/mcp\/platform\/tokens: unexpected HTTP 401 without a Platos error body \(NestJS's default body "Unauthorized": "Authentication required\. Provide either X-Platos-Session-Token/,
    );
    assert.match(String(err), NAMES_CORE_API_URL);
    assert.doesNotMatch(String(err), /rejected platos:operatorToken/);
    assertNoSecret(err);
  });

  it("platos:apiUrl pointed at core-api: the gateway call meets core-api's 404 and names platos:apiUrl", async () => {
    const swapped = { ...settings, apiUrl: settings.coreApiUrl! };
    const err = await createPlatosApi(swapped, fast)
      .environments.get(homeId)
      .then(
        () => assert.fail("the gateway answered on core-api"),
        (e: unknown) => e,
      );
    assert.match(String(err), /no platform gateway at .*\/mcp\/platform \(HTTP 404\): platos:apiUrl must be the Platos agent app's base URL/);
    assertNoSecret(err);
  });

  it("an HTML page, at an error status or a success one, is named as not core-api too; an echoed token is never quoted", async () => {
    // A web app where core-api should be (the dashboard's host, a proxy's error page).
    const htmlServer = createServer((req, res) => {
      if (req.url?.startsWith("/api/v1/organizations")) {
        // A server that echoes what it was sent: the token must not reach the error through the quoted message.
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ statusCode: 404, message: `Cannot GET ${req.url} (${req.headers.authorization})`, error: "Not Found" }));
        return;
      }
      res.writeHead(req.url?.startsWith("/api/v1/projects") ? 200 : 404, { "content-type": "text/html" });
      res.end("<!doctype html><title>Platos</title>");
    });
    await new Promise<void>((resolve) => htmlServer.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(htmlServer.address() as AddressInfo).port}`;
    try {
      const core = coreApiClient({ apiUrl: url, token: world.emulator.adminToken, ...fast });
      const ok = await core.projects.list().catch((e: unknown) => e);
      assert.match(String(ok), new RegExp(`GET /api/v1/projects: response is not JSON: what answers at ${url} is not core-api`));
      assert.match(String(ok), NAMES_CORE_API_URL);
      const refused = await core.variables.list(homeId).catch((e: unknown) => e);
      assert.match(String(refused), /unexpected HTTP 404 without a Platos error body \(an HTML page\)/);
      assert.match(String(refused), NAMES_CORE_API_URL);
      const echoed = await core.organizations.list().catch((e: unknown) => e);
      assert.match(String(echoed), /"Cannot GET \/api\/v1\/organizations \(Bearer \[token\]\)"/);
      for (const err of [ok, refused, echoed]) assertNoSecret(err);
    } finally {
      await new Promise((resolve) => htmlServer.close(resolve));
    }
  });

  describe("through the providers, as the engine runs them", () => {
    before(async () => {
      await configureProviders(stackConfig(unset));
    });
    beforeEach(() => {
      resetContexts();
      world.recorder.reset();
    });

    it("check passes without calling Platos at all; the step's first core-api call fails naming platos:coreApiUrl", async () => {
      const inputs = await checkedInputs(environmentProvider, { project: "default", slug: "needs-core" });
      const plain = await checkedInputs(variableProvider, { project: "default", environment: "home", key: "LOG_LEVEL", value: "debug" });
      assert.deepEqual(world.recorder.requests, [], "check (preview) made no call: none of its paths calls core-api");
      const err = await environmentProvider.create(inputs).then(
        () => assert.fail("an environment was created by project slug without core-api"),
        (e: unknown) => e,
      );
      assert.match(
        String(err),
        /GET \/api\/v1\/projects: unexpected HTTP 404 without a Platos error body \(NestJS's default body "Not Found": "Cannot GET \/api\/v1\/projects"\)/,
      );
      assert.match(String(err), NAMES_CORE_API_URL);
      assertNoSecret(err);
      assert.equal(await world.admin.environments.findBySlug("default", "needs-core"), undefined, "nothing was created");
      const variableErr = await variableProvider.create(plain).then(
        () => assert.fail("a PLAIN variable was written without core-api"),
        (e: unknown) => e,
      );
      assert.match(String(variableErr), NAMES_CORE_API_URL);
      assertNoSecret(variableErr);
    });
  });
});
