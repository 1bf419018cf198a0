/**
 * The same recorded Platos answers (fixtures/), asked of the emulator: each gateway fixture's call is sent to the
 * emulator in the state its `given` names, and the answer must be Platos's, up to ids and times (a value under an id
 * or time key is compared by type only). So the emulator cannot drift from Platos while the adapter follows it:
 * both are held to the same recordings. Where the emulator still answers otherwise, EMULATOR_DEPARTURES says why
 * (docs/api.md lists the same), and the test checks the departure is still there, so a fixed one is taken off.
 */
import { strict as assert } from "node:assert";
import { createClient, type PlatosClient } from "../../provider/client";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { PLATFORM_PATH } from "../../provider/client/platform/jsonrpc";
import { provideKeyMaterial } from "../platos/support";
import { arrange, rpc, shape } from "./emulator-world";
import { GATEWAY_FIXTURES } from "./fixtures/gateway";
import { GATEWAY_PROTOCOL_FIXTURES } from "./fixtures/gateway-protocol";
import { PINNED_BY_PLATOS_TESTS } from "./fixtures/platos-tests";
import { WORLD, type GatewayFixture, type GatewayProtocolFixture, type GatewayReply, type Given } from "./fixtures/types";

/** Fixtures the emulator answers otherwise, and why: each is a departure docs/api.md names. */
export const EMULATOR_DEPARTURES: Readonly<Record<string, string>> = {
  "environments.list/access-denied-not-a-member": "the emulator keeps no memberships: a token's minting user is always a member",
  "environments.create/access-denied-not-org-admin": "the emulator keeps no organization roles: every minting user may create environments",
  "environments.delete/access-denied-not-org-admin": "the emulator keeps no organization roles: every minting user may delete environments",
  "environments.set_secret/access-denied-no-secret-mutate": "the emulator keeps no roles: every minting user may write secrets",
  "environments.delete/env-in-use-by-threads": "the emulator has no threads",
  "environments.set_secret/set-failed": "the emulator's secret store does not fail on demand",
};

/** Givens the emulator arranges here; the approval gate's states are asked in test/emulator/platform/approvals.test.ts. */
const ARRANGED: readonly Given[] = [
  "environment",
  "agent",
  "agentWithBlocks",
  "variables",
  "providerCredential",
  "providerKey",
  "archivedEnvironment",
  "noToken",
  "badToken",
];

/** The fixture's arguments with the world's ids replaced by the arranged ones. */
function argumentsFor(fixture: Pick<GatewayFixture, "arguments">, ids: ReadonlyMap<string, string>): unknown {
  const text = [...ids].reduce((json, [arranged, recorded]) => json.split(recorded).join(arranged), JSON.stringify(fixture.arguments));
  return JSON.parse(text);
}

/** What the emulator's wire answer says, in the fixture's terms. */
function replyOf(answer: { status: number; body: unknown }): GatewayReply {
  const body = answer.body as { result?: { content?: [{ text: string }] }; error?: { code: number; message: string; data?: unknown } };
  if (answer.status !== 200) return { kind: "http", status: answer.status, body: answer.body };
  if (body.error)
    return { kind: "rpcError", code: body.error.code, message: body.error.message, ...(body.error.data === undefined ? {} : { data: body.error.data }) };
  return { kind: "result", value: JSON.parse(body.result!.content![0].text) as unknown };
}

/**
 * `recorded` holds where `emulated` has every key `recorded` has, with equal values there (arrays item by item, of
 * the same length): a protocol fixture records only what its source pins.
 */
function assertHolds(emulated: unknown, recorded: unknown, at = "answer"): void {
  if (recorded !== null && typeof recorded === "object" && !Array.isArray(recorded)) {
    assert.ok(emulated !== null && typeof emulated === "object" && !Array.isArray(emulated), `${at}: expected an object, got ${JSON.stringify(emulated)}`);
    for (const [key, value] of Object.entries(recorded)) {
      assert.ok(key in emulated, `${at}.${key} is missing from ${JSON.stringify(emulated)}`);
      assertHolds((emulated as Record<string, unknown>)[key], value, `${at}.${key}`);
    }
    return;
  }
  if (Array.isArray(recorded)) {
    assert.ok(Array.isArray(emulated) && emulated.length === recorded.length, `${at}: expected ${recorded.length} items, got ${JSON.stringify(emulated)}`);
    recorded.forEach((item, index) => assertHolds(emulated[index], item, `${at}[${index}]`));
    return;
  }
  assert.deepEqual(emulated, recorded, at);
}

