import assert from "node:assert/strict";
import { migrate } from "../../emulator/store/migrate";
import { MIGRATIONS } from "../../emulator/store/migrations";
import { openPglite } from "../../emulator/store/pglite";

describe("migrations", () => {
  it("apply once, in order, and are a no-op on the next start", async function () {
    this.timeout(30_000);
    const db = await openPglite();
    try {
      assert.deepEqual(await migrate(db), MIGRATIONS.map((migration) => migration.version));
      assert.deepEqual(await migrate(db), []);
      const projects = await db.query<{ slug: string }>("SELECT slug FROM projects");
      assert.deepEqual(projects, [{ slug: "default" }], "the seed ran once");
      const versions = MIGRATIONS.map((migration) => migration.version);
      assert.deepEqual(versions, [...versions].sort((a, b) => a - b), "versions ascend");
    } finally {
      await db.close();
    }
  });
});
