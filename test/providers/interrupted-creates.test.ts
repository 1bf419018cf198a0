/**
 * A create whose answer an interrupted run lost, met again by the next run: the provider takes the object as its
 * own only on the evidence of its create journal (provider/runtime/create-journal.ts): an entry of the same stack
 * and resource whose send could have made it. Once per protocol against the emulator. "The answer was lost" is played by the request
 * recorder: Platos runs the create, and every answer from then on is dropped, so the create fails without ever
 * hearing back (as a host killed with it in flight); then the same inputs are created again in a new provider
 * process, as the next `pulumi up` does for a resource that never reached state.
 */
import { strict as assert } from "node:assert";
import { createHmac } from "node:crypto";
import { chownSync, chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROTOCOLS } from "../../provider/platos";
import { agentProvider } from "../../provider/providers/agent";
import { environmentProvider } from "../../provider/providers/environment";
import { variableProvider } from "../../provider/providers/environment-variable";
import { variableSetProvider } from "../../provider/providers/environment-variables";
import { providerKeyProvider } from "../../provider/providers/provider-key";
import { heldSlugs } from "../../provider/platos/platform/held-slugs";
import { answerCreate, JOURNAL_KEEPS_MS, journalCreate, ownCreateEvidence, settleCreate } from "../../provider/runtime/create-journal";
import { platosWorld } from "../helpers/platos-world";
import { checkedInputs, configureProviders, newProviderProcess } from "../helpers/provider-process";
import { agentCreate, variableWrite, type RequestMatcher } from "../helpers/platos-requests";
import { writesDone } from "../helpers/request-recorder";
import { stderrDuring } from "../helpers/stderr-lines";
import { testProtocol } from "../helpers/test-protocols";
import { provideKeyMaterial } from "../platos/support";

type Props = Record<string, unknown>;

/** A held-slug note's file name: the HMAC held-slugs.ts names it by. */
const createHmacHex = (key: string, text: string) => createHmac("sha256", key).update(text).digest("hex");
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

/** The `declaredBy` a resource class sets: organization, project and stack, then type and name. */
const declaredBy = (resource: string, stack = "dev") => `organization/lost/${stack}::pulumi-nodejs:dynamic/platos:${resource}`;

