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
import { arrange, rpc, shape } from "./emulator-world";
import { GATEWAY_FIXTURES } from "./fixtures/gateway";
import type { GatewayFixture, GatewayReply, Given } from "./fixtures/types";

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
const ARRANGED: readonly Given[] = ["environment", "agent", "agentWithBlocks", "variables", "providerCredential", "providerKey", "archivedEnvironment", "noToken", "badToken"];

/** The fixture's arguments with the world's ids replaced by the arranged ones. */
function argumentsFor(fixture: GatewayFixture, ids: ReadonlyMap<string, string>): unknown {
  const text = [...ids].reduce((json, [arranged, recorded]) => json.split(recorded).join(arranged), JSON.stringify(fixture.arguments));
  return JSON.parse(text);
}

/** What the emulator's wire answer says, in the fixture's terms. */
function replyOf(answer: { status: number; body: unknown }): GatewayReply {
  const body = answer.body as { result?: { content?: [{ text: string }] }; error?: { code: number; message: string; data?: unknown } };
  if (answer.status !== 200 && answer.status !== 201) return { kind: "http", status: answer.status, body: answer.body };
  if (body.error) return { kind: "rpcError", code: body.error.code, message: body.error.message, ...(body.error.data === undefined ? {} : { data: body.error.data }) };
  return { kind: "result", value: JSON.parse(body.result!.content![0].text) as unknown };
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
});
