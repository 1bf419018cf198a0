import assert from "node:assert/strict";
import { migrate } from "../../emulator/store/migrate";
import { MIGRATIONS } from "../../emulator/store/migrations";
import { openPglite } from "../../emulator/store/pglite";
import { DEFAULT_META_TOOLS } from "../../provider/client/schemas";
import type { Database } from "../../emulator/store/database";

/** A fresh database migrated up to (not including) migration `version`, with an environment e1, handed to `check`. */
async function migratedUpTo(version: number, check: (db: Database) => Promise<void>): Promise<void> {
  const db = await openPglite();
  try {
    await migrate(
      db,
      MIGRATIONS.filter((migration) => migration.version < version),
    );
    await db.exec("INSERT INTO environments (id, project_id, slug, name, created_at, updated_at) SELECT 'e1', id, 'dev', 'dev', now(), now() FROM projects");
    await check(db);
  } finally {
    await db.close();
  }
}

describe("migrations", () => {
  it("apply once, in order, and are a no-op on the next start", async function () {
    this.timeout(30_000);
    const db = await openPglite();
    try {
      assert.deepEqual(
        await migrate(db),
        MIGRATIONS.map((migration) => migration.version),
      );
      assert.deepEqual(await migrate(db), []);
      const projects = await db.query<{ slug: string }>("SELECT slug FROM projects");
      assert.deepEqual(projects, [{ slug: "default" }], "the seed ran once");
      const versions = MIGRATIONS.map((migration) => migration.version);
      assert.deepEqual(
        versions,
        [...versions].sort((a, b) => a - b),
        "versions ascend",
      );
    } finally {
      await db.close();
    }
  });

  it("3 gives the organization slug default and renames stored meta tools to Platos's, keeping memory_extract", async function () {
    this.timeout(30_000);
    await migratedUpTo(3, async (db) => {
      await db.exec(`
        INSERT INTO agents (id, project_id, environment_id, slug, name, is_active, current_version_id, version_number, created_at, updated_at)
          SELECT 'a1', project_id, 'e1', 'bot', 'Bot', true, 'v1', 1, now(), now() FROM environments;
        INSERT INTO agent_versions (id, agent_id, version_number, snapshot, created_at)
          VALUES ('v1', 'a1', 1, '{"model": "m:x", "metaTools": {"memory_search": true, "memory_extract": true, "think": false}}', now());
      `);
      assert.deepEqual(await migrate(db, MIGRATIONS.slice(0, 3)), [3]);
      const [version] = await db.query<{ snapshot: { metaTools: Record<string, boolean> } }>("SELECT snapshot FROM agent_versions");
      assert.deepEqual(version?.snapshot.metaTools, { ...DEFAULT_META_TOOLS, memory_extract: true });
      assert.deepEqual(await db.query("SELECT slug FROM organizations"), [{ slug: "default" }]);
    });
  });

  it("4 adds provider keys, one default per provider, dropped with their environment", async function () {
    this.timeout(30_000);
    await migratedUpTo(4, async (db) => {
      assert.deepEqual(await migrate(db, MIGRATIONS.slice(0, 4)), [4]);
      const key = (id: string, label: string) =>
        db.query(
          "INSERT INTO provider_keys (id, environment_id, provider, label, env_var_name, is_default, created_at, updated_at) VALUES ($1, 'e1', 'openai', $2, 'K', true, now(), now())",
          [id, label],
        );
      await key("k1", "first");
      await assert.rejects(key("k2", "second"), /provider_keys_one_default/);
      await db.exec("DELETE FROM environments WHERE id = 'e1'");
      assert.deepEqual(await db.query("SELECT id FROM provider_keys"), []);
    });
  });

  it("5 takes the first characters of secrets out of approval rows made before", async function () {
    this.timeout(30_000);
    await migratedUpTo(5, async (db) => {
      await db.exec(`
        INSERT INTO approvals (id, environment_id, tool_name, args_hash, redacted_args, args_ciphertext, args_iv, args_tag, status, expires_at, created_at)
          VALUES ('ap1', 'e1', 'environments.set_secret', 'h', '{"name": "K", "value": "sk-l…<redacted>", "nested": [{"token": "abcd…<redacted>"}], "short": "<redacted>"}',
            '\\x00', '\\x00', '\\x00', 'pending', now(), now());
      `);
      assert.deepEqual(
        await migrate(
          db,
          MIGRATIONS.filter((migration) => migration.version <= 5),
        ),
        [5],
      );
      const [row] = await db.query<{ redacted_args: unknown }>("SELECT redacted_args FROM approvals");
      assert.deepEqual(row?.redacted_args, { name: "K", value: "<redacted>", nested: [{ token: "<redacted>" }], short: "<redacted>" });
    });
  });
});
