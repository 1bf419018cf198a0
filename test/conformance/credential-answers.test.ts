/**
 * Platos's answers about a credential's lapse (fixtures/credentials.ts, each citing path@commit), replayed against
 * the platform adapter alone (no emulator: the adapter is checked against Platos), then asked of the emulator, which
 * must answer the same.
 */
import { strict as assert } from "node:assert";
import { setTimeout as sleep } from "node:timers/promises";
import { closeAllPools, createClient, hasCode, isUnauthenticated } from "../../provider/client";
import { PLATFORM_PATH } from "../../provider/client/platform/jsonrpc";
import { createPlatosApi } from "../../provider/platos";
import { coreApiClient } from "../../provider/platos/platform/core-api";
import { expiryWatch, OPERATOR_SESSION } from "../../provider/platos/platform/credential-expiry";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { stderrDuring } from "../helpers/stderr-lines";
import { CORE_API_FIXTURES } from "./fixtures/core-api";
import { CREDENTIAL_CORE_API_FIXTURES, CREDENTIAL_GATEWAY_FIXTURES, SESSION_EXPIRES_AT } from "./fixtures/credentials";
import { WORLD, type CoreApiFixture } from "./fixtures/types";
import { startReplayServer, type ReplayServer } from "./replay";

const FAST = { retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, operationTimeoutMs: 5_000 };
const fixture = (id: string) => CREDENTIAL_CORE_API_FIXTURES.find((candidate) => candidate.id === id)! as unknown as CoreApiFixture;
const EXPIRED_TOKEN = CREDENTIAL_GATEWAY_FIXTURES.find((candidate) => candidate.id === "gateway/expired-token")!;
const LIVE = fixture("GET /api/v1/identity/session/live");
const EXPIRED = fixture("GET /api/v1/identity/session/expired");
/** A PLAIN write, which the session is asked alongside in the live case. */
const PLAIN_WRITE = CORE_API_FIXTURES.find((candidate) => candidate.id === "PUT /api/v1/environments/:id/variables/:key/update-plain")!;
const writePlain = (client: ReturnType<typeof coreApiClient>) => client.variables.put(WORLD.environmentId, "LOG_LEVEL", { value: "debug", secret: false });

describe("Platos's answers about a credential's lapse, replayed against the platform adapter", function () {
  let replay: ReplayServer;
  before(async () => {
    replay = await startReplayServer();
  });
  after(async () => {
    await closeAllPools();
    await replay.close();
  });

  it(`${EXPIRED_TOKEN.id}: the refusal names platos:token and how to replace it`, async () => {
    replay.serve(EXPIRED_TOKEN as never);
    const api = createPlatosApi({ protocol: "platform", apiUrl: replay.url, token: WORLD.mcpToken, operatorToken: undefined }, FAST);
    const err = await api.variables.list(WORLD.environmentId).then(
      () => assert.fail("a refused token was accepted"),
      (e: unknown) => e as Error,
    );
    assert.ok(isUnauthenticated(err));
    assert.match(err.message, /If platos:token expired .*POST \/mcp\/platform\/tokens/);
    assert.ok(!err.message.includes(WORLD.mcpToken));
  });

  const operatorClient = (now: Date) =>
    coreApiClient(
      { apiUrl: replay.url, token: WORLD.operatorToken, ...FAST },
      expiryWatch(OPERATOR_SESSION, () => now),
    );

  it(`${LIVE.id}: asked alongside a write, its expiresAt is read, and a lapse within 14 days is said`, async () => {
    replay.serve(LIVE, PLAIN_WRITE);
    const eightDaysBefore = new Date(Date.parse(SESSION_EXPIRES_AT) - 8 * 86_400_000 - 60_000);
    const { lines } = await stderrDuring(() => writePlain(operatorClient(eightDaysBefore)));
    assert.deepEqual(
      lines.filter((line) => line.includes("platos:operatorToken")),
      [`Platos: platos:operatorToken (the operator session) expires on 2026-11-09 10:00 UTC, in 8 days. Renew it before then: ${OPERATOR_SESSION.renewal}`],
    );
  });

  it(`${EXPIRED.id}: SESSION_EXPIRED says the operator session expired and which setting to replace`, async () => {
    replay.serve(EXPIRED);
    const err = await writePlain(operatorClient(new Date())).then(
      () => assert.fail("an expired session was accepted"),
      (e: unknown) => e as Error,
    );
    assert.ok(hasCode(err, "SESSION_EXPIRED") && isUnauthenticated(err));
    assert.match(err.message, /platos:operatorToken \(the operator session\) expired: replace it/);
  });
});

describe("the emulator answers about a credential's lapse as Platos does", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  async function openSession(ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const reply = await fetch(`${emulator.url}/emulator/operator-sessions`, {
      method: "POST",
      headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ ttlSeconds }),
    });
    return ((await reply.json()) as { data: { token: string; expiresAt: string } }).data;
  }
  const askSession = async (token: string) => {
    const reply = await fetch(`${emulator.coreApiUrl}${LIVE.path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: reply.status, body: (await reply.json()) as Record<string, Record<string, unknown>> };
  };

  it(`${EXPIRED_TOKEN.id}`, async () => {
    const admin = coreApiClient({ apiUrl: emulator.coreApiUrl, token: emulator.adminToken });
    const environmentId = await devEnvironment(emulator);
    const minted = await admin.mintToken({ environmentId, name: "lapsing", permissions: ["platos.whoami"], ttlSeconds: 1 });
    await sleep(Date.parse(minted.expiresAt) - Date.now() + 300);
    const reply = await fetch(`${emulator.url}${PLATFORM_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${minted.token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "platos.whoami", arguments: {} } }),
    });
    const expected = EXPIRED_TOKEN.reply as { status: number; body: unknown };
    assert.equal(reply.status, expected.status);
    assert.deepEqual(await reply.json(), expected.body);
  });

  it(`${LIVE.id}: the same fields, expiresAt an instant`, async () => {
    const { token, expiresAt } = await openSession(3600);
    const { status, body } = await askSession(token);
    assert.equal(status, LIVE.reply.status);
    const expected = (LIVE.reply.body as { data: Record<string, unknown> }).data;
    assert.deepEqual(Object.keys(body.data!).sort(), Object.keys(expected).sort());
    assert.equal(body.data!.expiresAt, expiresAt);
    assert.deepEqual(body.meta, (LIVE.reply.body as { meta: unknown }).meta);
  });

  it(`${EXPIRED.id}: the same code, title and message`, async () => {
    const { token, expiresAt } = await openSession(1);
    await sleep(Date.parse(expiresAt) - Date.now() + 300);
    const { status, body } = await askSession(token);
    assert.equal(status, EXPIRED.reply.status);
    const { code, title, body: message, version } = (EXPIRED.reply.body as { error: Record<string, unknown> }).error;
    assert.deepEqual(
      { code: body.error!.code, title: body.error!.title, body: body.error!.body, version: body.error!.version },
      { code, title, body: message, version },
    );
  });
});

/** An environment the emulator's admin makes, for a token to be pinned to. */
async function devEnvironment(emulator: RunningEmulator): Promise<string> {
  const admin = createClient({ apiUrl: emulator.v1Url, token: emulator.adminToken });
  const project = await admin.projects.create({ slug: `lapse-${Date.now()}`, name: "Lapse" });
  return (await admin.environments.create(project.id, { slug: "dev" })).id;
}
