/**
 * A create whose answer an interrupted run lost, met again by the next run: the provider takes the object as its
 * own only on the evidence of its create journal (provider/runtime/create-journal.ts), once per protocol against
 * the emulator. "The answer was lost" is played by creating, then creating again with the same inputs in a new
 * provider process, as the next `pulumi up` does for a resource that never reached state.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { agentProvider } from "../../provider/providers/agent";
import { environmentProvider } from "../../provider/providers/environment";
import { variableProvider } from "../../provider/providers/environment-variable";
import { variableSetProvider } from "../../provider/providers/environment-variables";
import { providerKeyProvider } from "../../provider/providers/provider-key";
import { JOURNAL_KEEPS_MS, journalCreate, ownCreateEvidence } from "../../provider/runtime/create-journal";
import { checkedInputs, configureProviders, newProviderProcess, providerWorld } from "../helpers/provider-world";
import { writesDone } from "../helpers/request-recorder";
import { stderrDuring } from "../helpers/stderr-lines";
import { accessFor, PROTOCOLS, provideKeyMaterial, stackConfig } from "../platos/support";

type Props = Record<string, unknown>;
type Provider = typeof agentProvider;

const TAKEN_OVER = "already existed: taken as this resource's own create";

/** The journal directory for `step`: a fresh one, removed afterwards, unless given. */
async function withJournal<T>(step: (dir: string) => Promise<T>, given?: string): Promise<T> {
  const dir = given ?? mkdtempSync(join(tmpdir(), "platos-journal-"));
  const before = process.env.PLATOS_CREATE_JOURNAL_DIR;
  process.env.PLATOS_CREATE_JOURNAL_DIR = dir;
  try {
    return await step(dir);
  } finally {
    if (before === undefined) delete process.env.PLATOS_CREATE_JOURNAL_DIR;
    else process.env.PLATOS_CREATE_JOURNAL_DIR = before;
    if (!given) rmSync(dir, { recursive: true, force: true });
  }
}

