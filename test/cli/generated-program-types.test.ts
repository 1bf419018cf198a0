/**
 * A program `pulumi-platos import` writes type-checks against the real pulumi-platos and @pulumi/pulumi types with
 * noUnusedLocals and noUnusedParameters, for a snapshot with and without each kind of object: it imports and declares
 * only what it uses.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import ts from "typescript";
import { renderProgram } from "../../provider/cli/render-program";
import type { EnvironmentSnapshot } from "../../provider/cli/snapshot";
import { AGENT_DEFAULTS } from "../../provider/client/schemas";

const root = path.resolve(__dirname, "../..");
const at = "2026-11-23T00:00:00.000Z";
const environment = { id: "e1", projectId: "p1", slug: "dev", name: "Development", createdAt: at, updatedAt: at };
const plain = { environmentId: "e1", key: "LOG_LEVEL", kind: "PLAIN", value: "debug", version: 1, createdAt: at, updatedAt: at } as const;
const secret = { environmentId: "e1", key: "OPENAI_API_KEY", kind: "SECRET", value: null, version: 3, createdAt: at, updatedAt: at } as const;
const agent = {
  ...AGENT_DEFAULTS,
  id: "a1",
  projectId: "p1",
  environmentId: "e1",
  slug: "support",
  name: "Support",
  model: "anthropic:claude-sonnet-4-6",
  systemPrompt: "Help.",
  isActive: true,
  currentVersionId: "av1",
  versionNumber: 2,
  createdAt: at,
  updatedAt: at,
};
const key = {
  id: "k1",
  environmentId: "e1",
  provider: "openai",
  label: "primary",
  envVarName: "OPENAI_API_KEY",
  isDefault: true,
  createdBy: "admin",
  createdAt: at,
  updatedAt: at,
  lastUsedAt: null,
};
const links = {
  base: "https://app.platos.example.com",
  environment: "https://app.platos.example.com/e",
  variables: "https://app.platos.example.com/v",
  providerKeys: "https://app.platos.example.com/k",
  agents: { support: "https://app.platos.example.com/a" },
};

const snapshotWith = (parts: Partial<EnvironmentSnapshot>): EnvironmentSnapshot => ({
  project: "default",
  environment,
  variables: [],
  agents: [],
  providerKeys: [],
  keysNameVariables: false,
  ...parts,
});

const SNAPSHOTS: Record<string, EnvironmentSnapshot> = {
  "the environment alone": snapshotWith({}),
  "a plain variable": snapshotWith({ variables: [plain] }),
  "a secret variable": snapshotWith({ variables: [secret] }),
  "a provider key naming a dashboard credential (platform)": snapshotWith({ providerKeys: [key] }),
  "a provider key naming its variable (v1)": snapshotWith({ variables: [secret], providerKeys: [key], keysNameVariables: true }),
  "an agent": snapshotWith({ agents: [agent] }),
  "everything, with dashboard links": snapshotWith({
    variables: [plain, secret],
    agents: [agent],
    providerKeys: [key],
    keysNameVariables: true,
    dashboard: links,
  }),
};

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  types: ["node"],
};

/** Diagnostics per program; each is a file of its own in the repository root, so `pulumi-platos` resolves to the built workspace. */
function typeCheck(programs: Record<string, string>): Record<string, string[]> {
  const files = new Map(Object.entries(programs).map(([label, text], i) => [path.join(root, `generated-${i}.ts`), { label, text }]));
  const host = ts.createCompilerHost(OPTIONS);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => files.has(file) || fileExists(file);
  host.readFile = (file) => files.get(file)?.text ?? readFile(file);
  host.getSourceFile = (file, language, ...rest) => {
    const virtual = files.get(file);
    return virtual ? ts.createSourceFile(file, virtual.text, language) : getSourceFile(file, language, ...rest);
  };
  const program = ts.createProgram([...files.keys()], OPTIONS, host);
  const found: Record<string, string[]> = Object.fromEntries(Object.keys(programs).map((label) => [label, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const label = diagnostic.file ? files.get(diagnostic.file.fileName)?.label : undefined;
    (found[label ?? "elsewhere"] ??= []).push(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
  }
  return found;
}

describe("import: the generated program has no unused imports or locals", function () {
  this.timeout(120_000);

  it("type-checks with noUnusedLocals for a snapshot with and without each kind of object", () => {
    const programs = Object.fromEntries(Object.entries(SNAPSHOTS).map(([label, snapshot]) => [label, renderProgram(snapshot)]));
    assert.deepEqual(typeCheck(programs), Object.fromEntries(Object.keys(SNAPSHOTS).map((label) => [label, []])));
  });

  it("the check finds an unused import (it is not vacuous)", () => {
    const found = typeCheck({ unused: `import { Agent } from "pulumi-platos";\nexport const x = 1;\n` });
    assert.equal(found.unused?.length, 1, JSON.stringify(found));
    assert.match(found.unused![0]!, /'Agent' is declared but its value is never read/);
  });

  it("imports @pulumi/pulumi only for a secret, and only the classes it declares", () => {
    const alone = renderProgram(SNAPSHOTS["the environment alone"]!);
    assert.match(alone, /^import \{ Environment \} from "pulumi-platos";$/m);
    assert.doesNotMatch(alone, /@pulumi\/pulumi|const target/);
    assert.match(renderProgram(SNAPSHOTS["a secret variable"]!), /^import \* as pulumi from "@pulumi\/pulumi";$/m);
  });
});
