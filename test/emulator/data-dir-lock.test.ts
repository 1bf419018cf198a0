import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lockDataDir } from "../../emulator/data-dir-lock";

describe("data directory lock", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "platos-lock-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is taken, refused to a second taker while held, and released", () => {
    const release = lockDataDir(dir);
    assert.equal(readFileSync(join(dir, "emulator.lock"), "utf8").trim(), String(process.pid));
    writeFileSync(join(dir, "emulator.lock"), `${process.ppid}\n`);
    assert.throws(() => lockDataDir(dir), new RegExp(`another emulator \\(pid ${process.ppid}\\)`));
    release();
    assert.equal(existsSync(join(dir, "emulator.lock")), false);
  });

  it("takes over the lock of a process that is gone", () => {
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    assert.ok(gone);
    writeFileSync(join(dir, "emulator.lock"), `${gone}\n`);
    lockDataDir(dir)();
  });
});