/** Sends a protocol fixture's message as is, with its Authorization header (the world's token made the arranged one). */
async function send(emulator: RunningEmulator, fixture: GatewayProtocolFixture, token: string | undefined) {
  const authorization =
    fixture.authorization === undefined ? (token === undefined ? undefined : `Bearer ${token}`) : fixture.authorization.split(WORLD.mcpToken).join(token ?? "");
  const reply = await fetch(`${emulator.url}${PLATFORM_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify(fixture.message),
  });
  const text = await reply.text();
  return { status: reply.status, contentType: reply.headers.get("content-type"), text };
}

describe("Platos's recorded answers, asked of the emulator", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let admin: PlatosClient;

  before(async () => {
    emulator = await startEmulator();
    admin = createClient({ apiUrl: emulator.url, token: emulator.adminToken });
  });

  after(async () => {
    await emulator?.close();
  });

  for (const fixture of GATEWAY_FIXTURES.filter((f) => ARRANGED.includes(f.given))) {
    it(fixture.id, async () => {
      const { token, ids } = await arrange(emulator, admin, fixture.given);
      const answer = replyOf(await rpc(emulator, token, fixture.tool, argumentsFor(fixture, ids), fixture.approvalId));
      const emulated = shape(answer, ids);
      const recorded = shape(fixture.reply, new Map());
      const departure = EMULATOR_DEPARTURES[fixture.id];
      if (departure === undefined) assert.deepEqual(emulated, recorded);
      else assert.notDeepEqual(emulated, recorded, `the emulator now answers as Platos: take "${fixture.id}" off EMULATOR_DEPARTURES (${departure})`);
    });
  }

  describe("what Platos's own tests pin (fixtures/platos-tests.ts)", () => {
    for (const fixture of PINNED_BY_PLATOS_TESTS) {
      it(fixture.id, async () => {
        const { token, ids } = await arrange(emulator, admin, fixture.given);
        if (fixture.alsoCredential) {
          const environmentId = [...ids].find(([, recorded]) => recorded === WORLD.environmentId)![0];
          await provideKeyMaterial(emulator, "platform", environmentId, { ...fixture.alsoCredential, value: "sk-conformance" });
        }
        const answer = await rpc(emulator, token, fixture.tool, argumentsFor(fixture, ids));
        assert.equal(answer.status, 200);
        const raw = JSON.stringify(answer.body);
        const { pins } = fixture;
        if (pins.neverMatches !== undefined) assert.doesNotMatch(raw, new RegExp(pins.neverMatches, "i"));
        for (const text of pins.neverContains ?? []) assert.ok(!raw.includes(text), `the answer holds "${text}": ${raw}`);
        const body = answer.body as { result?: Record<string, unknown>; error?: unknown };
        if (pins.error !== undefined) {
          assert.deepEqual(body.error, pins.error);
          return;
        }
        assert.ok(body.result, `expected a result: ${raw}`);
        if (pins.bareEnvelope) {
          const content = body.result.content as Record<string, unknown>[];
          assert.deepEqual([Object.keys(body.result), content.length, Object.keys(content[0]!).sort()], [["content"], 1, ["text", "type"]]);
        }
        const value = JSON.parse((body.result.content as [{ text: string }])[0].text) as Record<string, unknown>;
        if (pins.value !== undefined) assertHolds(shape(value, ids), shape(pins.value, new Map()));
        for (const key of pins.lacksKeys ?? []) assert.ok(!(key in value), `the value has "${key}": ${raw}`);
      });
    }
  });

  describe("at the protocol level (fixtures/gateway-protocol.ts)", () => {
    for (const fixture of GATEWAY_PROTOCOL_FIXTURES) {
      it(fixture.id, async () => {
        const { token, ids } = await arrange(emulator, admin, fixture.given, { permissions: fixture.permissions });
        const answer = await send(emulator, fixture, token);
        assert.equal(answer.status, fixture.reply.status, answer.text);
        if (fixture.reply.body === undefined) {
          assert.equal(answer.text, "", "no body at all");
          return;
        }
        assert.match(answer.contentType ?? "", /^application\/json/);
        const body = JSON.parse(answer.text) as { result?: { content?: [{ text: string }] } };
        assertHolds(shape(body, ids), shape(fixture.reply.body, new Map()));
        if (fixture.reply.toolValue !== undefined) {
          const text = body.result?.content?.[0]?.text;
          assert.ok(typeof text === "string", `expected a tool result, got ${answer.text}`);
          assertHolds(shape(JSON.parse(text), ids), shape(fixture.reply.toolValue, new Map()));
        }
      });
    }
  });
});
