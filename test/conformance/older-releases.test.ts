/**
 * The Platos releases the platform adapter supports (provider/platos/platform/release.ts, README "Supported Platos
 * releases"), checked against the older lines' own answers (fixtures/older-lines.ts, each citing path@commit) and
 * replayed against the adapter alone: the line that differs in shape only is accepted, the line where provider keys
 * can never work is refused at preview with one error naming what was found and what is needed, and a check that
 * gets no answer blocks nothing.
 */
import { strict as assert } from "node:assert";
import { createServer, type AddressInfo } from "node:net";
import { closeAllPools, createClient, isPlatosError } from "../../provider/client";
import { createHttp } from "../../provider/client/transport";
import { createPlatosApi, PROVIDER_KEY_CREDENTIAL_UNAVAILABLE, type PlatosApi, type PlatosSettings } from "../../provider/platos";
import { gatewaySession } from "../../provider/platos/platform/gateway";
import { NEWEST_SUPPORTED, releaseCheck } from "../../provider/platos/platform/release";
import { CONTRACT_VERSION } from "../../provider/client/schemas";
import { InitializeResult, PLATFORM_PATH } from "../../provider/client/platform/jsonrpc";
import { startEmulator } from "../helpers/emulator";
import { mintToken } from "../platos/support";
import { GATEWAY_FIXTURES } from "./fixtures/gateway";
import { CONTROLLER_C0FE48BD, PROVIDER_TOOLS_1C0472CC, SETTINGS_F5BE3399 } from "./fixtures/older-lines";
import { WORLD, type GatewayFixture } from "./fixtures/types";
import { startReplayServer, type ReplayServer } from "./replay";

const FAST = { retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, operationTimeoutMs: 5_000 };

function recorded(fixtures: readonly GatewayFixture[], id: string): GatewayFixture {
  const fixture = fixtures.find((candidate) => candidate.id === id);
  assert.ok(fixture, `no recorded answer ${id}`);
  return fixture;
}
const current = (id: string) => recorded(GATEWAY_FIXTURES, id);
const oldTools = (id: string) => recorded(PROVIDER_TOOLS_1C0472CC, id);
const principalless = (id: string) => recorded(CONTROLLER_C0FE48BD, id);
const legacySettings = (id: string) => recorded(SETTINGS_F5BE3399, id);

/** What every preview of a key in the token's own environment meets first: whoami and the project's environments. */
const HOME = () => [current("platos.whoami/success"), current("environments.list/success")];