for (const protocol of PROTOCOLS) describe(`interrupted creates (${protocol})`, function () {
  this.timeout(60_000);
  const world = providerWorld();
  let journal: string;
  let environmentCount = 0;
  let slug: string;
  let environmentId: string;

  before(async () => {
    await configureProviders(stackConfig((await accessFor(world.emulator, protocol, { apiUrl: world.recorder.url })).settings));
    journal = mkdtempSync(join(tmpdir(), "platos-journal-"));
  });
  after(() => rmSync(journal, { recursive: true, force: true }));

  beforeEach(async () => {
    slug = `lost-${protocol}-${++environmentCount}`;
    environmentId = (await world.admin.environments.create("default", { slug })).id;
    newProviderProcess();
  });

  const checked = (provider: Provider, news: Props) => checkedInputs(provider, news);

  /** The next run's create, in a new provider process: the result, what it wrote and what it said. */
  async function createAgain(provider: Provider, inputs: Props) {
    newProviderProcess();
    world.recorder.reset();
    const { result, lines } = await stderrDuring(() => provider.create(inputs));
    return { id: result.id, outs: result.outs as Props, writes: writesDone(world.recorder.writes(), environmentId), notices: lines.filter((line) => line.includes(TAKEN_OVER)) };
  }

  // Agent slugs are project-wide on real Platos: each test's are its own.
  const agentInputs = (agentSlug = `${slug}-agent`) => ({ project: "default", environment: slug, slug: agentSlug, name: "Lost", model: "anthropic:claude-haiku-4-5", maxSteps: 12 });

  it("an agent: the next create takes the agent it made as its own, says so, and makes no second one", async () => {
    await withJournal(async () => {
      const inputs = await checked(agentProvider, agentInputs());
      const first = await agentProvider.create(inputs);
      const again = await createAgain(agentProvider, inputs);
      assert.equal(again.id, first.id);
      assert.deepEqual(again.writes, [], "nothing written: the agent already is what the program declares");
      assert.equal(again.notices.length, 1);
      assert.match(again.notices[0]!, /^agent "lost-[a-z0-9]+-\d+-agent" in environment "lost-[a-z0-9]+-\d+" already existed: taken as this resource's own create, whose answer an interrupted run lost \(this machine's provider sent the identical create \d+ min ago, and it was made then\)$/);
      assert.deepEqual((await world.admin.agents.list(environmentId)).map((a) => a.id), [first.id]);
    }, journal);
  });

  it("an agent whose declaration changed since, an agent somebody else made, or a run on another machine: already exists", async () => {
    const inputs = await checked(agentProvider, agentInputs());
    await withJournal(() => agentProvider.create(inputs), journal);
    const changed = await checked(agentProvider, { ...agentInputs(), maxSteps: 13 });
    await withJournal(() => assert.rejects(createAgain(agentProvider, changed), /agent "lost-[^"]+" in environment "lost-[^"]+" already exists\. Set `adopt: true`/), journal);
    await withJournal(() => assert.rejects(createAgain(agentProvider, inputs), /already exists\. Set `adopt: true`/));

    await world.admin.agents.create(environmentId, { slug: `${slug}-by-hand`, name: "Lost", model: "anthropic:claude-haiku-4-5", maxSteps: 12 });
    const identical = await checked(agentProvider, agentInputs(`${slug}-by-hand`));
    await withJournal(() => assert.rejects(createAgain(agentProvider, identical), /agent "lost-[^"]+-by-hand" in environment "lost-[^"]+" already exists\. Set `adopt: true`/), journal);
  });

  it("variables, PLAIN and SECRET: the next create takes each as its own; the secret is written again, the PLAIN value is not", async () => {
    await withJournal(async () => {
      const plain = await checked(variableProvider, { project: "default", environment: slug, key: "LOST_PLAIN", value: "plain-1" });
      const secret = await checked(variableProvider, { project: "default", environment: slug, key: "LOST_SECRET", value: "sk-lost-1", secret: true });
      await variableProvider.create(plain);
      await variableProvider.create(secret);
      const plainAgain = await createAgain(variableProvider, plain);
      assert.deepEqual([plainAgain.writes, plainAgain.notices.length], [[], 1]);
      const secretAgain = await createAgain(variableProvider, secret);
      assert.equal(secretAgain.notices.length, 1);
      assert.equal(secretAgain.writes.length, 1, "a secret cannot be compared, so it is written again, as adopt does");
      assert.ok(!secretAgain.notices[0]!.includes("sk-lost-1"), "no value in the notice");
    }, journal);
  });

  it("a variable somebody else wrote, even with the declared value: already exists", async () => {
    await world.admin.variables.put(environmentId, "WRITTEN_BY_HAND", { value: "same" });
    const inputs = await checked(variableProvider, { project: "default", environment: slug, key: "WRITTEN_BY_HAND", value: "same" });
    await withJournal(() => assert.rejects(createAgain(variableProvider, inputs), /variable WRITTEN_BY_HAND in environment "lost-[^"]+" already exists\. Set `adopt: true`/), journal);
  });

  it("a provider key: the next create takes it as its own; one somebody else added is refused", async () => {
    await provideKeyMaterial(world.emulator, protocol, environmentId, { name: "OPENAI_API_KEY", provider: "openai", value: "sk-key-material" });
    // The key added by hand below goes through the V1 route, whose credential is the SECRET variable.
    if (protocol === "platform") await world.admin.variables.put(environmentId, "OPENAI_API_KEY", { value: "sk-key-material", secret: true });
    const keyInputs = (label: string) => checked(providerKeyProvider, { project: "default", environment: slug, provider: "openai", label, variable: "OPENAI_API_KEY" });
    await withJournal(async () => {
      const inputs = await keyInputs("lost");
      const first = await providerKeyProvider.create(inputs);
      const again = await createAgain(providerKeyProvider, inputs);
      assert.deepEqual([again.id, again.writes, again.notices.length], [first.id, [], 1]);

      await world.admin.providerKeys.create(environmentId, { provider: "openai", label: "by-hand", envVarName: "OPENAI_API_KEY" });
      await assert.rejects(createAgain(providerKeyProvider, await keyInputs("by-hand")), /provider key openai "by-hand" in environment "lost-[^"]+" already exists\. Set `adopt: true`/);
    }, journal);
  });

  it("bulk variables: keys of its own interrupted create are taken, a key somebody else wrote is still named as a twin", async () => {
    const bulk = (variables: Record<string, string>) => checked(variableSetProvider, { project: "default", environment: slug, variables, secrets: { BULK_SECRET: "sk-bulk-1" } });
    await withJournal(async () => {
      const inputs = await bulk({ BULK_PLAIN: "plain-1" });
      await variableSetProvider.create(inputs);
      const again = await createAgain(variableSetProvider, inputs);
      assert.equal(again.notices.length, 2, "one notice per key taken over");
      assert.deepEqual(again.writes.length, 1, "only the secret, which cannot be compared, is written again");

      await world.admin.variables.put(environmentId, "BULK_BY_HAND", { value: "same" });
      await assert.rejects(createAgain(variableSetProvider, await bulk({ BULK_PLAIN: "plain-1", BULK_BY_HAND: "same" })), /variables BULK_BY_HAND already exist in environment "lost-[^"]+" of project "default"\. Set `adopt: true`/);
    }, journal);
  });

  it("an environment: the next create takes it as its own; one somebody else made is refused", async () => {
    await withJournal(async () => {
      const inputs = await checked(environmentProvider, { project: "default", slug: `${slug}-own` });
      const first = await environmentProvider.create(inputs);
      const again = await createAgain(environmentProvider, inputs);
      assert.equal(again.id, first.id);
      assert.equal(again.notices.length, 1);

      await world.admin.environments.create("default", { slug: `${slug}-theirs` });
      const theirs = await checked(environmentProvider, { project: "default", slug: `${slug}-theirs` });
      await assert.rejects(createAgain(environmentProvider, theirs), /environment "lost-[^"]+-theirs" in project "default" already exists\. Set `adopt: true`/);
    }, journal);
  });
});

