/**
 * Faults and crashes, on each protocol, at small sizes (the large ones live in the benchmark), through the same
 * harness as lifecycle.test.ts: an up under injected 503s, dropped connections (before and after the write) and
 * latency converges with nothing twinned; the provider host killed the moment Platos has made an object whose
 * answer it then never gets, and an up run again, converges with every object on the server in state; and a
 * program with 50 invalid variables fails at preview, naming them and their rules, having written nothing.
 *
 * What the harness does after a kill is what the engine does when its provider dies: every step that finished is
 * in state, the steps in flight fail, and the resources whose create was in flight are not in state. (A killed CLI
 * leaves those as "pending operations"; the next `pulumi up` warns and creates them again, pulumi/pulumi#9293, so
 * the provider meets the same create either way.)
 */
import { strict as assert } from "node:assert";
import { join } from "node:path";
import type { FaultConfig } from "../../emulator/plugins/faults";
import { PROTOCOLS } from "../../provider/platos";
import { CheckFailedError } from "../harness/host-engine";
import type { ProviderHost } from "../harness/provider-host";
import type { PropertyMap } from "../harness/wire";
import { platosWorld } from "../helpers/platos-world";
import { agentCreate, environmentCreate, secretWrite, variableWrite } from "../helpers/platos-requests";
import { SwitchableFaults } from "../helpers/switchable-faults";
import { testProtocol } from "../helpers/test-protocols";
import { HostKiller } from "./host-killer";
import { createJournalInWorkDir, sizedStacks } from "./sized-stacks";
import type { HarnessInstrument } from "./stack-harness";

const SIZE = { variables: 30, agents: 3 };

const SOAK_FAULTS: FaultConfig = { error503: 0.1, drop: 0.02, dropAfter: 0.02, latencyMs: 20 };

