/**
 * Writes every fixture module listed in test/conformance/fixtures/index.ts to
 * test/conformance/fixtures/recorded/<module>.json: Platos's recorded answers as data, each with its source citations.
 * Run after changing a fixture (test/conformance/recorded-fixtures.test.ts fails while a file is stale):
 *
 *   npm run fixtures:export
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { RECORDED_DIR, recordedFiles } from "../test/conformance/fixtures/recorded-json";

mkdirSync(RECORDED_DIR, { recursive: true });
const files = recordedFiles();
for (const { path, text } of files) writeFileSync(path, text);
// A module taken off the index leaves no JSON behind.
const written = new Set(files.map(({ path }) => basename(path)));
for (const name of readdirSync(RECORDED_DIR)) if (name.endsWith(".json") && !written.has(name)) rmSync(join(RECORDED_DIR, name));
console.log(`wrote ${files.length} fixture modules to ${RECORDED_DIR}`);
