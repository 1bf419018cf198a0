/**
 * Mocha root hooks: the whole run writes its create journal (provider/runtime/create-journal.ts) into a scratch
 * directory, so tests neither read the journal of earlier runs nor leave one behind. Provider hosts the tests
 * start inherit the setting.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let dir: string | undefined;

export const mochaHooks = {
  beforeAll(): void {
    dir = mkdtempSync(join(tmpdir(), "platos-test-journal-"));
    process.env.PLATOS_CREATE_JOURNAL_DIR = dir;
  },
  afterAll(): void {
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
};
