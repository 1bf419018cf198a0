/**
 * `pulumi-platos import` against a hostile server: every string Platos can return is written only as a literal, and
 * slugs, keys and names no resource would take are refused. The platform protocol's read path accepts any slug, so
 * the snapshot here holds what such a server could send.
 */
import { strict as assert } from "node:assert";
import ts from "typescript";
import { definitionOf } from "../../provider/functions/agent-definition";
import { renderProgram } from "../../provider/cli/render-program";
import { dashboardLinksOf, readSnapshot, type EnvironmentSnapshot } from "../../provider/cli/snapshot";
import { AGENT_DEFAULTS } from "../../provider/client/schemas";
import { createPlatosApi, PROTOCOLS } from "../../provider/platos";
import { platosWorld } from "../helpers/platos-world";
import { type Access } from "../platos/support";
import { argsOf, runGeneratedProgram } from "./generated-program";

/** Payloads that end a comment line, a string, a template or a block comment, then call `pwned()`. */
export const HOSTILE = [
  "x\npwned();//",
  "x\rpwned();//",
  "x\u2028pwned();//",
  "x\u2029pwned();//",
  "x */ pwned(); /*",
  "x` + pwned() + `",
  "x${pwned()}",
  'x"); pwned(); ("',
  "x'); pwned(); ('",
  'x\\"); pwned(); //',
  "x</script>\u0000",
];

/**
 * Characters a reviewer cannot see, or that reorder the text around them ("Trojan Source"): one of each kind, by name.
 * Raw in a literal, `"admin\u202e"` can read as something else than what runs.
 */
export const INVISIBLE: Readonly<Record<string, string>> = {
  "U+202A left-to-right embedding": "\u202a",
  "U+202B right-to-left embedding": "\u202b",
  "U+202C pop directional formatting": "\u202c",
  "U+202D left-to-right override": "\u202d",
  "U+202E right-to-left override": "\u202e",
  "U+2066 left-to-right isolate": "\u2066",
  "U+2067 right-to-left isolate": "\u2067",
  "U+2068 first strong isolate": "\u2068",
  "U+2069 pop directional isolate": "\u2069",
  "U+200E left-to-right mark": "\u200e",
  "U+200F right-to-left mark": "\u200f",
  "U+061C Arabic letter mark": "\u061c",
  "U+200B zero-width space": "\u200b",
  "U+200C zero-width non-joiner": "\u200c",
  "U+200D zero-width joiner": "\u200d",
  "U+2060 word joiner": "\u2060",
  "U+FEFF byte order mark": "\ufeff",
  "U+0085 next line (C1 control)": "\u0085",
  "U+007F delete": "\u007f",
  "U+00AD soft hyphen": "\u00ad",
  "U+2028 line separator": "\u2028",
  "U+2029 paragraph separator": "\u2029",
  "U+00A0 no-break space": "\u00a0",
  "U+3000 ideographic space": "\u3000",
  "U+3164 Hangul filler": "\u3164",
  "U+E0041 tag latin capital A": "\u{e0041}",
  "U+D800 lone surrogate": "\ud800",
};

/** A line that reads as a comment but, with its bidi controls, hides code between them. */
const TROJAN = "admin\u202e \u2066// check later\u2069 \u2066";

const at = "2026-11-23T00:00:00.000Z";

function snapshotWith(text: string): EnvironmentSnapshot {
  return {
    project: `default${text}`,
    environment: { id: `e1${text}`, projectId: "p1", slug: "dev", name: `Dev ${text}`, createdAt: at, updatedAt: at },
    variables: [
      { environmentId: "e1", key: "LOG_LEVEL", kind: "PLAIN", value: `debug ${text}`, version: 1, createdAt: at, updatedAt: at },
      { environmentId: "e1", key: "OPENAI_API_KEY", kind: "SECRET", value: null, version: 1, createdAt: at, updatedAt: at },
    ],
    agents: [
      {
        ...AGENT_DEFAULTS,
        id: `a1${text}`,
        projectId: "p1",
        environmentId: "e1",
        slug: "support",
        name: `Support ${text}`,
        model: "anthropic:claude-sonnet-4-6",
        systemPrompt: `Help ${text}`,
        promptBlocks: [{ key: `block ${text}`, content: text }],
        featureFlags: { [text]: true },
        toolsBlockConfig: { [text]: text },
        isActive: true,
        currentVersionId: "av1",
        versionNumber: 1,
        createdAt: at,
        updatedAt: at,
      },
    ],
    keysNameVariables: true,
    providerKeys: [
      {
        id: `k1${text}`,
        environmentId: "e1",
        provider: "openai",
        label: `primary ${text}`,
        envVarName: "OPENAI_API_KEY",
        isDefault: true,
        createdBy: null,
        createdAt: at,
        updatedAt: at,
        lastUsedAt: null,
      },
    ],
  };
}

