/**
 * Platos's recorded REST answers (fixtures/core-api.ts and every other CoreApiFixture module of fixtures/index.ts),
 * asked of the emulator: each fixture's request goes to the service that serves it (core-api fixtures to the
 * emulator's core-api port, agent fixtures to the agent app's), in the state its `given` names, on a fresh
 * emulator laid out as Platos deploys it (two ports), and the answer must be Platos's: the status, every header the
 * fixture records (an adopted request id exactly), and the body up to ids and times (`shape`). Where the emulator
 * answers otherwise on purpose, REST_DEPARTURES says why (docs/api.md, "Departures from Platos", lists the same),
 * and the test checks each departure is still there, so a fixed one is taken off.
 */
import { strict as assert } from "node:assert";
import { createClient } from "../../provider/client";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { arrange, shape } from "./emulator-world";
import { CORE_API_FIXTURE_MODULES, fixturesOf } from "./fixtures/index";
import { WORLD, type CoreApiFixture, type Given } from "./fixtures/types";

/** Why the emulator answers a fixture otherwise; each reason is a paragraph of docs/api.md's departures section. */
const WHY = {
  rotateOnCoreApi:
    "core-api serves POST /api/v1/agent/providers/keys/:id/rotate-secret (a one-time-secret mint, its own envelope); the emulator's core-api does not (404 TRANSPORT_ROUTE_NOT_FOUND): the provider does not call it",
} as const;

/** Fixtures the emulator answers otherwise, and why: each is a departure docs/api.md names. */
export const REST_DEPARTURES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    ["core-api-rotated", "core-api-missing-idempotency-key", "core-api-unknown-key", "core-api-empty-plaintext"].map((c) => [
      `POST /api/v1/agent/providers/keys/:id/rotate-secret/${c}`,
      WHY.rotateOnCoreApi,
    ]),
  ),
};

/**
 * Fixtures whose state the emulator cannot be put in yet, and why; the test checks arranging still fails, so a fixed
 * one is taken off (docs/api.md lists the same).
 */
export const REST_UNARRANGEABLE: Readonly<Record<string, string>> = {};

/** Givens arranged here; the approval gate's belong to the gateway. */
const ARRANGED: readonly Given[] = [
  "environment",
  "variables",
  "providerCredential",
  "providerKey",
  "pinnedProviderKey",
  "archivedEnvironment",
  "noToken",
  "badToken",
];

/** Fixtures whose state is "the same request was sent once before" (no Given names it): the test sends it twice. */
const SENT_TWICE = /\/replayed-same-key$/;

/** fixtures/core-api.ts's fake session JWTs (the platform-signed operator session, an end user's), as they are written there. */
const FIXTURE_SESSIONS = { operator: "fixture.platform-session.jwt", endUser: "fixture.end-user-session.jwt" } as const;

/** A session of the emulator's agent app for the environment (POST /emulator/agent-sessions). */
async function agentSession(emulator: RunningEmulator, environmentId: string, endUser: boolean): Promise<string> {
  const reply = await fetch(`${emulator.url}/emulator/agent-sessions`, {
    method: "POST",
    headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ environmentId, endUser }),
  });
  assert.equal(reply.status, 201, `opening an agent session: HTTP ${reply.status}`);
  return ((await reply.json()) as { data: { token: string } }).data.token;
}

/**
 * The fixture's fake credentials, and what stands for each on the emulator: a session only for a fixture that sends
 * one (scoped to the `dev` environment, which a fixture may have archived).
 */
async function credentials(fixture: CoreApiFixture, emulator: RunningEmulator, devId: string): Promise<Map<string, string>> {
  const sent = Object.values(fixture.headers ?? {}).join("\n");
  const secrets = new Map<string, string>([[WORLD.operatorToken, emulator.adminToken]]);
  if (sent.includes(FIXTURE_SESSIONS.operator)) secrets.set(FIXTURE_SESSIONS.operator, await agentSession(emulator, devId, false));
  if (sent.includes(FIXTURE_SESSIONS.endUser)) secrets.set(FIXTURE_SESSIONS.endUser, await agentSession(emulator, devId, true));
  return secrets;
}

