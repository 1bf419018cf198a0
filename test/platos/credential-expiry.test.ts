/**
 * A stack's credentials say when they lapse (issue #27 §1): platos:token, a plt_mcp_ token minted short-lived on the
 * emulator as core-api mints it (ttlSeconds), read by the Variable provider as the engine drives it. Within 14 days
 * of its lapse a run says so once, with the date and how to renew; at 15 days and more it says nothing; once it
 * lapsed, the refusal says it expired, when, and which setting to replace. The token is never printed.
 */
import { strict as assert } from "node:assert";
import { setTimeout as sleep } from "node:timers/promises";
import { coreApiClient } from "../../provider/platos/platform/core-api";
import { variableSetProvider } from "../../provider/providers/environment-variables";
import { platosWorld } from "../helpers/platos-world";
import { checkedInputs, configureProviders, newProviderProcess } from "../helpers/provider-process";
import { stderrDuring } from "../helpers/stderr-lines";
import { stackConfig } from "./support";

const DAY_S = 24 * 3600;
const where = { project: "default", environment: "expiry" };
const provider = variableSetProvider;

describe("platos:token says when it lapses", function () {
  this.timeout(60_000);
  const world = platosWorld();
  let homeId: string;
  let operator: ReturnType<typeof coreApiClient>;

  before(async () => {
    homeId = (await world.accessOn("platform", { home: "expiry" })).home!.id;
    operator = coreApiClient({ apiUrl: world.emulator.coreApiUrl, token: world.emulator.adminToken });
  });
  beforeEach(() => newProviderProcess());

  /** A provider process configured with a stack token that lapses in `ttlSeconds` (no operator token). */
  async function stackWithTokenFor(ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const minted = await operator.mintToken({ environmentId: homeId, name: "short-lived stack token", permissions: ["*"], ttlSeconds });
    const { settings } = await world.accessOn("platform", { home: "expiry", operator: false });
    await configureProviders(stackConfig({ ...settings, token: minted.token }));
    return { token: minted.token, expiresAt: minted.expiresAt };
  }

  /** What an up (check, as preview runs it, then create and read) of one EnvironmentVariables resource writes to stderr. */
  async function upLines(): Promise<string[]> {
    const { lines } = await stderrDuring(async () => {
      const inputs = await checkedInputs(provider, { ...where, secrets: { [`K${Date.now()}`]: "sk-v" } });
      const created = await provider.create(inputs);
      await provider.read!(created.id, created.outs);
    });
    return lines;
  }

  /** What preview shows of a stack whose token Platos refuses: check's failure. */
  async function previewRefusal(): Promise<string> {
    const { failures } = await provider.check!({}, { ...where, secrets: { LATE: "sk-late" } });
    assert.equal(failures?.length, 1, JSON.stringify(failures));
    return failures![0]!.reason;
  }

  const expiryLines = (lines: string[]) => lines.filter((line) => line.includes("platos:token"));

  it("warns once, with the date and how to renew, when it lapses within 14 days", async () => {
    const { token, expiresAt } = await stackWithTokenFor(3 * DAY_S);
    const lines = [...(await upLines()), ...(await upLines())];
    const warnings = expiryLines(lines);
    assert.equal(warnings.length, 1, lines.join("\n"));
    const warning = warnings[0]!;
    assert.match(warning, new RegExp(`expires on ${expiresAt.slice(0, 10)} \\d\\d:\\d\\d UTC, in 2 days`));
    assert.match(warning, /POST \/mcp\/platform\/tokens/);
    assert.match(warning, /pulumi config set --secret platos:token/);
    assert.ok(!warning.includes(token), "the token is never printed");
  });

  it("warns at preview: check alone, which asks platos.whoami on a stack without an operator token", async () => {
    const { expiresAt } = await stackWithTokenFor(10 * DAY_S);
    world.recorder.reset();
    const { lines } = await stderrDuring(() => checkedInputs(provider, { ...where, secrets: { PREVIEWED: "sk-p" } }));
    assert.equal(expiryLines(lines).length, 1, lines.join("\n"));
    assert.match(expiryLines(lines)[0]!, new RegExp(`expires on ${expiresAt.slice(0, 10)} .*, in 9 days`));
    const whoamis = world.recorder.requests.filter((request) => request.rpc?.tool === "platos.whoami");
    assert.equal(whoamis.length, 1, "the whoami check asked anyway, and no other");
  });

  it("says nothing at 15 days and more", async () => {
    await stackWithTokenFor(15 * DAY_S + 3600);
    assert.deepEqual(expiryLines(await upLines()), []);
  });

  it("once lapsed, the refusal says it expired, when, and which setting to replace", async () => {
    const { token, expiresAt } = await stackWithTokenFor(3);
    assert.equal(expiryLines(await upLines()).length, 1, "warned while it lasted");
    await sleep(Date.parse(expiresAt) - Date.now() + 500);
    // The same process: its check knows the token's environment already, so the refusal comes with the write.
    const inputs = await checkedInputs(provider, { ...where, secrets: { LATE: "sk-late" } });
    const refusal = await provider.create(inputs).then(
      () => assert.fail("an expired token was accepted"),
      (err: unknown) => (err as Error).message,
    );
    assert.match(refusal, new RegExp(`platos:token \\(the Platform MCP token\\) expired on ${expiresAt.slice(0, 10)}`));
    assert.match(refusal, /replace it/);
    assert.ok(!refusal.includes(token));
  });

  it("refused in a process that never learnt its lapse, the error names the setting to replace", async () => {
    const { expiresAt } = await stackWithTokenFor(1);
    await sleep(Date.parse(expiresAt) - Date.now() + 500);
    assert.match(await previewRefusal(), /If platos:token expired .*pulumi config set --secret platos:token/);
  });
});