/** Every identifier the program's code (not its strings or comments) names. */
function identifiersIn(program: string): Set<string> {
  const source = ts.createSourceFile("index.ts", program, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

function assertCompiles(program: string): void {
  const output = ts.transpileModule(program, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
  assert.deepEqual(
    output.diagnostics?.map((d) => d.messageText),
    [],
  );
}

describe("import program renderer: hostile strings from the server", () => {
  for (const text of HOSTILE) {
    it(`writes ${JSON.stringify(text)} only as literals, in code and comments, and the program compiles`, () => {
      const snapshot = snapshotWith(text);
      const links = dashboardLinksOf(snapshot, `https://dash.example.test/${text}`, { organizationSlug: `acme${text}`, projectSlug: `default${text}` });
      for (const program of [renderProgram(snapshot), renderProgram({ ...snapshot, dashboard: links })]) {
        assertCompiles(program);
        assert.ok(!identifiersIn(program).has("pwned"), program);
        for (const line of program.split(/\r\n|[\n\r\u2028\u2029]/)) assert.ok(!line.includes("pwned();//") || line.includes('"'), line);
      }
    });
  }

  it("keeps each value as the server sent it", () => {
    const text = HOSTILE[0]!;
    const program = renderProgram(snapshotWith(text));
    assert.ok(program.includes(`name: ${JSON.stringify(`Dev ${text}`)}`));
    assert.ok(program.includes(`value: ${JSON.stringify(`debug ${text}`)}`));
    assert.ok(program.includes(`label: ${JSON.stringify(`primary ${text}`)}`));
  });
});

/** Characters in `program` outside printable ASCII and its line ends: none, for a server that sent ASCII and invisible characters only. */
const unprintable = (program: string) =>
  [...program].filter((c) => c !== "\n" && (c < " " || c > "~")).map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`);

describe("import program renderer: characters a reviewer cannot see", () => {
  for (const [name, char] of [...Object.entries(INVISIBLE), ["a Trojan Source line", TROJAN] as const]) {
    it(`writes ${name} as an escape in code and comments, and the program declares the same strings`, () => {
      const text = `x${char}y`;
      const snapshot = snapshotWith(text);
      // A URL cannot hold a lone surrogate (encodeURIComponent throws), so that one has no dashboard links.
      const links = !/\p{Cs}/u.test(text)
        ? [dashboardLinksOf(snapshot, `https://dash.example.test/${text}`, { organizationSlug: "acme", projectSlug: "default" })]
        : [];
      for (const program of [renderProgram(snapshot), ...links.map((dashboard) => renderProgram({ ...snapshot, dashboard }))]) {
        assert.deepEqual(unprintable(program), []);
        const declared = runGeneratedProgram(program);
        assert.equal(argsOf(declared, "Environment", "env-dev").name, `Dev ${text}`);
        assert.equal(argsOf(declared, "Environment", "env-dev").project, `default${text}`);
        assert.equal(argsOf(declared, "EnvironmentVariable", "var-log-level").value, `debug ${text}`);
        assert.equal(argsOf(declared, "ProviderKey").label, `primary ${text}`);
        const { project, environment, adopt, ...agent } = argsOf(declared, "Agent", "agent-support");
        assert.deepEqual([project, environment, adopt], [`default${text}`, "dev", true]);
        assert.deepEqual(agent, definitionOf(snapshot.agents[0]!));
      }
    });
  }

  it("keeps ordinary non-ASCII letters, digits and symbols readable", () => {
    const text = "Café 中文 Ωμέγα ١٢٣ 😀";
    const program = renderProgram(snapshotWith(text));
    assert.ok(program.includes(`"name": "Support ${text}"`), program);
    assert.equal(argsOf(runGeneratedProgram(program), "Agent", "agent-support").name, `Support ${text}`);
  });
});