const KEY_INPUTS = {
  project: WORLD.projectSlug,
  environment: WORLD.environmentSlug,
  provider: "openai",
  label: "primary",
  variable: "OPENAI_API_KEY",
  isDefault: false,
  linksVariable: false,
};
const NEW_KEY = { provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY", isDefault: false };
const LEGACY_SETTINGS_ERROR =
  /this Platos release cannot manage environments or environment variables: found tools\/settings\.ts@f5be3399.*; needs tools\/settings\.ts@bd71ddb1/;
const RELEASE_ERROR =
  /this Platos release cannot manage provider keys: found .*mcp-platform\.controller\.ts@c0fe48bd.*; needs .*mcp-platform\.controller\.ts@477b4e88/;

const codeOf = (err: unknown) => (isPlatosError(err) ? err.code : `not a typed error: ${String(err)}`);

describe("the Platos releases the platform adapter supports, against the older lines' recorded answers", function () {
  this.timeout(30_000);
  let replay: ReplayServer;
  let api: PlatosApi;
  const settings = (): PlatosSettings => ({ protocol: "platform", apiUrl: replay.url, token: WORLD.mcpToken, operatorToken: undefined });
  const asked = (tool: string) =>
    replay.received.filter((request) => (request.body as { params?: { name?: string } } | undefined)?.params?.name === tool).length;

  before(async () => {
    // The older lines answer a request 201 (Nest's `@Post()` default), as controller@477b4e88 did.
    replay = await startReplayServer(201);
  });
  beforeEach(() => {
    // A new provider process each time: the release check is once per process.
    api = createPlatosApi(settings(), FAST);
  });
  after(async () => {
    await closeAllPools();
    await replay?.close();
  });

  describe("tools/providers.ts@1c0472cc: other shapes only, accepted", () => {
    it("reads a listed key that does not name its environment as a key of the environment whose token listed it", async () => {
      replay.serve(...HOME(), oldTools("providers.list_keys/1c0472cc-one"));
      const [key] = await api.providerKeys.list(WORLD.environmentId);
      assert.deepEqual(key, {
        id: WORLD.providerKeyId,
        environmentId: WORLD.environmentId,
        provider: "openai",
        label: "primary",
        envVarName: "OPENAI_API_KEY",
        isDefault: false,
        createdBy: WORLD.userId,
        lastUsedAt: null,
        createdAt: "2026-11-02T09:45:00.000Z",
        updatedAt: "2026-11-02T09:45:00.000Z",
      });
    });

    it("adds a key and reads it back from that line's list", async () => {
      replay.serve(...HOME(), oldTools("providers.add_key/1c0472cc-success"), oldTools("providers.list_keys/1c0472cc-one"));
      const key = await api.providerKeys.create(WORLD.environmentId, NEW_KEY);
      assert.equal(key.id, WORLD.providerKeyId);
      assert.equal(key.environmentId, WORLD.environmentId);
    });

    it("reads credential_not_found from add_key as the current line's credential_unavailable, naming the dashboard's way out", async () => {
      replay.serve(...HOME(), oldTools("providers.add_key/1c0472cc-no-credential"));
      const err = await api.providerKeys.create(WORLD.environmentId, NEW_KEY).then(
        () => assert.fail("a missing credential must fail the create"),
        (error: unknown) => error,
      );
      assert.equal(codeOf(err), PROVIDER_KEY_CREDENTIAL_UNAVAILABLE);
      assert.match(String(err), /no provider credential for openai named OPENAI_API_KEY/);
    });

    it("reads credential_not_found from rotate_key the same way", async () => {
      replay.serve(...HOME(), oldTools("providers.list_keys/1c0472cc-one"), oldTools("providers.rotate_key/1c0472cc-no-credential"));
      const err = await api.providerKeys.update(WORLD.environmentId, WORLD.providerKeyId, { envVarName: "OPENAI_API_KEY_NEXT" }).then(
        () => assert.fail("a missing credential must fail the rotation"),
        (error: unknown) => error,
      );
      assert.equal(codeOf(err), PROVIDER_KEY_CREDENTIAL_UNAVAILABLE);
      assert.match(String(err), /named OPENAI_API_KEY_NEXT/);
    });

    it("relabels a key, reading the rotation's answer (which adds updatedAt) and the key back", async () => {
      replay.serve(...HOME(), oldTools("providers.list_keys/1c0472cc-one"), oldTools("providers.rotate_key/1c0472cc-success"));
      const key = await api.providerKeys.update(WORLD.environmentId, WORLD.providerKeyId, { label: "renamed" });
      assert.equal(key.id, WORLD.providerKeyId);
      assert.equal(asked("providers.rotate_key"), 1);
    });

    it("passes the release check at preview", async () => {
      replay.serve(...HOME(), oldTools("providers.list_keys/1c0472cc-one"));
      assert.deepEqual(await api.providerKeys.limits(KEY_INPUTS), []);
      assert.equal(asked("providers.list_keys"), 1);
    });
  });

  describe("mcp-platform.controller.ts@c0fe48bd: no operator principal, refused", () => {
    it("refuses a provider key at preview with one error naming the line found and the line needed, asking Platos once per process", async () => {
      replay.serve(...HOME(), principalless("providers.list_keys/c0fe48bd-no-principal"));
      const failures = await api.providerKeys.limits(KEY_INPUTS);
      assert.equal(failures.length, 1, JSON.stringify(failures));
      assert.match(failures[0]!.reason, RELEASE_ERROR);
      assert.doesNotMatch(failures[0]!.reason, new RegExp(WORLD.mcpToken), "no token in the error");
      assert.deepEqual(await api.providerKeys.limits({ ...KEY_INPUTS, label: "second" }), failures, "a second key gets the same answer");
      assert.equal(asked("providers.list_keys"), 1, "the release is asked about once per process");
    });

    it("with an operator token a key's preview asks nothing more, and the first list_keys answer tells the line instead", async () => {
      replay.serve(...HOME(), principalless("providers.list_keys/c0fe48bd-no-principal"));
      const withOperator = createPlatosApi({ ...settings(), operatorToken: WORLD.operatorToken }, FAST);
      assert.deepEqual(await withOperator.providerKeys.limits(KEY_INPUTS), []);
      assert.deepEqual(replay.received, [], "a preview with an operator token sends no request, as before");
      await assert.rejects(withOperator.providerKeys.list(WORLD.environmentId), RELEASE_ERROR);
      assert.equal(asked("providers.list_keys"), 1);
    });

    it("does not read delete_key's not_found as 'already gone' there: the delete fails with the release error", async () => {
      replay.serve(...HOME(), principalless("providers.delete_key/c0fe48bd-no-principal"), principalless("providers.list_keys/c0fe48bd-no-principal"));
      await assert.rejects(api.providerKeys.delete(WORLD.environmentId, WORLD.providerKeyId), RELEASE_ERROR);
    });

    it("on the current line, delete_key's not_found still means gone", async () => {
      replay.serve(...HOME(), current("providers.delete_key/not-found"), current("providers.list_keys/empty"));
      await api.providerKeys.delete(WORLD.environmentId, WORLD.providerKeyId);
      assert.equal(asked("providers.delete_key"), 1);
    });
  });

  describe("tools/settings.ts@f5be3399: legacy environments and secrets, refused by their answers at no extra request", () => {
    it("refuses a variable at preview, from the environments.list answer the reach check already asks for", async () => {
      replay.serve(current("platos.whoami/success"), legacySettings("environments.list/f5be3399-runtime-environments"));
      const failures = await api.variables.limits({ project: WORLD.projectSlug, environment: WORLD.environmentSlug, key: "OPENAI_API_KEY", secret: true });
      assert.equal(failures.length, 1, JSON.stringify(failures));
      assert.match(failures[0]!.reason, LEGACY_SETTINGS_ERROR);
      assert.deepEqual(
        replay.received.map((request) => (request.body as { params: { name: string } }).params.name),
        ["platos.whoami", "environments.list"],
        "no request beyond the preview's own",
      );
    });

    it("refuses set_secret's answer without a version, and list_secrets' without hasSecret, naming the release", async () => {
      replay.serve(
        current("platos.whoami/success"),
        legacySettings("environments.set_secret/f5be3399-success"),
        legacySettings("environments.list_secrets/f5be3399-one"),
      );
      await assert.rejects(api.variables.put(WORLD.environmentId, "OPENAI_API_KEY", { value: "sk-fixture-0000000000", secret: true }), LEGACY_SETTINGS_ERROR);
      await assert.rejects(api.variables.list(WORLD.environmentId), LEGACY_SETTINGS_ERROR);
    });

    it("a current answer that breaks the schema some other way is still reported as the broken field", async () => {
      const broken: GatewayFixture = {
        ...current("environments.list/success"),
        reply: { kind: "result", value: { environments: [{ id: WORLD.environmentId }], count: 1 } },
      };
      replay.serve(current("platos.whoami/success"), broken);
      await assert.rejects(
        api.environments.get(WORLD.environmentId),
        (err: unknown) => codeOf(err) === "CONTRACT_RESPONSE_INVALID" && !/release/.test(String(err)),
      );
    });
  });

  describe("a check that gets no version signal blocks nothing", () => {
    it("a token without providers.list_keys (Platos answers -32001) passes", async () => {
      const denied: GatewayFixture = {
        ...current("jsonrpc/tool-not-allowed"),
        id: "providers.list_keys/not-allowed",
        tool: "providers.list_keys",
        arguments: {},
        reply: { kind: "rpcError", code: -32001, message: "token does not allow tool 'providers.list_keys'" },
      };
      replay.serve(...HOME(), denied);
      assert.deepEqual(await api.providerKeys.limits(KEY_INPUTS), []);
    });

    it("no answer at all (nothing listening where the gateway should be) passes, and the next check asks again", async () => {
      const closed = await new Promise<number>((resolve) => {
        const probe = createServer();
        probe.listen(0, "127.0.0.1", () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      const nowhere = `http://127.0.0.1:${closed}`;
      const session = gatewaySession(createHttp({ apiUrl: nowhere, token: WORLD.mcpToken, ...FAST }), nowhere);
      let sent = 0;
      const check = releaseCheck(async (name, args) => {
        sent++;
        const answer = await session.send(name, args);
        assert.equal(answer.kind, "result");
        return answer.value;
      });
      assert.deepEqual(await check.finding(), { supported: true });
      assert.deepEqual(await check.finding(), { supported: true });
      assert.equal(sent, 2, "no answer is not kept: the next check asks again");
    });
  });

  describe("the emulator", () => {
    it("says of itself what the newest supported line says: core-api's contract build and the gateway's serverInfo", async () => {
      const emulator = await startEmulator();
      try {
        const admin = createClient({ apiUrl: emulator.url, token: emulator.adminToken });
        const project = await admin.projects.create({ slug: "releases", name: "Releases" });
        const dev = await admin.environments.create(project.id, { slug: "dev" });
        const token = await mintToken(emulator, dev.id);
        const reply = await fetch(`${emulator.url}${PLATFORM_PATH}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }),
        });
        assert.equal(reply.headers.get("x-platos-contract-version"), NEWEST_SUPPORTED.coreApiContractBuild);
        assert.equal(CONTRACT_VERSION, NEWEST_SUPPORTED.coreApiContractBuild);
        const { serverInfo } = InitializeResult.parse(((await reply.json()) as { result: unknown }).result);
        assert.equal(serverInfo.version, NEWEST_SUPPORTED.mcpServerVersion);
        assert.equal((serverInfo["_meta"] as Record<string, { major: number }>)["platos.dev/contract"]?.major, NEWEST_SUPPORTED.mcpContractMajor);
      } finally {
        await emulator.close();
      }
    });
  });
});
