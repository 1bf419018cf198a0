/**
 * Agents converge on real Platos whatever shape the program declares them in. Every combination of the fields Platos
 * derives, defaults or normalises (agent-crud.service.ts@a9710c92 `create`/`update`, `buildSnapshot`, `versionData`,
 * `publicToolsConfig`/`publicMemoryConfig`; prompt-builder.service.ts@2c9a6b15 `serializePromptBlocksToSystemPrompt`)
 * is driven through the Agent provider as the engine drives it, against the emulator's platform gateway: create;
 * a no-change `up` plans nothing; then each declared field edited alone is exactly one `agents.update`, after which
 * the AgentRecord Platos answers says what the program declares, a refresh reads no drift and the next `up` plans
 * nothing. The record is checked against rules written out here from Platos's source, not through the provider's own
 * model of them (agent-normalisation.ts), so a wrong model fails here.
 *
 * The four fields that interact (the prompt is derived from the blocks; a tools config gains a mode and merges;
 * a memory config of `{}` reads back null) are crossed in full; outputSchema, featureFlags and metaTools, which
 * Platos stores as sent (`...dto` into `buildSnapshot`), take each of their shapes in turn across the combinations.
 */
import { strict as assert } from "node:assert";
import { JSONRPC_VERSION, PLATFORM_PATH } from "../../provider/client/platform/jsonrpc";
import { DEFAULT_META_TOOLS } from "../../provider/client/schemas";
import { definitionOf } from "../../provider/functions/agent-definition";
import { agentProvider } from "../../provider/providers/agent";
import { agents as agentDefinitions } from "../../program/agents";
import { writesDone } from "../helpers/request-recorder";
import { platosWorld } from "../helpers/platos-world";
import { checkedInputs, configureProviders, newProviderProcess } from "../helpers/provider-process";
import { stackConfig } from "../platos/support";

type Props = Record<string, unknown>;
type Block = { key: string; content: string; enabled?: boolean };
type Json = Record<string, unknown>;

const SHAPES = {
  systemPrompt: { absent: undefined, given: "You are Support." },
  promptBlocks: {
    absent: undefined,
    empty: [],
    enabledTrue: [
      { key: "persona", content: "You help Acme.", enabled: true },
      { key: "rules", content: "Answer briefly." },
    ],
    // Every block off: the blocks derive no prompt (a create stores null, an update "").
    allDisabled: [{ key: "persona", content: "You help Acme.", enabled: false }],
    enabledUnset: [{ key: "persona", content: "You help Acme." }],
  },
  toolsBlockConfig: { absent: undefined, withMode: { mode: "sub-agent", displayMode: "summary" }, withoutMode: { displayMode: "summary" } },
  memoryConfig: { absent: undefined, empty: {}, object: { scope: "user" }, null: null },
} as const;

const ALONGSIDE = {
  outputSchema: [undefined, { type: "object", properties: { answer: { type: "string" } } }],
  featureFlags: [undefined, { beta: true }],
  metaTools: [undefined, { memory_extract: true, spawn_bgo: false }],
} as const;

interface Declared {
  systemPrompt?: string;
  promptBlocks?: readonly Block[];
  toolsBlockConfig?: Json;
  memoryConfig?: Json | null;
  outputSchema?: Json;
  featureFlags?: Record<string, boolean>;
  metaTools?: Record<string, boolean>;
}

/** Every combination of the interacting shapes, with the independent fields' shapes dealt across them. */
function combinations(): { name: string; declared: Declared }[] {
  const out: { name: string; declared: Declared }[] = [];
  for (const [promptName, systemPrompt] of Object.entries(SHAPES.systemPrompt))
    for (const [blocksName, promptBlocks] of Object.entries(SHAPES.promptBlocks))
      for (const [toolsName, toolsBlockConfig] of Object.entries(SHAPES.toolsBlockConfig))
        for (const [memoryName, memoryConfig] of Object.entries(SHAPES.memoryConfig)) {
          // Three bits from a permutation of the index, so each mix of the other three fields meets every shape above.
          const bits = (out.length * 5 + 3) % 8;
          const alongside = {
            outputSchema: ALONGSIDE.outputSchema[bits & 1],
            featureFlags: ALONGSIDE.featureFlags[(bits >> 1) & 1],
            metaTools: ALONGSIDE.metaTools[(bits >> 2) & 1],
          };
          const declared = { systemPrompt, promptBlocks, toolsBlockConfig, memoryConfig, ...alongside } as Declared;
          const extras = Object.entries(alongside)
            .filter(([, value]) => value !== undefined)
            .map(([field]) => field);
          out.push({
            name: `prompt ${promptName}, blocks ${blocksName}, tools ${toolsName}, memory ${memoryName}${extras.length ? `, ${extras.join(", ")}` : ""}`,
            declared,
          });
        }
  return out;
}