describe("import program renderer: map keys that are also JavaScript's own names", () => {
  const base = snapshotWith("");
  const withAgent = (fields: Partial<EnvironmentSnapshot["agents"][number]>): EnvironmentSnapshot => ({ ...base, agents: [{ ...base.agents[0]!, ...fields }] });

  it("declares featureFlags, outputSchema and memoryConfig keyed toString, constructor, hasOwnProperty... as read", () => {
    const names = ["toString", "constructor", "hasOwnProperty", "valueOf", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "__defineGetter__"];
    const snapshot = withAgent({
      featureFlags: Object.fromEntries(names.map((name, i) => [name, i % 2 === 0])),
      outputSchema: { type: "object", properties: Object.fromEntries(names.map((name) => [name, { type: "string" }])), required: names },
      memoryConfig: Object.fromEntries(names.map((name) => [name, { [name]: name }])),
    });
    const { project: _p, environment: _e, adopt: _a, ...agent } = argsOf(runGeneratedProgram(renderProgram(snapshot)), "Agent", "agent-support");
    assert.deepEqual(agent, definitionOf(snapshot.agents[0]!));
    for (const field of ["featureFlags", "outputSchema", "memoryConfig"] as const) {
      assert.equal(Object.getPrototypeOf(agent[field]), Object.prototype, field);
      assert.deepEqual(Object.keys(agent[field] as object), Object.keys(snapshot.agents[0]![field]!), field);
    }
  });

  const refused: [string, Partial<EnvironmentSnapshot["agents"][number]>, RegExp][] = [
    [
      "a featureFlags key __proto__ (JSON.parse makes it an own key)",
      { featureFlags: JSON.parse('{"beta":true,"__proto__":true}') as Record<string, boolean> },
      /agent "support" \(id "a1"\): featureFlags has the key "__proto__", which a Pulumi program cannot carry \(JavaScript reads it as the object's prototype/,
    ],
    [
      "a nested outputSchema key __proto__",
      { outputSchema: JSON.parse('{"properties":{"__proto__":{"type":"string"}}}') as Record<string, unknown> },
      /agent "support" \(id "a1"\): outputSchema\["properties"\] has the key "__proto__"/,
    ],
    [
      "a memoryConfig key the Pulumi SDK reads as an Output",
      { memoryConfig: { scopes: [{ __pulumiOutput: true }] } },
      /memoryConfig\["scopes"\]\[0\] has the key "__pulumiOutput", which a Pulumi program cannot carry \(the Pulumi SDK reads it as a marker of its own/,
    ],
    [
      "a toolsBlockConfig key that is the Pulumi SDK's signature key",
      { toolsBlockConfig: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: 1 } },
      /toolsBlockConfig has the key "4dabf18193072939515e22adb298388d"/,
    ],
  ];
  for (const [what, fields, message] of refused) {
    it(`refuses ${what}, naming the agent, where the key is and why`, () => {
      assert.throws(
        () => renderProgram(withAgent(fields)),
        (err: Error) => {
          assert.match(err.message, /Pulumi resources cannot take, so no program was written/);
          assert.match(err.message, message);
          return true;
        },
      );
    });
  }
});

describe("import program renderer: objects no resource can take", () => {
  const valid = snapshotWith("");

  const refusals: [string, EnvironmentSnapshot, RegExp][] = [
    [
      "an environment slug",
      { ...valid, environment: { ...valid.environment, slug: "dev\npwned();//" } },
      /environment "dev\\npwned\(\);\/\/": slug must be lowercase letters and digits/,
    ],
    ["an environment name", { ...valid, environment: { ...valid.environment, name: "" } }, /environment "dev": name must not be empty/],
    [
      "a variable key",
      { ...valid, variables: [{ ...valid.variables[0]!, key: "LOG\u2028pwned()" }] },
      /variable "LOG\\u2028pwned\(\)": key must be an uppercase letter/,
    ],
    [
      "a PLAIN value",
      { ...valid, variables: [{ ...valid.variables[0]!, value: "x".repeat(8193) }] },
      /variable "LOG_LEVEL": value must be at most 8192 characters/,
    ],
    [
      "an agent slug",
      { ...valid, agents: [{ ...valid.agents[0]!, slug: "support*/pwned()/*" }] },
      /agent "support\*\/pwned\(\)\/\*" \(id "a1"\): slug must be lowercase letters and digits/,
    ],
    ["an agent model", { ...valid, agents: [{ ...valid.agents[0]!, model: "x\npwned()" }] }, /agent "support" \(id "a1"\): model must be provider:model/],
    [
      "a provider key's provider",
      { ...valid, providerKeys: [{ ...valid.providerKeys[0]!, provider: "Open AI" }] },
      /provider key "primary " \(id "k1"\): provider must be a provider id/,
    ],
    [
      "a provider key's variable",
      { ...valid, providerKeys: [{ ...valid.providerKeys[0]!, envVarName: "openai`${pwned()}`" }] },
      /provider key "primary " \(id "k1"\): envVarName must be an uppercase letter/,
    ],
  ];
  for (const [what, snapshot, message] of refusals) {
    it(`refuses ${what}, naming the object and the rule`, () => {
      assert.throws(
        () => renderProgram(snapshot),
        (err: Error) => {
          assert.match(err.message, /Pulumi resources cannot take, so no program was written/);
          assert.match(err.message, message);
          return true;
        },
      );
    });
  }

  it("lists every object that breaks a rule at once", () => {
    const both = { ...valid, environment: { ...valid.environment, slug: "Dev" }, agents: [{ ...valid.agents[0]!, slug: "a b" }] };
    assert.throws(() => renderProgram(both), /environment "Dev": slug[\s\S]*agent "a b" \(id "a1"\): slug/);
  });
});

describe("import program renderer: names that collide", () => {
  it("gives keys that read alike distinct resource names and consts, and no const takes a keyword or a program name", () => {
    const base = snapshotWith("");
    const keys = ["A_B", "A__B", "CLASS", "CONFIG", "TARGET"];
    const snapshot: EnvironmentSnapshot = {
      ...base,
      variables: keys.map((key) => ({ ...base.variables[1]!, key })),
      providerKeys: keys.map((key, i) => ({ ...base.providerKeys[0]!, id: `k${i}`, label: `l${i}`, envVarName: key })),
    };
    const program = renderProgram(snapshot);
    assertCompiles(program);
    assert.match(program, /const aBVariable = new EnvironmentVariable\("var-a-b", [^\n]*key: "A__B"/);
    assert.match(program, /const aBVariable2 = new EnvironmentVariable\("var-a-b-2", [^\n]*key: "A_B"/);
    assert.match(program, /label: "l0", variable: aBVariable2, /);
    assert.match(program, /label: "l1", variable: aBVariable, /);
    assert.match(program, /const classVariable = /);
    assert.match(program, /const configVariable = /);
  });
});

describe("pulumi-platos import from an emulator holding hostile strings", function () {
  this.timeout(60_000);
  const world = platosWorld();
  const text = HOSTILE[0]!;

  for (const protocol of PROTOCOLS) {
    describe(`on ${protocol}`, () => {
      let access: Access;
      let environmentId: string;
      const slug = `hostile-${protocol}`;

      before(async () => {
        access = await world.accessOn(protocol, { home: slug });
        const { admin } = world;
        const environment = (await admin.environments.findBySlug("default", slug)) ?? (await admin.environments.create("default", { slug }));
        environmentId = environment.id;
        await admin.variables.put(environmentId, "LOG_LEVEL", { value: `debug ${text}` });
        await admin.agents.create(environmentId, {
          slug: "triage",
          name: `Triage ${text}`,
          model: "anthropic:claude-sonnet-4-6",
          systemPrompt: `Sort ${text}`,
        });
      });

      it("writes names, values and prompts the API accepts only as literals", async () => {
        const program = renderProgram(await readSnapshot(createPlatosApi(access.settings), "default", slug));
        assertCompiles(program);
        assert.ok(!identifiersIn(program).has("pwned"));
        assert.ok(program.includes(`"name": ${JSON.stringify(`Triage ${text}`)}`));
      });

      it("writes the bidi and zero-width characters Platos holds as escapes, and the program declares them as held", async () => {
        const trojan = `${TROJAN}\u200b\u00a0`;
        await world.admin.variables.put(environmentId, "BIDI_NOTE", { value: `note ${trojan}` });
        await world.admin.agents.create(environmentId, {
          slug: "bidi",
          name: `Bidi ${trojan}`,
          model: "anthropic:claude-sonnet-4-6",
          systemPrompt: `Check ${trojan}`,
          featureFlags: { [`beta${trojan}`]: true },
        });
        const snapshot = await readSnapshot(createPlatosApi(access.settings), "default", slug);
        const program = renderProgram(snapshot);
        assert.deepEqual(unprintable(program), []);
        const declared = runGeneratedProgram(program);
        assert.equal(argsOf(declared, "EnvironmentVariable", "var-bidi-note").value, `note ${trojan}`);
        const { project: _p, environment: _e, adopt: _a, ...agent } = argsOf(declared, "Agent", "agent-bidi");
        assert.deepEqual(agent, definitionOf(snapshot.agents.find((a) => a.slug === "bidi")!));
        assert.equal(agent.name, `Bidi ${trojan}`);
        assert.deepEqual(agent.featureFlags, { [`beta${trojan}`]: true });
      });

      it("refuses an agent slug no resource can take, whichever layer sees it first", async () => {
        await world.emulator.db.exec(
          `UPDATE agents SET slug = ${pgLiteral(`triage${text}`)} WHERE environment_id = ${pgLiteral(environmentId)} AND slug = 'triage'`,
        );
        // On V1 the emulator checks its own answers against the wire schema and will not send the slug at all.
        await assert.rejects(
          (async () => renderProgram(await readSnapshot(createPlatosApi(access.settings), "default", slug)))(),
          protocol === "platform"
            ? /agent "triagex\\npwned\(\);\/\/" \(id "[^"]+"\): slug must be lowercase letters and digits/
            : /failed with 500 INTERNAL_ERROR/,
        );
      });
    });
  }
});

const pgLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;
