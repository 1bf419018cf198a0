/**
 * An environment deleted outside Pulumi (in the dashboard, by another stack, by hand), read through the adapter on
 * each protocol: the environment reads as gone, and listing its variables, agents and provider keys answers none,
 * so a refresh of any of its objects finds them gone instead of failing. On the platform the answers are Platos's
 * own (fixtures/, each citing path@commit: real Platos archives the environment, and a token pinned to it still
 * verifies); on V1, this repo's own contract (docs/api.md: an archived environment's id answers 404
 * TENANCY_NOT_FOUND), played by a scripted server and by the emulator.
 */
import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CONTRACT_VERSION, type WireError } from "../../provider/client/schemas";
import { createPlatosApi, type PlatosApi, type PlatosSettings } from "../../provider/platos";
import { platosWorld } from "../helpers/platos-world";
import { provideKeyMaterial } from "../platos/support";
import { CORE_API_FIXTURES } from "./fixtures/core-api";
import { GATEWAY_FIXTURES } from "./fixtures/gateway";
import { WORLD, type CoreApiFixture, type GatewayFixture } from "./fixtures/types";
import { startReplayServer, type ReplayServer } from "./replay";

const FAST = { retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, operationTimeoutMs: 5_000 };

function recorded<F extends GatewayFixture | CoreApiFixture>(fixtures: readonly F[], id: string): F {
  const fixture = fixtures.find((candidate) => candidate.id === id);
  assert.ok(fixture, `no recorded answer ${id}`);
  return fixture;
}
const gateway = (id: string) => recorded(GATEWAY_FIXTURES, id);
const coreApi = (id: string) => recorded(CORE_API_FIXTURES, id);

/** What the adapter reads of an environment by its id, each kind of object in turn. */
async function readById(api: PlatosApi, environmentId: string) {
  return {
    environment: await api.environments.get(environmentId),
    variables: await api.variables.list(environmentId),
    agents: await api.agents.list(environmentId),
    providerKeys: await api.providerKeys.list(environmentId),
  };
}

const NOTHING = { environment: undefined, variables: [], agents: [], providerKeys: [] };

