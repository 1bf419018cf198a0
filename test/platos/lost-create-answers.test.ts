/**
 * A create whose connection drops, before Platos runs it or after (its answer lost), on each protocol: the seam's
 * create still answers exactly one object under the slug asked for. V1 retries under the same Idempotency-Key;
 * the platform, which has none, looks for the object before sending the create again, since a second agents.create
 * would make a suffixed twin.
 */
import { strict as assert } from "node:assert";
import type { FastifyInstance } from "fastify";
import { createPlatosApi, PROTOCOLS, type PlatosApi } from "../../provider/platos";
import { platosWorld } from "../helpers/platos-world";
import { agentCreate, environmentCreate, type RequestMatcher } from "../helpers/platos-requests";

/** With these shares a roll below one half drops the connection, before the handler or after it. */
const FAULTS = { error503: 0, drop: 0.5, dropAfter: 0.5, latencyMs: 0 };
const DROP = 0.25;
const PASS = 0.99;

type Drop = "before" | "after";

/** Drops the first attempt of the next request that `matches`, and nothing else. */
class OneDrop {
  private rolls: number[] = [];
  private armed: { matches: RequestMatcher; when: Drop } | undefined;

  arm(matches: RequestMatcher, when: Drop): void {
    this.armed = { matches, when };
  }

  readonly random = (): number => this.rolls.shift() ?? PASS;

  readonly install = (app: FastifyInstance): void => {
    app.addHook("preValidation", async (request) => {
      if (!this.armed?.matches(request)) return;
      this.rolls = this.armed.when === "before" ? [DROP] : [PASS, DROP];
      this.armed = undefined;
    });
  };
}

for (const protocol of PROTOCOLS) {
  describe(`a create whose connection drops (${protocol})`, function () {
    this.timeout(60_000);
    const drops = new OneDrop();
    const world = platosWorld({ emulator: { faults: FAULTS, random: drops.random, extend: drops.install } });
    let api: PlatosApi;
    let environmentId: string;

    before(async () => {
      // Straight to the emulator: the adapter meets the dropped connection itself, not the recorder's relay of it.
      const { settings } = await world.accessOn(protocol, { apiUrl: world.emulator.url });
      api = createPlatosApi(settings, { retryPolicy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
      environmentId = (await api.environments.create("default", { slug: `drops-${protocol}` })).id;
    });

    /** Every agent row of the project under `slug` or a suffix of it, bound or not. */
    const agentRows = async (slug: string) =>
      (await world.emulator.db.query<{ slug: string }>("SELECT slug FROM agents WHERE slug = $1 OR slug LIKE $2", [slug, `${slug}-%`])).map((row) => row.slug);

    for (const when of ["before", "after"] as const) {
      it(`agent, dropped ${when} Platos runs it: one agent, under its slug`, async () => {
        const slug = `dropped-${when}-${protocol}`;
        drops.arm(agentCreate, when);
        const agent = await api.agents.create(environmentId, { slug, name: "Dropped", model: "anthropic:claude-haiku-4-5" });
        assert.equal(agent.slug, slug);
        assert.deepEqual(
          (await api.agents.list(environmentId)).filter((a) => a.slug === slug).map((a) => a.id),
          [agent.id],
        );
        assert.deepEqual(await agentRows(slug), [slug], "no twin, bound or not");
      });

      it(`environment, dropped ${when} Platos runs it: one environment, under its slug`, async () => {
        const slug = `env-dropped-${when}-${protocol}`;
        drops.arm(environmentCreate, when);
        const environment = await api.environments.create("default", { slug });
        assert.equal(environment.slug, slug);
        assert.equal((await api.environments.findBySlug("default", slug))?.id, environment.id);
      });
    }
  });
}
