/**
 * The agent app's `/api/v1/agent/providers/keys` routes beyond what the recorded fixtures pin
 * (test/conformance/emulator-rest-answers.test.ts asks those): a session only for its environment, an unknown one
 * refused, the list's paging and search, rotation writing new material into the key's credential, and the routes on
 * one port as on two.
 */
import assert from "node:assert/strict";
import { createClient } from "../../provider/client";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";

const KEYS = "/api/v1/agent/providers/keys";
const BYOK = { provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY", plaintext: "sk-agent-keys-0000", isDefault: true };

async function openSession(emulator: RunningEmulator, environmentId: string): Promise<string> {
  const reply = await fetch(`${emulator.url}/emulator/agent-sessions`, {
    method: "POST",
    headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ environmentId }),
  });
  assert.equal(reply.status, 201);
  return ((await reply.json()) as { data: { token: string } }).data.token;
}

async function call(emulator: RunningEmulator, session: string, method: string, path: string, body?: unknown) {
  const reply = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { "x-platos-session-token": session, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
}

for (const layout of ["one port", "two ports"] as const) {
  describe(`the agent app's provider-key routes (${layout})`, function () {
    this.timeout(60_000);
    let emulator: RunningEmulator;
    let dev: string;
    let prod: string;

    beforeEach(async () => {
      emulator = await startEmulator(layout === "two ports" ? { coreApiPort: 0 } : {});
      const admin = createClient({ apiUrl: emulator.v1Url, token: emulator.adminToken });
      const [project] = await admin.projects.list();
      dev = (await admin.environments.create(project!.id, { slug: "dev" })).id;
      prod = (await admin.environments.create(project!.id, { slug: "prod" })).id;
    });
    afterEach(() => emulator.close());

    it("a session reaches only its environment's keys; an unknown session is 401", async () => {
      const devSession = await openSession(emulator, dev);
      const prodSession = await openSession(emulator, prod);
      const created = await call(emulator, devSession, "POST", `${KEYS}/byok`, BYOK);
      assert.equal(created.status, 201);
      const key = created.body["key"] as { id: string; credentialId: string; environmentId: string };
      assert.equal(key.environmentId, dev);
      assert.equal(typeof key.credentialId, "string");
      assert.deepEqual((await call(emulator, prodSession, "GET", KEYS)).body["keys"], []);
      assert.deepEqual((await call(emulator, prodSession, "DELETE", `${KEYS}/${key.id}`)).body, { error: "not_found" });
      assert.equal((await call(emulator, "not-a-session", "GET", KEYS)).status, 401);
      assert.deepEqual((await call(emulator, devSession, "DELETE", `${KEYS}/${key.id}`)).body, { deleted: true });
    });

    it("pages and searches the list", async () => {
      const session = await openSession(emulator, dev);
      for (const label of ["a", "b", "c"])
        assert.equal((await call(emulator, session, "POST", `${KEYS}/byok`, { ...BYOK, label, isDefault: false })).status, 201);
      const second = await call(emulator, session, "GET", `${KEYS}?limit=1&page=2`);
      assert.deepEqual([second.body["total"], second.body["offset"], second.body["hasMore"]], [3, 1, true]);
      assert.deepEqual(
        (second.body["keys"] as { label: string }[]).map((k) => k.label),
        ["b"],
      );
      const searched = await call(emulator, session, "GET", `${KEYS}?search=C`);
      assert.deepEqual(
        (searched.body["keys"] as { label: string }[]).map((k) => k.label),
        ["c"],
      );
      assert.deepEqual(searched.body["filters"], { search: "C" });
    });

    it("rotate-secret seals new material into the key's credential", async () => {
      const session = await openSession(emulator, dev);
      const key = (await call(emulator, session, "POST", `${KEYS}/byok`, BYOK)).body["key"] as { id: string; credentialId: string };
      const sealed = async () =>
        (await emulator.db.query<{ c: string }>("SELECT encode(value_ciphertext, 'hex') AS c FROM provider_credentials WHERE id = $1", [key.credentialId]))[0]!
          .c;
      const before = await sealed();
      const rotated = await call(emulator, session, "POST", `${KEYS}/${key.id}/rotate-secret`, { plaintext: "sk-agent-keys-rotated" });
      assert.equal(rotated.status, 201);
      assert.equal((rotated.body["key"] as { credentialId: string }).credentialId, key.credentialId);
      assert.notEqual(await sealed(), before);
    });
  });
}