for (const protocol of PROTOCOLS)
  describe(`e2e (${protocol}): faults and crashes`, function () {
    this.timeout(300_000);
    const faults = new SwitchableFaults(testProtocol(protocol).faultSeed(10));
    const killer = new HostKiller();
    const world = platosWorld({
      protocol,
      emulator: {
        faults: SOAK_FAULTS,
        random: faults.random,
        extend: (app) => {
          faults.install(app);
          killer.install(app);
        },
      },
    });
    createJournalInWorkDir(world);
    const { stackOf, harness, onServer, assertConverged, crash, recover, assertNoWritesOnceConverged } = sizedStacks(world, {
      project: "platos-faults",
      size: SIZE,
      killer,
    });

    it("converges under injected faults (10% 503s, 2% drops before and 2% after the write, seeded, and one forced drop on each kind of create; 20 ms latency): no twin, and a second up makes zero writes", async () => {
      const stack = "soak";
      faults.on = true;
      faults.dropNth(environmentCreate, "after");
      faults.dropNth(agentCreate, "before");
      faults.dropNth(agentCreate, "after", 2);
      faults.dropNth(secretWrite, "after", 3);
      try {
        const first = await harness(stack).up();
        assert.ok(
          first.steps.every((s) => s.kind === "create"),
          JSON.stringify(first.steps),
        );
        world.recorder.reset();
        const second = await harness(stack).up();
        assert.ok(
          second.steps.every((s) => s.kind === "same"),
          JSON.stringify(second.steps),
        );
        assert.deepEqual(world.recorder.writes(), [], "a second up under the same faults writes nothing");
      } finally {
        faults.on = false;
      }
      const { requests, answered, unavailable } = faults.tally;
      assert.ok(unavailable > 0, `503s were injected (${unavailable} of ${requests} requests)`);
      assert.ok(requests - answered >= 4, `the forced drops and any seeded ones went unanswered (${requests - answered} of ${requests} requests)`);
      await assertConverged(stack, harness(stack));
    });

    it("the host killed once Platos has made an agent, with variable writes in flight: the next up takes each object it made as its own (not twinned), converges, and another up writes nothing", async () => {
      const stack = "crash-agent";
      const orphans = await crash(stack, agentCreate);
      assert.ok(orphans.agents.length > 0, "an agent exists on the server that state does not know");
      const notices = await recover(stack);
      await assertConverged(stack, harness(stack));
      for (const slug of orphans.agents)
        assert.ok(
          notices.some((line) => line.startsWith(`agent "${slug}"`)),
          `${slug} taken over: ${notices.join("\n")}`,
        );
      for (const key of orphans.variables)
        assert.ok(
          notices.some((line) => line.includes(`variable ${key} in`)),
          `${key} taken over: ${notices.join("\n")}`,
        );
      await assertNoWritesOnceConverged(stack);
    });

    // The journal is the provider's, above the protocol: its other two cases run where the whole matrix does.
    const wholeMatrix = testProtocol(protocol).wholeE2eMatrix;

    if (wholeMatrix)
      it("the host killed once Platos has made the environment: the next up takes it as its own and converges", async () => {
        const stack = "crash-env";
        const orphans = await crash(stack, environmentCreate);
        assert.deepEqual(orphans.environment, [stack], "the environment exists on the server and not in state");
        const made = await onServer(stack);
        const notices = await recover(stack);
        assert.ok(
          notices.some((line) => line.startsWith(`environment "${stack}"`)),
          notices.join("\n"),
        );
        await assertConverged(stack, harness(stack));
        assert.equal((await onServer(stack)).environment.id, made.environment.id, "the environment made before the kill, not another");
        await assertNoWritesOnceConverged(stack);
      });

    if (wholeMatrix)
      it("the host killed during variable writes, the next up without the journal (another machine): the objects it cannot show its own are refused as already existing; adopt: true converges", async () => {
        const stack = "crash-elsewhere";
        const orphans = await crash(stack, variableWrite, 10);
        assert.ok(orphans.variables.length > 0, "a variable exists on the server that state does not know");
        const journal = process.env.PLATOS_CREATE_JOURNAL_DIR;
        process.env.PLATOS_CREATE_JOURNAL_DIR = join(world.work, "another-machine");
        try {
          await assert.rejects(harness(stack).up(), /already exists\. Set `adopt: true`/);
        } finally {
          process.env.PLATOS_CREATE_JOURNAL_DIR = journal;
        }
        await harness(stack, { adopt: "true" }).up();
        await assertConverged(stack, harness(stack));
        await assertNoWritesOnceConverged(stack);
      });

    describe("50 invalid variables at preview", () => {
      const invalid = (stack: string, shape: string, instrument?: HarnessInstrument) => stackOf("invalid-variables-program.ts", stack, { shape }, instrument);
      const invalidKeys = Array.from({ length: 50 }, (_, i) => `invalid-key-${String(i).padStart(2, "0")}`);
      const KEY_RULE = "must be an uppercase letter followed by up to 63 uppercase letters, digits or underscores";
      const VALUE_RULE = "must not be empty";

      it("as one EnvironmentVariables map: all 50 reported at preview, each by name with its rule, and nothing written", async () => {
        world.recorder.reset();
        const err = await invalid("invalid-map", "one-map")
          .preview()
          .catch((e: unknown) => e);
        assert.ok(err instanceof CheckFailedError, String(err));
        assert.match(err.urn, /::settings$/);
        for (const [i, key] of invalidKeys.entries()) {
          const about = err.failures.filter((f) => f.property === `variables.${key}`);
          assert.ok(
            about.some((f) => f.reason.includes(key) && f.reason.includes(KEY_RULE)),
            `${key}: its key rule`,
          );
          if (i % 2 === 0)
            assert.ok(
              about.some((f) => f.reason.includes(VALUE_RULE)),
              `${key}: its value rule`,
            );
        }
        assert.ok(!err.message.includes("value-1"), "no value in the report");
        assert.deepEqual(world.recorder.writes(), []);
      });

      it("as 50 EnvironmentVariable resources: the engine stops at the first invalid one, reporting its every failure, and checks no other; nothing written", async () => {
        world.recorder.reset();
        const checked: string[] = [];
        const counting: HarnessInstrument = {
          host: (host) =>
            Object.assign(Object.create(host) as ProviderHost, {
              check: (urn: string, olds: PropertyMap, news: PropertyMap) => {
                checked.push(urn);
                return host.check(urn, olds, news);
              },
            }),
        };
        const err = await invalid("invalid-each", "one-per-variable", counting)
          .preview()
          .catch((e: unknown) => e);
        assert.ok(err instanceof CheckFailedError, String(err));
        const name = err.urn.split("::").pop()!;
        assert.ok(invalidKeys.includes(name), err.urn);
        assert.ok(
          err.failures.some((f) => f.property === "key" && f.reason.includes(KEY_RULE)),
          err.message,
        );
        if (Number(name.slice(-2)) % 2 === 0)
          assert.ok(
            err.failures.some((f) => f.property === "value" && f.reason.includes(VALUE_RULE)),
            err.message,
          );
        assert.equal(checked.length, 2, `Check ran for the environment and the first variable only: ${checked.join(", ")}`);
        assert.deepEqual(world.recorder.writes(), []);
      });
    });
  });
