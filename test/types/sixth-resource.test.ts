/**
 * A throw-away sixth resource: the registry gains a `Queue` (create, read, delete; its objects a collection of the
 * environment) and the gateway a `queues.create` tool, in memory only, and the whole tree is type-checked as
 * `npm run typecheck` does. Every per-resource place CONTRIBUTING.md's "Adding a resource" says `tsc` names must then
 * fail to compile, and the checklist must name each of them: a place that stops failing, or a checklist that
 * forgets one, fails here.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const root = path.resolve(__dirname, "../..");
const REGISTRY = path.join(root, "provider/registry.ts");
const TOOLS = path.join(root, "provider/client/platform/tools.ts");

/** The places `tsc` names, each with what it must be told of the new resource (CONTRIBUTING.md lists the same). */
export const PLACES_TSC_NAMES: Readonly<Record<string, string>> = {
  "provider/runtime/index.ts": "its engine-side provider, exported under its shim name",
  "provider/runtime/read-cache.ts": "how to list its collection and key an item",
  "provider/providers/environment-contents.ts": "how an environment's delete names what is left of it",
  "provider/cli/snapshot.ts": "import reads its collection",
  "provider/cli/render-program.ts": "the class import declares its objects with",
  "policy/platos-resources.ts": "the input that names its target environment",
  "test/types/class-outputs.ts": "its class and its provider's outputs",
  "test/types/shims.ts": "its shim file",
  "provider/client/platform/tools.ts": "each new tool's `repeat` (the resend rule) and `minted` (the minted tokens' scopes)",
};

function withSixthResource(file: string, text: string): string {
  if (file === REGISTRY) {
    const entry = '  ProviderKey: { shim: "providerKey", journal: "providerKey", collection: "providerKeys" },\n';
    assert.ok(text.includes(entry), "the registry's last entry moved: update this test's anchor");
    return text.replace(entry, `${entry}  Queue: { shim: "queue", journal: "queue", collection: "queues" },\n`);
  }
  if (file === TOOLS) {
    const end = "\n} as const;\n";
    assert.ok(text.includes(end), "the tool table's end moved: update this test's anchor");
    const tool = '  "queues.create": tool({ description: "Create a queue.", inputSchema: EMPTY_OBJECT, result: z.object({ id: z.string() }), errors: [] }),';
    return text.replace(end, `\n${tool}${end}`);
  }
  return text;
}

/** The files `tsc` reports errors in, with the registry and the tool table as a successor would first change them. */
function filesFailingWithASixthResource(): Set<string> {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) },
  );
  assert.ok(config);
  // The policy pack and the examples import the provider by package name, which resolves to its build (lib/*.d.ts,
  // made before the type-check in npm test); here, to the sources the new resource is added to.
  const options: ts.CompilerOptions = {
    ...config.options,
    paths: {
      "pulumi-platos": ["./provider/index.ts"],
      "pulumi-platos/rules": ["./provider/rules/index.ts"],
      "pulumi-platos/client": ["./provider/client/index.ts"],
    },
    pathsBasePath: root,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => {
    const text = readFile(file);
    return text === undefined ? undefined : withSixthResource(path.resolve(file), text);
  };
  const program = ts.createProgram({ rootNames: config.fileNames, options, host });
  const failing = new Set<string>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (diagnostic.file) failing.add(path.relative(root, diagnostic.file.fileName));
  }
  return failing;
}

describe("a throw-away sixth resource: tsc names every place that must know it", function () {
  this.timeout(240_000);

  it("fails to compile in each place the checklist names", () => {
    const failing = filesFailingWithASixthResource();
    const silent = Object.keys(PLACES_TSC_NAMES).filter((place) => !failing.has(place));
    assert.deepEqual(silent, [], `places tsc no longer names for a new resource (failing: ${[...failing].sort().join(", ")})`);
  });

  it("CONTRIBUTING.md's checklist names each of those places", () => {
    const contributing = fs.readFileSync(path.join(root, "CONTRIBUTING.md"), "utf8");
    const start = contributing.indexOf("\n## Adding a resource\n");
    assert.ok(start >= 0, 'CONTRIBUTING.md has no "Adding a resource" section');
    const section = contributing.slice(start, contributing.indexOf("\n## ", start + 1));
    const missing = Object.keys(PLACES_TSC_NAMES).filter((place) => !section.includes(`\`${place}\``));
    assert.deepEqual(missing, [], "the checklist does not name these places");
  });
});