/** A recorded request in the arranged world: ids in path segments, query values and body strings swapped. */
function requestFor(fixture: CoreApiFixture, emulator: RunningEmulator, ids: ReadonlyMap<string, string>, secrets: ReadonlyMap<string, string>) {
  const toArranged = new Map([...ids].map(([arranged, recorded]) => [recorded, arranged]));
  const swap = (value: string) => toArranged.get(value) ?? value;
  const swapDeep = (value: unknown): unknown =>
    typeof value === "string"
      ? swap(value)
      : Array.isArray(value)
        ? value.map(swapDeep)
        : value !== null && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swapDeep(v)]))
          : value;
  const path = fixture.path.split("/").map(swap).join("/");
  const query = new URLSearchParams(Object.entries(fixture.query ?? {}).map(([k, v]): [string, string] => [k, swap(v)])).toString();
  const headers = Object.fromEntries(
    Object.entries(fixture.headers ?? {}).map(([name, value]) => [name, [...secrets].reduce((text, [fake, real]) => text.split(fake).join(real), value)]),
  );
  const base = fixture.service === "core-api" ? emulator.coreApiUrl : emulator.url;
  return {
    url: `${base}${path}${query ? `?${query}` : ""}`,
    init: { method: fixture.method, headers, ...(fixture.body === undefined ? {} : { body: JSON.stringify(swapDeep(fixture.body)) }) },
  };
}

/** The emulator's answer in the fixture's terms: the status, the headers the fixture records, the body shaped. */
async function answerTo(fixture: CoreApiFixture, response: Response, ids: ReadonlyMap<string, string>) {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Not JSON: compared as text, which no fixture records.
  }
  const headers = Object.fromEntries(Object.keys(fixture.reply.headers ?? {}).map((name) => [name, response.headers.get(name)]));
  return { status: response.status, headers, body: shape(body, ids) };
}

const recorded = (fixture: CoreApiFixture) => ({
  status: fixture.reply.status,
  headers: { ...fixture.reply.headers },
  body: shape(fixture.reply.body, new Map()),
});

/** Every CoreApiFixture of every module. */
const FIXTURES: readonly CoreApiFixture[] = fixturesOf(CORE_API_FIXTURE_MODULES);

/** The fresh emulator's organization and default project, renamed to the fixture world's (migrations made them). */
async function worldOrganization(emulator: RunningEmulator): Promise<{ organizationId: string; projectId: string }> {
  await emulator.db.query("UPDATE organizations SET slug = $1, name = $2", [WORLD.organizationSlug, "Acme"]);
  await emulator.db.query("UPDATE projects SET name = $1 WHERE slug = $2", ["Default", WORLD.projectSlug]);
  const [row] = await emulator.db.query<{ organizationId: string; projectId: string }>(
    `SELECT organization_id AS "organizationId", id AS "projectId" FROM projects WHERE slug = $1`,
    [WORLD.projectSlug],
  );
  return row!;
}

describe("Platos's recorded REST answers (core-api, agent app), asked of the emulator", function () {
  this.timeout(60_000);

  it("every departure names a fixture that exists", () => {
    for (const id of [...Object.keys(REST_DEPARTURES), ...Object.keys(REST_UNARRANGEABLE)])
      assert.ok(
        FIXTURES.some((fixture) => fixture.id === id),
        `no fixture "${id}"`,
      );
    assert.equal(new Set(FIXTURES.map((f) => f.id)).size, FIXTURES.length, "REST fixture ids are unique across modules");
  });

  for (const fixture of FIXTURES) {
    it(`${fixture.service}: ${fixture.id}`, async () => {
      assert.ok(ARRANGED.includes(fixture.given), `no arrangement for given "${fixture.given}": add one to emulator-world.ts`);
      const emulator = await startEmulator({ coreApiPort: 0 });
      try {
        const world = await worldOrganization(emulator);
        const admin = createClient({ apiUrl: emulator.v1Url, token: emulator.adminToken });
        const arranging = arrange(emulator, admin, fixture.given, { projectId: world.projectId, keyIsDefault: true });
        const unarrangeable = REST_UNARRANGEABLE[fixture.id];
        if (unarrangeable !== undefined) {
          await assert.rejects(
            arranging,
            /arranging: agents.create answered/,
            `"${fixture.id}" can now be arranged: take it off REST_UNARRANGEABLE (${unarrangeable})`,
          );
          return;
        }
        const { ids, devId } = await arranging;
        ids.set(world.organizationId, WORLD.organizationId);
        const { url, init } = requestFor(fixture, emulator, ids, await credentials(fixture, emulator, devId));
        if (SENT_TWICE.test(fixture.id)) await (await fetch(url, init)).arrayBuffer();
        const emulated = await answerTo(fixture, await fetch(url, init), ids);
        const departure = REST_DEPARTURES[fixture.id];
        if (departure === undefined) assert.deepEqual(emulated, recorded(fixture));
        else assert.notDeepEqual(emulated, recorded(fixture), `the emulator now answers as Platos: take "${fixture.id}" off REST_DEPARTURES (${departure})`);
      } finally {
        await emulator.close();
      }
    });
  }
});