describe("the create journal", () => {
  const create = { kind: "agent", request: { environmentId: "env-1", slug: "a", name: "A" } } as const;
  const at = Date.parse("2026-01-01T12:00:00Z");
  const iso = (ms: number) => new Date(ms).toISOString();

  before(async () => {
    await configureProviders({ "platos:protocol": "v1", "platos:apiUrl": "http://127.0.0.1:1", "platos:token": "token-one" });
  });

  it("counts an object made while the identical create could have been running, and nothing else", async () => {
    await withJournal(async () => {
      await journalCreate(create, at);
      assert.ok(await ownCreateEvidence(create, iso(at + 2_000), { now: at + 60_000 }));
      assert.ok(await ownCreateEvidence({ ...create, request: { name: "A", slug: "a", environmentId: "env-1" } }, iso(at), { now: at }), "field order does not matter");
      assert.equal(await ownCreateEvidence(create, iso(at + 60 * 60_000), { now: at + 61 * 60_000 }), undefined, "made long after the create was sent");
      assert.equal(await ownCreateEvidence(create, iso(at - 60_000), { now: at }), undefined, "made before the create was sent");
      assert.equal(await ownCreateEvidence(create, iso(at), { now: at + JOURNAL_KEEPS_MS + 1 }), undefined, "a day later the entry no longer counts");
      assert.equal(await ownCreateEvidence(create, iso(at + 1_000), { now: at + 2_000, sentBefore: at }), undefined, "a create does not count its own send");
      assert.equal(await ownCreateEvidence({ ...create, request: { ...create.request, name: "B" } }, iso(at), { now: at }), undefined, "another request");
      assert.equal(await ownCreateEvidence(create, null, { now: at }), undefined, "no creation time, no evidence");
    });
  });

  it("is keyed by the credential and holds neither values nor tokens", async () => {
    await withJournal(async (dir) => {
      const secret = { kind: "variable", request: { environmentId: "env-1", key: "K", value: "sk-journal-secret", secret: true } } as const;
      await journalCreate(secret, at);
      const [entry] = readdirSync(dir);
      assert.match(entry!, /^[0-9a-f]{64}$/);
      await configureProviders({ "platos:protocol": "v1", "platos:apiUrl": "http://127.0.0.1:1", "platos:token": "token-two" });
      assert.equal(await ownCreateEvidence(secret, iso(at), { now: at }), undefined, "another credential's creates are not this one's");
      await configureProviders({ "platos:protocol": "v1", "platos:apiUrl": "http://127.0.0.1:1", "platos:token": "token-one" });
      assert.ok(await ownCreateEvidence(secret, iso(at), { now: at }));
    });
  });

  it("a journal that cannot be written says so once and stops nothing", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "platos-journal-"));
    const file = join(scratch, "not-a-directory");
    writeFileSync(file, "");
    newProviderProcess();
    const { lines } = await stderrDuring(() => withJournal(async () => (await journalCreate(create), journalCreate(create)), file));
    rmSync(scratch, { recursive: true, force: true });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /cannot write its create journal \(E[A-Z]+\): after an interrupted run, an object it made will need `adopt: true`/);
  });
});