describe("an environment deleted outside Pulumi, read through the adapter", function () {
  this.timeout(60_000);

  describe("platform: Platos's recorded answers for the environment its token is pinned to, archived", () => {
    let replay: ReplayServer;
    before(async () => {
      replay = await startReplayServer();
    });
    after(async () => {
      await replay?.close();
    });

    /** Platos with WORLD's `dev` archived: every answer the adapter's reads can meet, recorded under `archivedEnvironment`. */
    const ARCHIVED_DEV = [
      gateway("platos.whoami/archived-environment-still-verifies"),
      gateway("environments.list/archived-environment-not-listed"),
      gateway("environments.list_secrets/archived-environment"),
      gateway("agents.list/archived-environment-still-answers"),
      gateway("providers.list_keys/archived-environment"),
    ];
    for (const fixture of ARCHIVED_DEV) assert.equal(fixture.given, "archivedEnvironment", fixture.id);

    const settings = (operatorToken: string | undefined): PlatosSettings => ({
      protocol: "platform",
      apiUrl: replay.url,
      token: WORLD.mcpToken,
      operatorToken,
    });
    const asked = () =>
      replay.received.map((request) =>
        request.path === "/mcp/platform" ? (request.body as { params: { name: string } }).params.name : `${request.method} ${request.path.split("?")[0]}`,
      );

    it("without an operator token: the environment reads undefined, and its secrets, agents and provider keys list none", async () => {
      replay.serve(...ARCHIVED_DEV);
      const api = createPlatosApi(settings(undefined), FAST);
      assert.deepEqual(await readById(api, WORLD.environmentId), NOTHING);
      assert.equal(await api.environments.findBySlug(WORLD.projectId, WORLD.environmentSlug), undefined);
      // The refusals were met and looked into: each list asked its own tool, and the project's live environments.
      for (const tool of ["environments.list", "environments.list_secrets", "agents.list", "providers.list_keys"])
        assert.ok(asked().includes(tool), `${tool} asked: ${asked().join(", ")}`);
    });

    it("with an operator token: the variables come from core-api, whose refusal of the archived environment lists none too", async () => {
      const variables = coreApi("GET /api/v1/environments/:id/variables/archived-environment");
      assert.equal(variables.given, "archivedEnvironment");
      // findBySlug by the project's slug asks core-api which project that is.
      replay.serve(...ARCHIVED_DEV, variables, coreApi("GET /api/v1/projects/whole-collection"));
      const api = createPlatosApi(settings(WORLD.operatorToken), FAST);
      assert.deepEqual(await readById(api, WORLD.environmentId), NOTHING);
      assert.equal(await api.environments.findBySlug(WORLD.projectSlug, WORLD.environmentSlug), undefined);
      assert.ok(asked().includes(`GET ${variables.path}`), asked().join(", "));
      assert.ok(!asked().includes("environments.list_secrets"), "PLAIN values need core-api: list_secrets is not asked");
    });
  });

  describe("v1: a server answering as docs/api.md says (every route under an archived environment's id: 404 TENANCY_NOT_FOUND)", () => {
    let server: Server;
    let url: string;
    const paths: string[] = [];
    before(async () => {
      server = createServer((request, response) => {
        paths.push(`${request.method} ${request.url?.split("?")[0]}`);
        const error: WireError = {
          code: "TENANCY_NOT_FOUND",
          title: "not_found",
          body: "environment not found",
          errorId: randomUUID(),
          traceRef: randomUUID(),
          version: "1",
        };
        response
          .writeHead(404, { "content-type": "application/json; charset=utf-8", "x-platos-contract-version": CONTRACT_VERSION })
          .end(JSON.stringify({ error }));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    });

    it("the environment reads undefined, and its variables, agents and provider keys list none", async () => {
      const api = createPlatosApi({ protocol: "v1", apiUrl: url, token: "v1-fixture-token", operatorToken: undefined }, FAST);
      assert.deepEqual(await readById(api, "env-gone"), NOTHING);
      for (const path of [
        "GET /api/v1/environments/env-gone",
        "GET /api/v1/environments/env-gone/variables",
        "GET /api/v1/environments/env-gone/agents",
        "GET /api/v1/environments/env-gone/provider-keys",
      ]) {
        assert.ok(paths.includes(path), `${path} asked: ${paths.join(", ")}`);
      }
    });
  });

  describe("against the emulator, the environment deleted over V1 behind the adapter's back", () => {
    const world = platosWorld();

    for (const [protocol, home] of [
      ["v1", undefined],
      ["platform", "home"],
    ] as const) {
      it(`${protocol}${home ? " (a token pinned to another environment, the operator token minting one for this)" : ""}: objects listed while it lives, none once it is gone`, async () => {
        const api = createPlatosApi((await world.accessOn(protocol, home ? { home } : {})).settings, FAST);
        const slug = `gone-${protocol}`;
        const environment = await api.environments.create("default", { slug });
        await provideKeyMaterial(world.emulator, protocol, environment.id, { name: "OPENAI_API_KEY", provider: "openai", value: "sk-gone" });
        await api.variables.put(environment.id, "LOG_LEVEL", { value: "info" });
        await api.agents.create(environment.id, { slug: `${slug}-agent`, name: "Gone", model: "anthropic:claude-haiku-4-5" });
        await api.providerKeys.create(environment.id, { provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY" });
        const alive = await readById(api, environment.id);
        assert.equal(alive.environment?.id, environment.id);
        assert.ok(alive.variables.length > 0 && alive.agents.length === 1 && alive.providerKeys.length === 1, JSON.stringify(alive));

        await world.admin.environments.delete(environment.id);
        assert.deepEqual(await readById(api, environment.id), NOTHING);
        assert.equal(await api.environments.findBySlug("default", slug), undefined);
      });
    }
  });
});
