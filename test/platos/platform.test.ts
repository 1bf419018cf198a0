/**
 * The platform adapter against the emulator's platform surface: what a token reaches, what needs the operator
 * token, the refusals that need a way out (prod delete, a slug taken elsewhere in the project, PLAIN without an
 * operator token, rename), and the approval gate.
 */
import { strict as assert } from "node:assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CORE_API_PREFIX } from "../../emulator/app";
import { isUnauthenticated } from "../../provider/client";
import { createPlatosApi, isProtocolLimit, type PlatosApi, type PlatosSettings } from "../../provider/platos";
import { coreApiClient } from "../../provider/platos/platform/core-api";
import { environmentProvider } from "../../provider/providers/environment";
import { resetContexts } from "../../provider/runtime/context";
import { resetConfiguration } from "../../provider/runtime/settings";
import { platosWorld } from "../helpers/platos-world";
import { announcedApprovalId, configSource, mintToken, resolveApproval, stackConfig } from "./support";

const fast = { retryPolicy: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } };

describe("platform adapter against the emulator", function () {
  this.timeout(60_000);
  const world = platosWorld();
  /** Pinned to dev, no operator token. */
  let devOnly: PlatosSettings;
  let api: (settings: PlatosSettings) => PlatosApi;

  before(async () => {
    // Straight to the emulator: a test here checks where core-api is reached.
    devOnly = (await world.accessOn("platform", { home: "dev", operator: false, apiUrl: world.emulator.url })).settings;
    await world.admin.environments.create("default", { slug: "prod" });
    api = (settings) => createPlatosApi(settings, fast);
  });

  const withOperator = (settings: PlatosSettings): PlatosSettings => ({ ...settings, operatorToken: world.emulator.adminToken });
  const idOf = async (slug: string) => (await world.admin.environments.findBySlug("default", slug))!.id;

  describe("token reach", () => {
    it("a token pinned to dev manages dev's secrets and agents, and sees every environment of the project", async () => {
      const dev = api(devOnly);
      const devId = await idOf("dev");
      assert.deepEqual((await dev.environments.findBySlug("default", "prod"))?.slug, "prod");
      await dev.variables.put(devId, "DEV_KEY", { value: "sk-dev", secret: true });
      assert.deepEqual(
        (await dev.variables.list(devId)).map((v) => v.key),
        ["DEV_KEY"],
      );
    });

    it("without an operator token, prod's variables and agents are out of reach: at preview and at the step", async () => {
      const dev = api(devOnly);
      const failures = await dev.variables.limits({ environment: "prod", key: "K", secret: true });
      assert.deepEqual(
        failures.map((f) => f.property),
        ["environment"],
      );
      assert.match(failures[0]!.reason, /platos:token is pinned to environment "dev", .* not those of "prod"\. Way out: set platos:operatorToken/);
      assert.deepEqual(
        (await dev.agents.limits({ environment: "dev" })).map((f) => f.property),
        [],
      );
      const err = await dev.agents.list(await idOf("prod")).catch((e: unknown) => e);
      assert.ok(isProtocolLimit(err), String(err));
      assert.ok(!String(err).includes(devOnly.token));
    });

    it("with an operator token, the provider mints a token for prod and reaches it", async () => {
      const both = api(withOperator(devOnly));
      assert.deepEqual(await both.variables.limits({ environment: "prod", key: "K", secret: false }), []);
      const prodId = await idOf("prod");
      await both.variables.put(prodId, "PROD_KEY", { value: "sk-prod", secret: true });
      await both.variables.put(prodId, "LOG_LEVEL", { value: "warn" });
      assert.deepEqual(
        (await both.variables.list(prodId)).map((v) => [v.key, v.kind, v.value]),
        [
          ["LOG_LEVEL", "PLAIN", "warn"],
          ["PROD_KEY", "SECRET", null],
        ],
      );
    });

    it("a write for prod is never sent with dev's token (the secret tools act on the token's own environment)", async () => {
      const [devId, prodId] = [await idOf("dev"), await idOf("prod")];
      const dev = api(devOnly);
      await assert.rejects(dev.variables.put(prodId, "MEANT_FOR_PROD", { value: "v", secret: true }), (err: unknown) => isProtocolLimit(err));
      assert.ok(!(await world.admin.variables.list(devId)).some((v) => v.key === "MEANT_FOR_PROD"), "not written to dev");
      assert.ok(!(await world.admin.variables.list(prodId)).some((v) => v.key === "MEANT_FOR_PROD"));
    });

    it("a revoked or unknown token is unauthenticated, naming the key and never the token", async () => {
      const bogus = { ...devOnly, token: "plt_mcp_not-a-real-token-0000" };
      const err = await api(bogus)
        .environments.findBySlug("default", "dev")
        .catch((e: unknown) => e);
      assert.ok(isUnauthenticated(err), String(err));
      assert.match(String(err), /rejected platos:token; check that it is the right token/);
      assert.ok(!String(err).includes(bogus.token));
    });

    it("a stale operator token names platos:operatorToken, not platos:token", async () => {
      const stale = { ...devOnly, operatorToken: "plt_stale-operator-session-0000" };
      const err = await api(stale)
        .variables.list(await idOf("dev"))
        .catch((e: unknown) => e);
      assert.ok(isUnauthenticated(err), String(err));
      assert.match(String(err), /rejected platos:operatorToken; check that it is the right token/);
      assert.ok(!String(err).includes(stale.operatorToken));
    });

    it("core-api is reached at platos:coreApiUrl, and an unreachable one is named with its fallback, never the token", async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const unreachable = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise((resolve) => closed.close(resolve));
      const operator = withOperator(devOnly);
      assert.equal(operator.coreApiUrl, `${world.emulator.url}${CORE_API_PREFIX}`, "the emulator's core-api is below its own prefix");
      assert.ok(Array.isArray(await api(operator).variables.list(await idOf("dev"))), "read through the emulator's core-api");
      const err = await api({ ...operator, coreApiUrl: unreachable })
        .variables.list(await idOf("dev"))
        .catch((e: unknown) => e);
      assert.match(
        String(err),
        new RegExp(`Platos is not reachable at ${unreachable}; check platos:coreApiUrl \\(else platos:apiUrl\\), or env PLATOS_CORE_API_URL$`),
      );
      assert.ok(!String(err).includes(world.emulator.adminToken));
    });
  });

  describe("what Platos refuses, with the way out", () => {
    it("PLAIN variables need the operator token: a preview failure, and a refusal at the step", async () => {
      const dev = api(devOnly);
      const failures = await dev.variables.limits({ environment: "dev", key: "LOG_LEVEL", secret: false });
      assert.deepEqual(
        failures.map((f) => f.property),
        ["secret"],
      );
      assert.match(
        failures[0]!.reason,
        /^real Platos sets only SECRET variables over MCP.*Way out: set platos:operatorToken .*or declare the variable with `secret: true`/,
        'the reason does not repeat the property (no "secret: secret …")',
      );
      await assert.rejects(dev.variables.put(await idOf("dev"), "LOG_LEVEL", { value: "info" }), /Way out: set platos:operatorToken/);
    });

    it("an environment named other than its slug, or with a slug Platos refuses, fails at preview", async () => {
      const { environments } = api(devOnly);
      assert.deepEqual(await environments.limits({ slug: "qa", name: "qa" }), []);
      assert.deepEqual(
        (await environments.limits({ slug: "qa", name: "Quality" })).map((f) => f.property),
        ["name"],
      );
      assert.deepEqual(
        (await environments.limits({ slug: "a".repeat(32) })).map((f) => f.property),
        ["slug"],
      );
      const [badCharacters] = await environments.limits({ slug: "Prod Env!" });
      assert.match(
        badCharacters?.reason ?? "",
        /Way out: choose a slug of that form \(at most 31 characters, no capitals, spaces or symbols other than dashes\)/,
      );
      assert.doesNotMatch(badCharacters?.reason ?? "", /shorter/);
      assert.match(badCharacters?.reason ?? "", /^Platos environment slugs are 1 to 31 characters/, 'the reason does not repeat the property (no "slug slug")');
    });

    it("deleting prod is refused with retainOnDelete as the way out, naming the resource", async () => {
      resetConfiguration();
      resetContexts();
      await environmentProvider.configure!({ config: configSource(stackConfig(devOnly)) });
      const prod = (await world.admin.environments.findBySlug("default", "prod"))!;
      // deleteContents: dev's token cannot list prod's contents; what is asked here is Platos's own refusal.
      const outs = {
        project: "default",
        slug: "prod",
        name: "prod",
        deleteContents: true,
        projectId: prod.projectId,
        createdAt: prod.createdAt,
        updatedAt: prod.updatedAt,
      };
      await assert.rejects(
        environmentProvider.delete!(prod.id, outs),
        /^Error: deleting environment "prod" in project "default": Platos refuses to delete an environment whose slug is prod or production\. Way out: set `retainOnDelete: true`/,
      );
      assert.ok(await world.admin.environments.findBySlug("default", "prod"), "still there");
      resetConfiguration();
    });

    it("an agent slug taken in another environment of the project: the suffixed twin is removed and the create fails", async () => {
      const both = api(withOperator(devOnly));
      const [devId, prodId] = [await idOf("dev"), await idOf("prod")];
      await both.agents.create(devId, { slug: "support", name: "Support", model: "anthropic:claude-sonnet-4-6" });
      const err = await both.agents.create(prodId, { slug: "support", name: "Support", model: "anthropic:claude-sonnet-4-6" }).catch((e: unknown) => e);
      assert.ok(isProtocolLimit(err), String(err));
      assert.match(
        String(err),
        /agent slug "support" is taken elsewhere in this project.*Way out: give this environment's agent a slug of its own \(e\.g\. "support-<environment>"\)$/,
        "no way out to a protocol real Platos does not serve",
      );
      assert.deepEqual(await both.agents.list(prodId), [], "no suffixed twin left bound in prod");
      const other = await both.agents.create(prodId, { slug: "support-prod", name: "Support", model: "anthropic:claude-sonnet-4-6" });
      assert.equal(other.slug, "support-prod");
    });

    it("a slug this stack's deleted agent holds fails before anything is sent, saying what holds it; no create leaves a second row", async () => {
      const dev = api(devOnly);
      const devId = await idOf("dev");
      const rows = async (slug: string) =>
        Number((await world.emulator.db.query<{ n: string }>(`SELECT count(*) AS n FROM agents WHERE slug LIKE $1`, [`${slug}%`]))[0]!.n);
      const kept = await dev.agents.create(devId, { slug: "kept", name: "Kept", model: "anthropic:claude-haiku-4-5" });
      await dev.agents.delete(devId, kept.id, "kept");
      const again = await dev.agents.create(devId, { slug: "kept", name: "Kept", model: "anthropic:claude-haiku-4-5" }).catch((e: unknown) => e);
      assert.ok(isProtocolLimit(again), String(again));
      assert.match(
        String(again),
        /agent slug "kept" is held by an agent deleted earlier by this stack .*Platos keeps a deleted agent's row, inactive.*nothing was sent\. Way out: give the agent a new slug \(e\.g\. "kept-2"\)$/,
      );
      assert.equal(await rows("kept"), 1, "only the deleted agent's row");

      // Held by something this machine never saw: the first create is suffixed and undone (one row Platos keeps), a retry sends nothing.
      const both = api(withOperator(devOnly));
      await world.admin.agents.create(await idOf("prod"), { slug: "elsewhere", name: "Elsewhere", model: "anthropic:claude-haiku-4-5" });
      const first = await both.agents.create(devId, { slug: "elsewhere", name: "Elsewhere", model: "anthropic:claude-haiku-4-5" }).catch((e: unknown) => e);
      assert.match(String(first), /agent slug "elsewhere" is taken elsewhere in this project, by an agent of another environment or by one deleted earlier/);
      const afterFirst = await rows("elsewhere");
      const retry = await both.agents.create(devId, { slug: "elsewhere", name: "Elsewhere", model: "anthropic:claude-haiku-4-5" }).catch((e: unknown) => e);
      assert.match(String(retry), /agent slug "elsewhere" is taken elsewhere in this project .*nothing was sent/);
      assert.equal(await rows("elsewhere"), afterFirst, "the retry made no row");
    });

    it("an agent's prompt cannot be cleared once set", async () => {
      const dev = api(devOnly);
      const devId = await idOf("dev");
      const agent = await dev.agents.create(devId, { slug: "prompted", name: "Prompted", model: "anthropic:claude-haiku-4-5", systemPrompt: "Hi." });
      await assert.rejects(dev.agents.update(devId, agent.id, { systemPrompt: null }, { systemPrompt: null }), /cannot clear an agent's systemPrompt/);
    });
  });

  describe("the approval gate", () => {
    const gatedWorld = platosWorld({ emulator: { interactiveApprovals: true, dashboardOrigin: "https://platos.example.test" } });
    let announced: string[];
    let settings: PlatosSettings;

    before(async () => {
      settings = (await gatedWorld.accessOn("platform", { home: "dev", operator: false, apiUrl: gatedWorld.emulator.url })).settings;
    });
    beforeEach(() => (announced = []));

    const gatedApi = (deadlineMs = 20_000) =>
      createPlatosApi(settings, { ...fast, operationTimeoutMs: deadlineMs, approvalPollMs: 25, announce: (line) => announced.push(line) });

    const resolveAnnounced = async (status: "approved" | "rejected", comment?: string) => {
      while (announced.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await resolveApproval(gatedWorld.emulator, announcedApprovalId(announced[0]!), status, comment);
    };

    it("announces the dashboard URL once, waits, and runs the call when approved", async () => {
      const [created] = await Promise.all([gatedApi().environments.create("default", { slug: "qa" }), resolveAnnounced("approved")]);
      assert.equal(created.slug, "qa");
      assert.equal(announced.length, 1, announced.join("\n"));
      assert.match(
        announced[0]!,
        /^Platos: environments\.create waits for an operator's approval \(approval [^)]+\): https:\/\/platos\.example\.test\/orgs\/.+\/approvals\//,
      );
      assert.ok(!announced[0]!.includes(settings.token));
      assert.ok(await gatedWorld.admin.environments.findBySlug("default", "qa"));
    });

    it("fails with the operator's reason when rejected", async () => {
      const [outcome] = await Promise.all([
        gatedApi()
          .environments.create("default", { slug: "staging" })
          .catch((e: unknown) => e),
        resolveAnnounced("rejected", "not today"),
      ]);
      assert.match(String(outcome), /approval rejected: an operator rejected approval .*: not today/);
    });

    it("gives up at the operation deadline, saying where to approve", async () => {
      const err = await gatedApi(300)
        .variables.put(await gatedWorld.admin.environments.findBySlug("default", "dev").then((e) => e!.id), "K", { value: "v", secret: true })
        .catch((e: unknown) => e);
      assert.match(
        String(err),
        /approval .* was still pending after 300 ms: approve it at https:\/\/platos\.example\.test\/.*or raise PLATOS_OPERATION_TIMEOUT_MS/,
      );
      assert.ok(!String(err).includes('"v"'));
    });
  });

  it("core-api: projects, an environment by slugs, and variables with PLAIN values, with the operator token", async () => {
    const core = coreApiClient({ apiUrl: world.emulator.url, token: world.emulator.adminToken, ...fast });
    assert.ok((await core.projects.list()).some((p) => p.slug === "default"));
    const found = await core.environmentBySlugs({ organizationSlug: "default", projectSlug: "default", environmentSlug: "prod" });
    assert.equal(found.environment.id, await idOf("prod"));
    assert.ok(found.environments.some((e) => e.slug === "dev"));
  });

  it("mints tokens through core-api only with an operator session", async () => {
    const err = await mintToken({ ...world.emulator, adminToken: "not-an-operator" }, await idOf("dev")).catch((e: unknown) => e);
    assert.ok(isUnauthenticated(err), String(err));
  });
});