/** The prompt Platos derives from blocks: enabled, non-blank ones, by order, `## <name>\n\n<content>` joined by a blank line. */
const derivedPrompt = (blocks: readonly Block[] = []) =>
  blocks
    .filter((block) => block.enabled !== false && block.content.trim() !== "")
    .map((block) => `## ${block.key}\n\n${block.content.trim()}`)
    .join("\n\n");

/** Each field's edit, from the shape it is in: every one something Platos can apply in one update. */
const EDITS: Record<keyof Declared, (declared: Declared) => Declared> = {
  systemPrompt: (d) =>
    d.systemPrompt === undefined
      ? { ...d, systemPrompt: "You are Support." }
      : derivedPrompt(d.promptBlocks)
        ? { ...d, systemPrompt: undefined }
        : { ...d, systemPrompt: `${d.systemPrompt} Edited.` },
  promptBlocks: (d) => {
    const [first, ...rest] = d.promptBlocks ?? [];
    if (!first) return { ...d, promptBlocks: [{ key: "tone", content: "Be kind." }] };
    // Dropping every block leaves the prompt as it was unless one is declared: that edit needs a declared prompt.
    if (d.systemPrompt !== undefined) return { ...d, promptBlocks: undefined };
    return { ...d, promptBlocks: [{ ...first, content: `${first.content} Edited.` }, ...rest] };
  },
  toolsBlockConfig: (d) => {
    const config = d.toolsBlockConfig;
    if (!config) return { ...d, toolsBlockConfig: { displayMode: "full" } };
    if ("mode" in config) {
      const { mode: _mode, ...rest } = config;
      return { ...d, toolsBlockConfig: rest };
    }
    return { ...d, toolsBlockConfig: { ...config, displayMode: config.displayMode === "summary" ? "hybrid" : "summary" } };
  },
  memoryConfig: (d) => ({ ...d, memoryConfig: d.memoryConfig && Object.keys(d.memoryConfig).length > 0 ? null : { scope: "user" } }),
  outputSchema: (d) => ({ ...d, outputSchema: d.outputSchema ? undefined : { type: "object" } }),
  featureFlags: (d) => ({ ...d, featureFlags: d.featureFlags ? undefined : { beta: true } }),
  metaTools: (d) => ({ ...d, metaTools: d.metaTools ? undefined : { memory_extract: true } }),
};

/** The raw AgentRecord fields that show the configuration, as Platos answers agents.list. */
interface RecordShown {
  systemPrompt: string | null;
  promptBlocks: { name?: string; content: string; enabled?: boolean; order?: number }[] | null;
  toolsBlockConfig: Json | null;
  memoryConfig: Json | null;
  outputSchema: Json | null;
  featureFlags: Json | null;
  metaTools: Json | null;
}

/** What the record must say for `declared`, from Platos's rules (the file's header names them). */
function assertRecordSays(record: RecordShown, declared: Declared, what: string): void {
  const expected = {
    systemPrompt: declared.systemPrompt || derivedPrompt(declared.promptBlocks) || null,
    promptBlocks: (declared.promptBlocks ?? []).map((block) => ({ name: block.key, content: block.content, enabled: block.enabled ?? true })),
    toolsBlockConfig: { ...declared.toolsBlockConfig, mode: declared.toolsBlockConfig?.mode ?? "direct" },
    memoryConfig: declared.memoryConfig && Object.keys(declared.memoryConfig).length > 0 ? declared.memoryConfig : null,
    outputSchema: declared.outputSchema ?? null,
    featureFlags: declared.featureFlags ?? {},
    metaTools: { ...DEFAULT_META_TOOLS, ...declared.metaTools },
  };
  const shown = {
    // An update deriving from blocks that are all off stores "", a create null: no prompt either way.
    systemPrompt: record.systemPrompt || null,
    promptBlocks: [...(record.promptBlocks ?? [])]
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map((block) => ({ name: block.name, content: block.content, enabled: block.enabled })),
    toolsBlockConfig: record.toolsBlockConfig,
    memoryConfig: record.memoryConfig,
    outputSchema: record.outputSchema,
    featureFlags: record.featureFlags ?? {},
    metaTools: record.metaTools,
  };
  assert.deepEqual(shown, expected, `${what}: the record Platos holds`);
}

