/**
 * The reference pages in docs/resources/ against the package's public types (test/docs/public-fields.ts): every
 * input and output has one line in its page, whether it is required matches its type, and a page documents no field
 * that does not exist. The types are the one source; the pages follow them.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { pageName, publicItems, type PublicField, type PublicItem } from "./public-fields";

const root = path.resolve(__dirname, "../..");
const pages = path.join(root, "docs/resources");

interface FieldLine {
  readonly name: string;
  readonly cells: readonly string[];
}

/** The table rows of each `## ` section whose first cell is a `field`, by heading. */
export function fieldLines(markdown: string): Map<string, FieldLine[]> {
  const sections = new Map<string, FieldLine[]>();
  let current: FieldLine[] | undefined;
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) continue;
    const heading = /^## (.+)$/.exec(line);
    if (heading) sections.set(heading[1]!.trim(), (current = []));
    const row = /^\|\s*`([A-Za-z0-9_]+)`\s*\|(.*)\|\s*$/.exec(line);
    // A cell may hold an escaped `\|` (a union type).
    if (row && current) current.push({ name: row[1]!, cells: row[2]!.split(/(?<!\\)\|/).map((cell) => cell.trim()) });
  }
  return sections;
}

/** What is wrong with one section of a page, against the fields the types have. */
function sectionProblems(page: string, section: string, fields: readonly PublicField[], lines: readonly FieldLine[] | undefined): string[] {
  if (lines === undefined) return [`${page} has no "## ${section}" section`];
  const problems: string[] = [];
  const documented = new Map(lines.map((line) => [line.name, line]));
  if (documented.size !== lines.length) problems.push(`${page} "${section}" documents a field twice`);
  for (const field of fields) {
    const line = documented.get(field.name);
    if (!line) {
      problems.push(`${page} "${section}" has no line for \`${field.name}\``);
      continue;
    }
    const description = line.cells.at(-1) ?? "";
    if (description.length === 0 || line.cells.length < 2) problems.push(`${page} "${section}" \`${field.name}\` has no type or description`);
    if (section === "Inputs" || section === "Access overrides") {
      const presence = line.cells[1] ?? "";
      const expected = field.optional ? "optional" : "required";
      if (!presence.startsWith(expected)) problems.push(`${page} "${section}" \`${field.name}\` is ${expected}, the page says "${presence}"`);
    }
  }
  const names = new Set(fields.map((field) => field.name));
  for (const line of lines) if (!names.has(line.name)) problems.push(`${page} "${section}" documents \`${line.name}\`, which is not a field`);
  return problems;
}

/** Every problem of one item's page. */
export function pageProblems(item: PublicItem, markdown: string): string[] {
  const page = `docs/resources/${pageName(item.name)}.md`;
  const lines = fieldLines(markdown);
  return Object.entries(item.sections).flatMap(([section, fields]) => sectionProblems(page, section, fields, lines.get(section)));
}

describe("docs: the resource reference pages", function () {
  this.timeout(120_000);
  let items: PublicItem[];
  before(() => {
    items = publicItems();
  });

  it("each resource of the registry and getAgent has a page, and there is no page for anything else", () => {
    const expected = items.map((item) => `${pageName(item.name)}.md`).sort();
    assert.deepEqual(
      fs
        .readdirSync(pages)
        .filter((file) => file.endsWith(".md"))
        .sort(),
      expected,
    );
  });

  it("each page has one line per input and output, says which inputs are required, and documents no field that does not exist", () => {
    const problems = items.flatMap((item) => pageProblems(item, fs.readFileSync(path.join(pages, `${pageName(item.name)}.md`), "utf8")));
    assert.deepEqual(problems, []);
  });

  it("each page's example is a program under examples/", () => {
    for (const item of items) {
      const page = fs.readFileSync(path.join(pages, `${pageName(item.name)}.md`), "utf8");
      const example = /\(\.\.\/\.\.\/examples\/([a-z0-9-]+)\/index\.ts\)/.exec(page);
      assert.ok(example, `${pageName(item.name)}.md links no example program`);
      assert.ok(fs.existsSync(path.join(root, "examples", example[1]!, "index.ts")), `examples/${example[1]}/index.ts does not exist`);
    }
  });

  it("a field missing from a page, a field the types do not have and a wrong required flag are each reported", () => {
    const item: PublicItem = {
      name: "Thing",
      sections: {
        Inputs: [
          { name: "slug", optional: false },
          { name: "name", optional: true },
        ],
        Outputs: [{ name: "createdAt", optional: false }],
      },
    };
    const page = [
      "## Inputs",
      "",
      "| input | type | | description |",
      "| --- | --- | --- | --- |",
      "| `slug` | `string` | optional | The key. |",
      "| `colour` | `string` | optional | Not a field. |",
      "",
      "## Outputs",
      "",
    ].join("\n");
    assert.deepEqual(pageProblems(item, page), [
      'docs/resources/thing.md "Inputs" `slug` is required, the page says "optional"',
      'docs/resources/thing.md "Inputs" has no line for `name`',
      'docs/resources/thing.md "Inputs" documents `colour`, which is not a field',
      'docs/resources/thing.md "Outputs" has no line for `createdAt`',
    ]);
  });
});
