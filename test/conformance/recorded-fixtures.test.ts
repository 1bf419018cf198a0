/**
 * The recorded JSON (test/conformance/fixtures/recorded/*.json, the readable record docs/api.md points at) says what
 * the fixture modules say: one file per module of fixtures/index.ts, none other, each as `npm run fixtures:export`
 * writes it.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { FIXTURE_MODULES } from "./fixtures/index";
import { RECORDED_DIR, recordedFiles } from "./fixtures/recorded-json";

describe("recorded fixture JSON", () => {
  it("has one file per fixture module and no other", () => {
    const onDisk = readdirSync(RECORDED_DIR)
      .filter((name) => name.endsWith(".json"))
      .sort();
    assert.deepEqual(onDisk, FIXTURE_MODULES.map((module) => `${module.name}.json`).sort(), "run `npm run fixtures:export`");
  });

  for (const { path, text } of recordedFiles()) {
    it(`${basename(path)} is fresh`, () => {
      assert.ok(readFileSync(path, "utf8") === text, `${basename(path)} is stale: run \`npm run fixtures:export\``);
    });
  }

  it("every recorded fixture cites its source", () => {
    for (const module of FIXTURE_MODULES) {
      for (const fixture of Object.values(module.lists).flat() as { id: string; source?: unknown[] }[]) {
        assert.ok(Array.isArray(fixture.source) && fixture.source.length > 0, `${module.name}: ${fixture.id} cites no source`);
      }
    }
  });
});