describe("agents converge in every declared shape (platform, against the emulator)", function () {
  this.timeout(600_000);
  const world = platosWorld({ protocol: "platform" });

  before(async () => {
    await configureProviders(stackConfig(world.access.settings));
  });

  /** agents.list as Platos answers it, straight from the gateway. */
  async function recordOf(agentId: string): Promise<RecordShown> {
    const reply = await fetch(`${world.emulator.url}${PLATFORM_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${world.access.settings.token}` },
      body: JSON.stringify({ jsonrpc: JSONRPC_VERSION, id: 1, method: "tools/call", params: { name: "agents.list", arguments: {} } }),
    });
    const body = (await reply.json()) as { result: { content: [{ text: string }] } };
    const { agents } = JSON.parse(body.result.content[0].text) as { agents: (RecordShown & { id: string })[] };
    const record = agents.find((agent) => agent.id === agentId);
    assert.ok(record, `agent ${agentId} is listed`);
    return record;
  }

  const program = (slug: string, declared: Declared, fixed: Props = {}): Props => ({
    project: "default",
    environment: "home",
    slug,
    name: "Support",
    model: "anthropic:claude-sonnet-4-6",
    ...fixed,
    ...Object.fromEntries(Object.entries(declared).filter(([, value]) => value !== undefined)),
  });

  /** A preview's check and diff: whether the `up` would change anything, and the checked inputs. */
  async function plan(id: string, priorInputs: Props, outputs: Props, news: Props) {
    const checked = await checkedInputs(agentProvider, news, priorInputs);
    const diff = await agentProvider.diff!(id, outputs, checked);
    return { checked, changes: diff.changes === true, replaces: diff.replaces ?? [] };
  }

  /** An agent deployed from `initial` and kept by the up/refresh cycle; `fixed`: inputs no edit touches. */
  async function deployed(slug: string, initial: Declared, fixed: Props = {}) {
    let declared = initial;
    let inputs = await checkedInputs(agentProvider, program(slug, declared, fixed));
    const created = await agentProvider.create(inputs);
    const id = created.id;
    let outputs = created.outs as Props;
    assertRecordSays(await recordOf(id), declared, `${slug} after create`);
    assert.equal((await plan(id, inputs, outputs, program(slug, declared, fixed))).changes, false, `${slug}: a no-change up after create plans no change`);
    return {
      id,
      /** Brings the agent to `edited` as an up does: exactly one update, then the record, a refresh and the next up agree. */
      async upTo(edited: Declared, what: string) {
        const planned = await plan(id, inputs, outputs, program(slug, edited, fixed));
        assert.deepEqual([planned.changes, planned.replaces], [true, []], `${what}: an in-place update is planned`);
        world.recorder.reset();
        outputs = (await agentProvider.update!(id, outputs, planned.checked)).outs as Props;
        assert.deepEqual(writesDone(world.recorder.writes()), ["agents.update"], `${what}: exactly one update`);
        assertRecordSays(await recordOf(id), edited, what);
        inputs = planned.checked;
        declared = edited;
        const refreshed = await agentProvider.read!(id, outputs);
        assert.equal(
          (await plan(id, inputs, refreshed.props as Props, program(slug, declared, fixed))).changes,
          false,
          `${what}: a refresh then an up plans no change`,
        );
        assert.equal((await plan(id, inputs, outputs, program(slug, declared, fixed))).changes, false, `${what}: the next up plans no change`);
      },
      /** Each declared field edited alone, in turn. */
      async eachFieldEdited() {
        for (const field of Object.keys(EDITS) as (keyof Declared)[]) await this.upTo(EDITS[field](declared), `${slug}: ${field} edited`);
      },
      remove: () => agentProvider.delete!(id, outputs),
    };
  }

  beforeEach(() => newProviderProcess());

  combinations().forEach(({ name, declared }, index) => {
    it(name, async () => {
      const agent = await deployed(`conv-${index}`, declared);
      await agent.eachFieldEdited();
      await agent.remove();
    });
  });

  const declaredOf = (definition: Props): Declared => Object.fromEntries(Object.keys(EDITS).map((field) => [field, definition[field]])) as Declared;

  for (const definition of agentDefinitions) {
    it(`program/agents.ts "${definition.slug}": every field edited alone converges`, async () => {
      const { slug, ...rest } = definition as unknown as Props & { slug: string };
      const fixed = Object.fromEntries(Object.entries(rest).filter(([field]) => !(field in EDITS)));
      const agent = await deployed(`program-${slug}`, declaredOf(rest), fixed);
      await agent.eachFieldEdited();
      await agent.remove();
    });
  }

  it("a promoted agent (getAgent's definition declared elsewhere) converges, and follows an edit of its source", async () => {
    const router = agentDefinitions.find((definition) => definition.slug === "router")! as unknown as Props;
    const source = await deployed("promote-source", declaredOf(router));
    const promotedDeclared = async () => declaredOf(definitionOf((await world.stackApi.agents.get(world.access.home!.id, source.id))!) as unknown as Props);
    const promoted = await deployed("promote-target", await promotedDeclared());
    const edited = EDITS.promptBlocks(declaredOf(router));
    await source.upTo(edited, "source blocks edited");
    await promoted.upTo(await promotedDeclared(), "promoted again after the source's edit");
    await promoted.remove();
    await source.remove();
  });
});
