import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvironmentVariableResource } from "../../provider/client/schemas";
import { createKeyring, loadOrCreateMasterKey, MASTER_KEY_BYTES, parseMasterKey } from "../../emulator/crypto";
import { startEmulator } from "../helpers/emulator";
import { apiAs, collectionOf, createEnvironment, itemOf } from "./support";

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

/** The files under `dir` that contain `needle` as UTF-8 bytes. */
const filesContaining = (dir: string, needle: string): string[] => filesUnder(dir).filter((file) => readFileSync(file).includes(Buffer.from(needle, "utf8")));

describe("values at rest", () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "platos-at-rest-"));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps no value in the clear in the database or anywhere in the data directory", async function () {
    this.timeout(60_000);
    const secret = `sk-secret-${randomBytes(12).toString("hex")}`;
    const plain = `plain-value-${randomBytes(12).toString("hex")}`;
    const marker = `MARKER_${randomBytes(6).toString("hex").toUpperCase()}`;
    const emulator = await startEmulator({ dataDir: join(dataDir, "pgdata") });
    try {
      const admin = apiAs(emulator.app, emulator.adminToken);
      const env = await createEnvironment(admin);
      const url = `/api/v1/environments/${env.id}/variables`;
      const replies = [
        await admin.put(`${url}/OPENAI_API_KEY`, { value: secret, secret: true }, { "idempotency-key": "secret-put" }),
        await admin.put(`${url}/${marker}`, { value: plain }, { "idempotency-key": "plain-put" }),
        await admin.get(`${url}/OPENAI_API_KEY`),
        await admin.get(url),
      ];
      for (const reply of replies) assert.ok(!reply.text.includes(secret), "a response carried the secret");
      const listed = collectionOf(await admin.get(url), EnvironmentVariableResource).data;
      assert.equal(listed.find((variable) => variable.key === marker)?.value, plain, "PLAIN values still read back");

      const tables = ["variables", "idempotency_records", "agent_versions", "settings"];
      for (const table of tables) {
        const rows = await emulator.db.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
        for (const { row } of rows) {
          assert.ok(!row.includes(secret) && !row.includes(plain), `${table} holds a value in the clear`);
          assert.ok(!row.includes(Buffer.from(secret).toString("hex")), `${table} holds the secret hex-encoded`);
        }
      }
      const [variable] = await emulator.db.query<{ ciphertext: Uint8Array; iv: Uint8Array; tag: Uint8Array }>(
        "SELECT value_ciphertext AS ciphertext, value_iv AS iv, value_tag AS tag FROM variables WHERE key = 'OPENAI_API_KEY'",
      );
      assert.ok(variable);
      assert.deepEqual([variable.iv.length, variable.tag.length, variable.ciphertext.length], [12, 16, Buffer.byteLength(secret)], "an AES-256-GCM envelope");
    } finally {
      await emulator.close();
    }

    assert.deepEqual(filesContaining(dataDir, secret), [], "files holding the secret");
    assert.deepEqual(filesContaining(dataDir, plain), [], "files holding the PLAIN value");
    assert.ok(filesContaining(dataDir, marker).length > 0, "the scan sees what is stored (the key is stored in the clear)");
  });
});

describe("crypto", () => {
  const keyring = createKeyring(randomBytes(MASTER_KEY_BYTES));

  it("opens what it sealed, only for the row it was sealed for", () => {
    const sealed = keyring.seal("hello", "env-1/KEY");
    assert.equal(keyring.open(sealed, "env-1/KEY"), "hello");
    assert.throws(() => keyring.open(sealed, "env-2/KEY"));
    assert.throws(() => createKeyring(randomBytes(MASTER_KEY_BYTES)).open(sealed, "env-1/KEY"));
    assert.notDeepEqual(keyring.seal("hello", "env-1/KEY").iv, sealed.iv, "a fresh IV per value");
  });

  it("creates the master key file once, mode 0600, and reuses it", () => {
    const dir = mkdtempSync(join(tmpdir(), "platos-key-"));
    try {
      const key = loadOrCreateMasterKey(dir);
      assert.equal(key.length, MASTER_KEY_BYTES);
      assert.equal(statSync(join(dir, "master.key")).mode & 0o777, 0o600);
      assert.deepEqual(loadOrCreateMasterKey(dir), key);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts only 64 hex characters as a master key", () => {
    assert.equal(parseMasterKey("ab".repeat(32)).length, 32);
    for (const bad of ["ab".repeat(31), "zz".repeat(32), ""]) assert.throws(() => parseMasterKey(bad));
  });

  it("refuses to open a store with another master key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "platos-rekey-"));
    try {
      const first = await startEmulator({ dataDir: dir });
      const admin = apiAs(first.app, first.adminToken);
      const env = await createEnvironment(admin);
      itemOf(await admin.put(`/api/v1/environments/${env.id}/variables/A`, { value: "x" }), EnvironmentVariableResource, 201);
      await first.close();
      await assert.rejects(startEmulator({ dataDir: dir }), /master key is not the one/);
      const again = await startEmulator({ dataDir: dir, masterKey: first.masterKey });
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