for (const protocol of PROTOCOLS)
  describe(`interrupted creates (${protocol})`, function () {
    this.timeout(60_000);
    /** Calls Platos refuses with a 503 before running them, and calls whose connection drops before they run. */
    const refused: { unavailable?: RequestMatcher; dropped?: RequestMatcher } = {};
    const world = platosWorld({
      emulator: {
        extend: (app) =>
          // Before the idempotency claim (a preHandler), as test/helpers/switchable-faults.ts does: these never ran.
          app.addHook("preValidation", async (request, reply) => {
            if (refused.dropped?.(request)) {
              reply.hijack();
              request.raw.socket?.destroy();
              return reply;
            }
            if (!refused.unavailable?.(request)) return undefined;
            const error = {
              code: "SERVICE_UNAVAILABLE",
              title: "unavailable",
              body: "refused before running (test)",
              errorId: "test",
              traceRef: "test",
              version: "1",
            };
            return reply.code(503).send({ error });
          }),
      },
    });
    let journal: string;
    let environmentCount = 0;
    let slug: string;
    let environmentId: string;

    before(async () => {
      await world.configureProvidersOn(protocol);
      journal = mkdtempSync(join(tmpdir(), "platos-journal-"));
    });
    after(() => rmSync(journal, { recursive: true, force: true }));

    beforeEach(async () => {
      slug = `lost-${protocol}-${++environmentCount}`;
      environmentId = (await world.admin.environments.create("default", { slug })).id;
      newProviderProcess();
    });

    const checked = (provider: Provider, news: Props, by: string) => checkedInputs(provider, { ...news, declaredBy: by });

    /** A create that Platos runs and whose answer never comes back: it fails, its object exists, its send stays unanswered. */
    async function createLosingAnswer(provider: Provider, inputs: Props): Promise<void> {
      newProviderProcess();
      process.env.PLATOS_OPERATION_TIMEOUT_MS = "3000";
      world.recorder.loseAnswers();
      try {
        await assert.rejects(provider.create(inputs));
        // On a loaded machine the deadline can come before Platos ran the create; the test is about one that ran.
        await world.recorder.untilAnswerLost(30_000);
      } finally {
        world.recorder.answerAgain();
        delete process.env.PLATOS_OPERATION_TIMEOUT_MS;
      }
    }

    /** A create every attempt of which is refused before it runs (`how`), in a new provider process: it fails, and nothing is made. */
    async function createRefused(provider: Provider, inputs: Props, matches: RequestMatcher, how: keyof typeof refused): Promise<void> {
      newProviderProcess();
      refused[how] = matches;
      try {
        await assert.rejects(provider.create(inputs));
      } finally {
        delete refused[how];
      }
    }

    /** The next run's create, in a new provider process: the result, what it wrote and what it said. */
    async function createAgain(provider: Provider, inputs: Props) {
      newProviderProcess();
      world.recorder.reset();
      const { result, lines } = await stderrDuring(() => provider.create(inputs));
      return {
        id: result.id,
        outs: result.outs as Props,
        writes: writesDone(world.recorder.writes(), environmentId),
        notices: lines.filter((line) => line.includes(TAKEN_OVER)),
      };
    }

    // Agent slugs are project-wide on real Platos: each test's are its own.
    const agentInputs = (agentSlug = `${slug}-agent`) => ({
      project: "default",
      environment: slug,
      slug: agentSlug,
      name: "Lost",
      model: "anthropic:claude-haiku-4-5",
      maxSteps: 12,
    });
    const agentIds = async () => (await world.admin.agents.list(environmentId)).map((a) => a.id);

    it("an agent: the next create takes the agent it made as its own, says so, and makes no second one", async () => {
      await withJournal(async () => {
        const inputs = await checked(agentProvider, agentInputs(), declaredBy("Agent::lost"));
        await createLosingAnswer(agentProvider, inputs);
        const made = await agentIds();
        assert.equal(made.length, 1, "Platos made the agent whose answer was lost");
        const again = await createAgain(agentProvider, inputs);
        assert.equal(again.id, made[0]);
        assert.deepEqual(again.writes, [], "nothing written: the agent already is what the program declares");
        assert.equal(again.notices.length, 1);
        assert.match(
          again.notices[0]!,
          /^agent "lost-[a-z0-9]+-\d+-agent" in environment "lost-[a-z0-9]+-\d+" already existed: taken as this resource's own create, whose answer an interrupted run lost \(this machine's provider sent the identical create \d+ min ago, and it was made then\)$/,
        );
        assert.deepEqual(await agentIds(), made);
      }, journal);
    });

    it("an agent declared inactive: the lost create made it active (Platos makes every agent active), and the next create still takes it, then switches it off", async () => {
      await withJournal(async () => {
        const inputs = await checked(agentProvider, { ...agentInputs(`${slug}-off`), isActive: false }, declaredBy("Agent::off"));
        await createLosingAnswer(agentProvider, inputs);
        const again = await createAgain(agentProvider, inputs);
        assert.equal(again.notices.length, 1);
        assert.equal((await world.admin.agents.list(environmentId)).find((agent) => agent.id === again.id)?.isActive, false);
      }, journal);
    });

    it("an agent whose declaration changed since, an agent somebody else made, or a run on another machine: already exists", async () => {
      const inputs = await checked(agentProvider, agentInputs(), declaredBy("Agent::lost"));
      await withJournal(() => createLosingAnswer(agentProvider, inputs), journal);
      const changed = await checked(agentProvider, { ...agentInputs(), maxSteps: 13 }, declaredBy("Agent::lost"));
      await withJournal(
        () => assert.rejects(createAgain(agentProvider, changed), /agent "lost-[^"]+" in environment "lost-[^"]+" already exists\. Set `adopt: true`/),
        journal,
      );
      await withJournal(() => assert.rejects(createAgain(agentProvider, inputs), /already exists\. Set `adopt: true`/));

      await world.admin.agents.create(environmentId, { slug: `${slug}-by-hand`, name: "Lost", model: "anthropic:claude-haiku-4-5", maxSteps: 12 });
      const identical = await checked(agentProvider, agentInputs(`${slug}-by-hand`), declaredBy("Agent::lost"));
      await withJournal(
        () =>
          assert.rejects(createAgain(agentProvider, identical), /agent "lost-[^"]+-by-hand" in environment "lost-[^"]+" already exists\. Set `adopt: true`/),
        journal,
      );
    });

    it("the identical create lost by another stack, or by another resource of the stack: not evidence, already exists", async () => {
      await withJournal(async () => {
        const theirs = await checked(agentProvider, agentInputs(), declaredBy("Agent::lost", "other-stack"));
        await createLosingAnswer(agentProvider, theirs);
        const mine = await checked(agentProvider, agentInputs(), declaredBy("Agent::lost"));
        await assert.rejects(createAgain(agentProvider, mine), /agent "lost-[^"]+" in environment "lost-[^"]+" already exists\. Set `adopt: true`/);
        const sibling = await checked(agentProvider, agentInputs(), declaredBy("Agent::sibling", "other-stack"));
        await assert.rejects(createAgain(agentProvider, sibling), /already exists\. Set `adopt: true`/);
        const undeclared = await checked(agentProvider, agentInputs(), declaredBy("Agent::lost", "other-stack")).then(({ declaredBy: _d, ...rest }) => rest);
        await assert.rejects(createAgain(agentProvider, undeclared), /already exists\. Set `adopt: true`/, "without a declaredBy nothing is evidence");
      }, journal);
    });

    it("a create whose answer arrived stays in the journal: the same resource meeting that object again (the run killed before the engine recorded it) takes it as its own, on every resource", async () => {
      await withJournal(async (dir) => {
        await provideKeyMaterial(world.emulator, protocol, environmentId, { name: "SETTLED_MATERIAL", provider: "openai", value: "sk-settled" });
        const cases: [Provider, Props, string][] = [
          [environmentProvider, { project: "default", slug: `${slug}-settled` }, "Environment::settled"],
          [variableProvider, { project: "default", environment: slug, key: "SETTLED", value: "v" }, "EnvironmentVariable::settled"],
          [variableSetProvider, { project: "default", environment: slug, variables: { SETTLED_SET: "v" } }, "EnvironmentVariables::settled"],
          [agentProvider, agentInputs(`${slug}-settled`), "Agent::settled"],
          [
            providerKeyProvider,
            { project: "default", environment: slug, provider: "openai", label: "settled", variable: "SETTLED_MATERIAL" },
            "ProviderKey::settled",
          ],
        ];
        // An EnvironmentVariables id names the set (`<environment id>/variables-<uuid>`, new at each create), not an object.
        const objectOf = (id: string) => id.replace(/\/variables-[0-9a-f-]+$/, "");
        for (const [provider, news, resource] of cases) {
          const inputs = await checked(provider, news, declaredBy(resource));
          newProviderProcess();
          const made = await provider.create(inputs);
          const again = await createAgain(provider, inputs);
          assert.equal(objectOf(again.id), objectOf(made.id), resource);
          assert.equal(again.notices.length, 1, `${resource}: ${again.notices.join("\n")}`);
          const otherStack = await checked(provider, news, declaredBy(resource, "other-stack"));
          await assert.rejects(createAgain(provider, otherStack), /already exists?\b.*Set `adopt: true`/, `${resource} of another stack`);
        }
        assert.equal(readdirSync(dir).length, cases.length, "one entry per create, each kept with its answer's time");
      });
    });

    it("variables, PLAIN and SECRET: the next create takes each as its own; the secret is written again, the PLAIN value is not", async () => {
      await withJournal(async () => {
        const plain = await checked(
          variableProvider,
          { project: "default", environment: slug, key: "LOST_PLAIN", value: "plain-1" },
          declaredBy("EnvironmentVariable::plain"),
        );
        const secret = await checked(
          variableProvider,
          { project: "default", environment: slug, key: "LOST_SECRET", value: "sk-lost-1", secret: true },
          declaredBy("EnvironmentVariable::secret"),
        );
        await createLosingAnswer(variableProvider, plain);
        await createLosingAnswer(variableProvider, secret);
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
      const inputs = await checked(
        variableProvider,
        { project: "default", environment: slug, key: "WRITTEN_BY_HAND", value: "same" },
        declaredBy("EnvironmentVariable::by-hand"),
      );
      await withJournal(
        () => assert.rejects(createAgain(variableProvider, inputs), /variable WRITTEN_BY_HAND in environment "lost-[^"]+" already exists\. Set `adopt: true`/),
        journal,
      );
    });

    it("a provider key: the next create takes it as its own; one somebody else added is refused", async () => {
      await provideKeyMaterial(world.emulator, protocol, environmentId, { name: "OPENAI_API_KEY", provider: "openai", value: "sk-key-material" });
      // The key added by hand below goes through the V1 route, whose credential is the SECRET variable.
      if (testProtocol(protocol).keyCredential === "dashboard")
        await world.admin.variables.put(environmentId, "OPENAI_API_KEY", { value: "sk-key-material", secret: true });
      const keyInputs = (label: string) =>
        checked(
          providerKeyProvider,
          { project: "default", environment: slug, provider: "openai", label, variable: "OPENAI_API_KEY" },
          declaredBy(`ProviderKey::${label}`),
        );
      await withJournal(async () => {
        const inputs = await keyInputs("lost");
        await createLosingAnswer(providerKeyProvider, inputs);
        const made = (await world.admin.providerKeys.list(environmentId)).map((key) => key.id);
        const again = await createAgain(providerKeyProvider, inputs);
        assert.deepEqual([[again.id], again.writes, again.notices.length], [made, [], 1]);

        await world.admin.providerKeys.create(environmentId, { provider: "openai", label: "by-hand", envVarName: "OPENAI_API_KEY" });
        await assert.rejects(
          createAgain(providerKeyProvider, await keyInputs("by-hand")),
          /provider key openai "by-hand" in environment "lost-[^"]+" already exists\. Set `adopt: true`/,
        );
      }, journal);
    });

    it("bulk variables: keys of its own interrupted create are taken, a key somebody else wrote is still named as a twin", async () => {
      const bulk = (variables: Record<string, string>) =>
        checked(
          variableSetProvider,
          { project: "default", environment: slug, variables, secrets: { BULK_SECRET: "sk-bulk-1" } },
          declaredBy("EnvironmentVariables::bulk"),
        );
      await withJournal(async () => {
        const inputs = await bulk({ BULK_PLAIN: "plain-1" });
        await createLosingAnswer(variableSetProvider, inputs);
        // On the platform a secret write waits for its environment token, whose answer is lost too: it may never be sent.
        const made = (await world.admin.variables.list(environmentId)).map((v) => v.key);
        assert.ok(made.includes("BULK_PLAIN"), made.join());

        await world.admin.variables.put(environmentId, "BULK_BY_HAND", { value: "same" });
        await assert.rejects(
          createAgain(variableSetProvider, await bulk({ BULK_PLAIN: "plain-1", BULK_BY_HAND: "same" })),
          /variables BULK_BY_HAND already exist in environment "lost-[^"]+" of project "default"\. Set `adopt: true`/,
        );

        const again = await createAgain(variableSetProvider, inputs);
        assert.equal(again.notices.length, made.length, "one notice per key taken over");
        assert.deepEqual(again.writes.length, 1, "only the secret, which cannot be compared, is written (again)");
      }, journal);
    });

    it("a create Platos refused with 503s on every attempt made nothing: settled, so an identical agent somebody else makes later is not taken without adopt", async () => {
      await withJournal(async (dir) => {
        const inputs = await checked(agentProvider, agentInputs(), declaredBy("Agent::refused"));
        await createRefused(agentProvider, inputs, agentCreate, "unavailable");
        assert.deepEqual(await agentIds(), [], "the refused create made nothing");
        assert.deepEqual(
          readdirSync(dir).filter((name) => /^[0-9a-f]{64}$/.test(name)),
          [],
          "its send is settled",
        );

        await world.admin.agents.create(environmentId, { slug: `${slug}-agent`, name: "Lost", model: "anthropic:claude-haiku-4-5", maxSteps: 12 });
        await assert.rejects(createAgain(agentProvider, inputs), /agent "lost-[^"]+-agent" in environment "lost-[^"]+" already exists\. Set `adopt: true`/);
        const adopted = await createAgain(agentProvider, { ...inputs, adopt: true });
        assert.deepEqual([adopted.id, adopted.notices], [(await agentIds())[0], []], "adopt takes it, and says no take-over of its own");
      });
    });

    it("a create whose connection dropped before Platos ran it stays in the journal unanswered, yet an object that does not hold its request is somebody else's", async () => {
      await withJournal(async () => {
        const inputs = await checked(agentProvider, agentInputs(), declaredBy("Agent::dropped"));
        await createRefused(agentProvider, inputs, agentCreate, "dropped");
        assert.deepEqual(await agentIds(), [], "the dropped create made nothing");
        // Somebody else's agent under the slug, within the half hour the unanswered send could have run in.
        await world.admin.agents.create(environmentId, { slug: `${slug}-agent`, name: "Lost", model: "anthropic:claude-haiku-4-5", maxSteps: 13 });
        await assert.rejects(createAgain(agentProvider, inputs), /agent "lost-[^"]+-agent" in environment "lost-[^"]+" already exists\. Set `adopt: true`/);

        const secret = await checked(
          variableProvider,
          { project: "default", environment: slug, key: "DROPPED_SECRET", value: "sk-dropped", secret: true },
          declaredBy("EnvironmentVariable::dropped"),
        );
        await createRefused(variableProvider, secret, variableWrite, "dropped");
        await world.admin.variables.put(environmentId, "DROPPED_SECRET", { value: "sk-dropped" });
        await assert.rejects(
          createAgain(variableProvider, secret),
          /variable DROPPED_SECRET in environment "lost-[^"]+" already exists\. Set `adopt: true`/,
          "a PLAIN variable is not the SECRET the create wrote",
        );
      });
    });

    it("an environment: the next create takes it as its own; one somebody else made is refused", async () => {
      await withJournal(async () => {
        const inputs = await checked(environmentProvider, { project: "default", slug: `${slug}-own` }, declaredBy("Environment::own"));
        await createLosingAnswer(environmentProvider, inputs);
        const made = await world.admin.environments.findBySlug("default", `${slug}-own`);
        const again = await createAgain(environmentProvider, inputs);
        assert.equal(again.id, made?.id);
        assert.equal(again.notices.length, 1);

        await world.admin.environments.create("default", { slug: `${slug}-theirs` });
        const theirs = await checked(environmentProvider, { project: "default", slug: `${slug}-theirs` }, declaredBy("Environment::theirs"));
        await assert.rejects(
          createAgain(environmentProvider, theirs),
          /environment "lost-[^"]+-theirs" in project "default" already exists\. Set `adopt: true`/,
        );
      }, journal);
    });
  });

