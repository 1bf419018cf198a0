/** The repository README's sections, which the consumer tests hold to the steps they run. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

const README = path.resolve(__dirname, "../..", "README.md");

/** The text from `heading` (a line starting `## ` or `### `) to the next top-level section. */
export function readmeSection(heading: string): string {
  const readme = fs.readFileSync(README, "utf8");
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `the README has no "${heading}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start + 1, end < 0 ? undefined : end);
}
