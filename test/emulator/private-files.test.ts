/** The emulator's data directory and every file in it are the running user's alone: no one else may write (or read) them. */
import assert from "node:assert/strict";
import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPglite } from "../../emulator/store/pglite";
import { spawnEmulator } from "../helpers/emulator";

/** Every path under `dir` (itself included) whose mode lets group or others in, with that mode. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const visit = (path: string): void => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & 0o077) !== 0) found.push(`${path.slice(dir.length) || "."} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
  };
  visit(dir);
  return found;
}

const countFiles = (dir: string): number => readdirSync(dir, { recursive: true }).length;

/** Runs `work` with the process umask at 000, the loosest a user may have; spawned children inherit it. */
async function withOpenUmask<T>(work: () => Promise<T>): Promise<T> {
  const previous = process.umask(0);
  try {
    return await work();
  } finally {
    process.umask(previous);
  }
}

describe("the emulator's data files", function () {
  this.timeout(180_000);
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "platos-private-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("are private after the emulator process initialised its data directory and wrote to it (umask 000)", async () => {
    const dataDir = join(root, "data");
    const admin = "private-files-admin-token";
    const emulator = await withOpenUmask(() => spawnEmulator({ dataDir, adminToken: admin }));
    try {
      const headers = { authorization: `Bearer ${admin}`, "content-type": "application/json" };
      const created = await fetch(`${emulator.url}/api/v1/projects/default/environments`, { method: "POST", headers, body: JSON.stringify({ slug: "dev" }) });
      assert.equal(created.status, 201);
      const { data } = (await created.json()) as { data: { id: string } };
      const put = await fetch(`${emulator.url}/api/v1/environments/${data.id}/variables/OPENAI_API_KEY`, {
        method: "PUT",
        headers,
        body: JSON.stringify({ value: "sk-private", secret: true }),
      });
      assert.equal(put.status, 201);
    } finally {
      assert.equal(await emulator.stop(), 0);
    }
    assert.ok(countFiles(join(dataDir, "pgdata")) > 100, "PGlite wrote its cluster");
    assert.equal(lstatSync(dataDir).mode & 0o777, 0o700);
    assert.deepEqual(openToOthers(dataDir), []);
  });

  it("are private when PGlite opens a data directory in this process, new or made before (umask 000)", async () => {
    const dataDir = join(root, "pgdata");
    await withOpenUmask(async () => {
      const db = await openPglite({ dataDir });
      await db.exec("CREATE TABLE t (x integer); INSERT INTO t SELECT generate_series(1, 1000); CHECKPOINT;");
      await db.close();
    });
    assert.deepEqual(openToOthers(dataDir), []);
  });
});