describe("the create journal", () => {
  const create = { kind: "agent", declaredBy: declaredBy("Agent::a"), request: { environmentId: "env-1", slug: "a", name: "A" } } as const;
  const at = Date.parse("2026-01-01T12:00:00Z");
  const iso = (ms: number) => new Date(ms).toISOString();

  before(async () => {
    await configureProviders({ "platos:protocol": "v1", "platos:apiUrl": "http://127.0.0.1:1", "platos:token": "token-one" });
  });
  beforeEach(() => newProviderProcess());

  it("counts an object made while the identical create of the same stack and resource could have been running, and nothing else", async () => {
    await withJournal(async () => {
      await journalCreate(create, at);
      assert.ok(await ownCreateEvidence(create, iso(at + 2_000), { now: at + 60_000 }));
      assert.ok(
        await ownCreateEvidence({ ...create, request: { name: "A", slug: "a", environmentId: "env-1" } }, iso(at), { now: at }),
        "field order does not matter",
      );
      assert.equal(await ownCreateEvidence(create, iso(at + 60 * 60_000), { now: at + 61 * 60_000 }), undefined, "made long after the create was sent");
      assert.equal(await ownCreateEvidence(create, iso(at - 60_000), { now: at }), undefined, "made before the create was sent");
      assert.equal(await ownCreateEvidence(create, iso(at), { now: at + JOURNAL_KEEPS_MS + 1 }), undefined, "a day later the entry no longer counts");
      assert.equal(await ownCreateEvidence(create, iso(at + 1_000), { now: at + 2_000, sentBefore: at }), undefined, "a create does not count its own send");
      assert.equal(await ownCreateEvidence({ ...create, request: { ...create.request, name: "B" } }, iso(at), { now: at }), undefined, "another request");
      assert.equal(await ownCreateEvidence({ ...create, declaredBy: declaredBy("Agent::a", "prod") }, iso(at), { now: at }), undefined, "another stack");
      assert.equal(await ownCreateEvidence({ ...create, declaredBy: declaredBy("Agent::b") }, iso(at), { now: at }), undefined, "another resource");
      assert.equal(await ownCreateEvidence(create, null, { now: at }), undefined, "no creation time, no evidence");
      await answerCreate(create, at, at + 3_000);
      assert.ok(await ownCreateEvidence(create, iso(at + 2_000), { now: at + 60_000 }), "made before its answer arrived");
      assert.ok(await ownCreateEvidence(create, iso(at + 7_000), { now: at + 60_000 }), "the clocks may disagree by five seconds");
      assert.equal(
        await ownCreateEvidence(create, iso(at + 9_000), { now: at + 60_000 }),
        undefined,
        "made after its answer arrived: somebody else's, even within the half hour an unanswered send counts for",
      );
      await settleCreate(create);
      assert.equal(await ownCreateEvidence(create, iso(at + 2_000), { now: at + 60_000 }), undefined, "settled: the object it met was somebody else's");
    });
  });

  it("never counts an entry dated in the future, nor journals a create no resource identity sent", async () => {
    await withJournal(async (dir) => {
      await journalCreate(create, at + 10 * 60_000);
      assert.equal(await ownCreateEvidence(create, iso(at), { now: at }), undefined, "sent ten minutes from now");
      await journalCreate({ ...create, declaredBy: undefined }, at);
      assert.equal(readdirSync(dir).length, 1, "only the dated entry");
      assert.equal(await ownCreateEvidence({ ...create, declaredBy: undefined }, iso(at), { now: at }), undefined);
    });
  });

  it("is keyed by the credential and holds neither values nor tokens", async () => {
    await withJournal(async (dir) => {
      const secret = {
        kind: "variable",
        declaredBy: declaredBy("EnvironmentVariable::k"),
        request: { environmentId: "env-1", key: "K", value: "sk-journal-secret", secret: true },
      } as const;
      await journalCreate(secret, at);
      const [entry] = readdirSync(dir);
      assert.match(entry!, /^[0-9a-f]{64}$/);
      await configureProviders({ "platos:protocol": "v1", "platos:apiUrl": "http://127.0.0.1:1", "platos:token": "token-two" });
      assert.equal(await ownCreateEvidence(secret, iso(at), { now: at }), undefined, "another credential's creates are not this one's");
      await configureProviders({ "platos:protocol": "v1", "platos:apiUrl": "http://127.0.0.1:1", "platos:token": "token-one" });
      assert.ok(await ownCreateEvidence(secret, iso(at), { now: at }));
    });
  });

  it("makes its directory 0700 and its entries 0600, and its sweep removes only its own old entries", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "platos-journal-"));
    const dir = join(scratch, "made-here");
    try {
      mkdirSync(dir, { mode: 0o700 });
      const old = (Date.now() - JOURNAL_KEEPS_MS - 60_000) / 1000;
      const foreign = join(dir, "notes.txt");
      const oldEntry = join(dir, "a".repeat(64));
      writeFileSync(foreign, "not the journal's");
      writeFileSync(oldEntry, "1\n");
      utimesSync(foreign, old, old);
      utimesSync(oldEntry, old, old);
      await withJournal(async () => {
        await journalCreate(create);
        await new Promise((resolve) => setTimeout(resolve, 200)); // the sweep runs in the background
      }, dir);
      assert.deepEqual(readdirSync(dir).filter((name) => name !== "notes.txt").length, 1, "the old entry is swept, the new one kept");
      assert.ok(readdirSync(dir).includes("notes.txt"), "a file it did not write is left alone, however old");
      const [entry] = readdirSync(dir).filter((name) => name !== "notes.txt");
      assert.equal(lstatSync(join(dir, entry!)).mode & 0o777, 0o600);

      const fresh = join(scratch, "missing", "journal");
      newProviderProcess();
      await withJournal(() => journalCreate(create), fresh);
      assert.equal(lstatSync(fresh).mode & 0o777, 0o700);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("refuses a directory that is a symlink, another user's, or writable by group or others, naming PLATOS_CREATE_JOURNAL_DIR, and then counts nothing", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "platos-journal-"));
    try {
      const real = join(scratch, "real");
      mkdirSync(real, { mode: 0o700 });
      const link = join(scratch, "link");
      symlinkSync(real, link);
      const shared = join(scratch, "shared");
      mkdirSync(shared);
      chmodSync(shared, 0o777);
      const cases: [string, RegExp][] = [
        [link, /it is a symbolic link/],
        [shared, /it is writable by group or others/],
      ];
      if (process.getuid?.() === 0) {
        const theirs = join(scratch, "theirs");
        mkdirSync(theirs, { mode: 0o700 });
        chownSync(theirs, 65534, 65534);
        cases.push([theirs, /it is owned by uid 65534, not by the user running Pulumi/]);
      }
      for (const [dir, reason] of cases) {
        newProviderProcess();
        const { lines } = await stderrDuring(() => withJournal(async () => (await journalCreate(create, at), journalCreate(create, at)), dir));
        assert.equal(lines.length, 1, dir);
        assert.match(
          lines[0]!,
          /^pulumi-platos: refuses the create journal directory .+ \(PLATOS_CREATE_JOURNAL_DIR, else pulumi-platos-creates in the OS temp directory\): /,
        );
        assert.match(lines[0]!, reason);
        assert.deepEqual(readdirSync(dir), [], "nothing written there");
        assert.equal(await withJournal(() => ownCreateEvidence(create, iso(at), { now: at }), dir), undefined);
      }
      assert.deepEqual(readdirSync(real), [], "nothing written through the symlink");
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("a journal that cannot be written says so once and stops nothing", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "platos-journal-"));
    const file = join(scratch, "not-a-directory");
    writeFileSync(file, "");
    const { lines } = await stderrDuring(() => withJournal(async () => (await journalCreate(create), journalCreate(create)), file));
    rmSync(scratch, { recursive: true, force: true });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /cannot write its create journal \(E[A-Z]+\): after an interrupted run, an object it made will need `adopt: true`/);
  });

  /** Runs `step` with the environment variables given set (undefined: unset), restoring them afterwards. */
  async function withEnvironment<T>(vars: Record<string, string | undefined>, step: () => Promise<T>): Promise<T> {
    const before = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
    const set = (values: Record<string, string | undefined>) => {
      for (const [name, value] of Object.entries(values)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    };
    set(vars);
    newProviderProcess();
    try {
      return await step();
    } finally {
      set(before);
      newProviderProcess();
    }
  }

  it("tells two state backends apart that share organization, project and stack names", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "platos-backends-"));
    const evidence = (backend: Record<string, string | undefined>) => withEnvironment(backend, () => ownCreateEvidence(create, iso(at), { now: at }));
    try {
      await withJournal(async () => {
        const stateA = { PULUMI_BACKEND_URL: "file:///srv/state-a" };
        await withEnvironment(stateA, () => journalCreate(create, at));
        assert.ok(await evidence(stateA), "the same backend");
        assert.equal(await evidence({ PULUMI_BACKEND_URL: "file:///srv/state-b" }), undefined, "another backend set by PULUMI_BACKEND_URL");

        // Without PULUMI_BACKEND_URL, the CLI's current login (only its `current` field is read).
        const home = (name: string, current: string) => {
          const dir = join(scratch, name);
          mkdirSync(dir);
          writeFileSync(join(dir, "credentials.json"), JSON.stringify({ current, accessTokens: { [current]: "pul-never-read" } }));
          return { PULUMI_BACKEND_URL: undefined, PULUMI_HOME: dir, PULUMI_CREDENTIALS_PATH: undefined };
        };
        const loginA = home("login-a", "file:///srv/login-a");
        await withEnvironment(loginA, () => journalCreate(create, at));
        assert.ok(await evidence(loginA));
        assert.equal(await evidence(home("login-b", "file:///srv/login-b")), undefined, "another backend logged in with `pulumi login`");

        // The project file's backend.url comes before the login, and a relative file:// path is the program directory's.
        const cwd = process.cwd();
        const project = (name: string) => {
          const dir = join(scratch, name);
          mkdirSync(dir);
          writeFileSync(join(dir, "Pulumi.yaml"), "name: lost\nruntime: nodejs\nbackend:\n  url: file://./state\n");
          return dir;
        };
        const [first, second] = [project("checkout-1"), project("checkout-2")];
        try {
          process.chdir(first);
          await withEnvironment(loginA, () => journalCreate(create, at));
          process.chdir(second);
          assert.equal(await evidence(loginA), undefined, "a second checkout keeping its state in its own ./state");
          process.chdir(first);
          assert.ok(await evidence(loginA));
        } finally {
          process.chdir(cwd);
        }
      });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("keeps held agent slug notes under the journal's checks: none written through a symlink or into another user's directory", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "platos-held-"));
    try {
      const journalDir = join(scratch, "journal");
      mkdirSync(journalDir, { mode: 0o700 });
      const elsewhere = join(scratch, "elsewhere");
      mkdirSync(elsewhere);
      await withJournal(async () => {
        const notes = heldSlugs("http://127.0.0.1:1", "token-one");
        await notes.hold("project-1", "kept", "deleted");
        assert.equal(await notes.heldBy("project-1", "kept"), "deleted", "a safe directory keeps its notes");
        const held = join(journalDir, "held-agent-slugs");
        assert.equal(lstatSync(held).mode & 0o777, 0o700);

        rmSync(held, { recursive: true });
        symlinkSync(elsewhere, held);
        newProviderProcess();
        await notes.hold("project-1", "redirected", "taken");
        assert.deepEqual(readdirSync(elsewhere), [], "nothing written through the symlink");
        assert.equal(await notes.heldBy("project-1", "redirected"), undefined);

        if (process.getuid?.() === 0) {
          rmSync(held);
          mkdirSync(held, { mode: 0o700 });
          const planted = createHmacHex("token-one", "http://127.0.0.1:1\nproject-1\nplanted");
          writeFileSync(join(held, planted), "deleted");
          chownSync(held, 65534, 65534);
          newProviderProcess();
          assert.equal(await notes.heldBy("project-1", "planted"), undefined, "a note in another user's directory is not read");
          await notes.hold("project-1", "theirs", "taken");
          assert.deepEqual(readdirSync(held), [planted], "nor written");
        }
      }, journalDir);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("when another user planted the shared default directory, journals in a private one of its own and says so", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "platos-planted-"));
    try {
      const temp = join(scratch, "tmp");
      mkdirSync(temp);
      const home = join(scratch, "home");
      mkdirSync(home);
      const shared = join(temp, "pulumi-platos-creates");
      const plants: [string, () => void][] = [
        ["a symlink", () => (mkdirSync(join(scratch, "target")), symlinkSync(join(scratch, "target"), shared))],
        ["writable by all", () => (mkdirSync(shared), chmodSync(shared, 0o777))],
      ];
      if (process.getuid?.() === 0) plants.push(["another user's", () => (mkdirSync(shared, { mode: 0o700 }), chownSync(shared, 65534, 65534))]);
      for (const [what, plant] of plants) {
        rmSync(shared, { recursive: true, force: true });
        rmSync(join(scratch, "target"), { recursive: true, force: true });
        rmSync(join(home, ".pulumi-platos"), { recursive: true, force: true });
        plant();
        await withEnvironment({ PLATOS_CREATE_JOURNAL_DIR: undefined, TMPDIR: temp, HOME: home }, async () => {
          const { lines } = await stderrDuring(async () => (await journalCreate(create, at), journalCreate(create, at)));
          assert.equal(lines.length, 1, what);
          assert.match(
            lines[0]!,
            /^pulumi-platos: the shared create journal directory .+pulumi-platos-creates is not this user's alone \(.+\): another local user may have made it, so the journal is kept in .+\/\.pulumi-platos\/creates instead \(set PLATOS_CREATE_JOURNAL_DIR to choose another\)$/,
          );
          const own = join(home, ".pulumi-platos", "creates");
          assert.equal(lstatSync(own).mode & 0o777, 0o700, what);
          assert.equal(readdirSync(own).length, 1, `${what}: the entry is in the private directory`);
          assert.ok(await ownCreateEvidence(create, iso(at), { now: at }), `${what}: the journal still counts`);
        });
        assert.deepEqual(
          readdirSync(lstatSync(shared).isSymbolicLink() ? join(scratch, "target") : shared),
          [],
          `${what}: nothing written in the planted directory`,
        );
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