/**
 * platos:operatorToken: an operator session opened on the emulator for a few days or seconds (real Platos's sessions
 * lapse too: identity-access domain/session.ts@3da129de), learnt from GET /api/v1/identity/session alongside the run's
 * first core-api call: a PLAIN variable, which only core-api writes.
 */
describe("platos:operatorToken says when it lapses", function () {
  this.timeout(60_000);
  const world = platosWorld();
  beforeEach(() => newProviderProcess());

  async function openSession(ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const reply = await fetch(`${world.emulator.url}/emulator/operator-sessions`, {
      method: "POST",
      headers: { authorization: `Bearer ${world.emulator.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ ttlSeconds }),
    });
    assert.equal(reply.status, 201);
    return ((await reply.json()) as { data: { token: string; expiresAt: string } }).data;
  }

  /** A provider process whose stack's operator token is a session lasting `ttlSeconds`. */
  async function stackWithSessionFor(ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const session = await openSession(ttlSeconds);
    const { settings } = await world.accessOn("platform", { home: "expiry" });
    await configureProviders(stackConfig({ ...settings, operatorToken: session.token }));
    return session;
  }

  const plainUp = async () => {
    const inputs = await checkedInputs(provider, { ...where, variables: { [`P${Date.now()}`]: "plain" } });
    return provider.create(inputs);
  };
  const sessionLines = (lines: string[]) => lines.filter((line) => line.includes("platos:operatorToken"));

  it("warns once, with the date and how to renew, when it lapses within 14 days", async () => {
    const { token, expiresAt } = await stackWithSessionFor(5 * DAY_S);
    const { lines } = await stderrDuring(async () => {
      await plainUp();
      await plainUp();
    });
    const warnings = sessionLines(lines);
    assert.equal(warnings.length, 1, lines.join("\n"));
    assert.match(warnings[0]!, new RegExp(`platos:operatorToken \\(the operator session\\) expires on ${expiresAt.slice(0, 10)} .*, in 4 days`));
    assert.match(warnings[0]!, /sign in to Platos again/);
    assert.ok(!warnings[0]!.includes(token));
  });

  it("says nothing at 15 days and more", async () => {
    await stackWithSessionFor(15 * DAY_S + 3600);
    const { lines } = await stderrDuring(plainUp);
    assert.deepEqual(sessionLines(lines), []);
  });

  it("once lapsed, core-api's SESSION_EXPIRED says so, with the date when the run learnt it", async () => {
    const { token, expiresAt } = await stackWithSessionFor(3);
    await plainUp();
    await sleep(Date.parse(expiresAt) - Date.now() + 500);
    const refusal = await plainUp().then(
      () => assert.fail("an expired session was accepted"),
      (err: unknown) => (err as Error).message,
    );
    assert.match(refusal, new RegExp(`platos:operatorToken \\(the operator session\\) expired on ${expiresAt.slice(0, 10)}`));
    assert.ok(!refusal.includes(token));
  });

  it("a run that meets it lapsed says it expired and which setting to replace", async () => {
    const { expiresAt } = await stackWithSessionFor(1);
    await sleep(Date.parse(expiresAt) - Date.now() + 500);
    const refusal = await plainUp().then(
      () => assert.fail("an expired session was accepted"),
      (err: unknown) => (err as Error).message,
    );
    assert.match(refusal, /platos:operatorToken \(the operator session\) expired: replace it: sign in/);
  });

  it("a no-change up asks Platos nothing more: check and diff send no request", async () => {
    await stackWithSessionFor(5 * DAY_S);
    const inputs = await checkedInputs(provider, { ...where, variables: { STILL: "same" }, secrets: { STILL_SECRET: "sk-same" } });
    const created = await provider.create(inputs);
    newProviderProcess();
    world.recorder.reset();
    const again = await checkedInputs(
      provider,
      { ...where, variables: { STILL: "same" }, secrets: { STILL_SECRET: "sk-same" } },
      created.outs as Record<string, unknown>,
    );
    const diff = await provider.diff!(created.id, created.outs as Record<string, unknown>, again);
    assert.equal(diff.changes, false);
    assert.deepEqual(world.recorder.requests, []);
  });
});
