/**
 * Issue #24 §2, end to end on `platform` (the protocol with pinned tokens): a stack run with a `plt_mcp_` token alone,
 * no operator token, declaring a new environment and an agent and variables in the token's own environment. It comes
 * up, re-runs with no change and no write, and its destroy stops before deleting the new environment (whose contents
 * that token cannot list) with one message naming every way out; with `deleteContents: true` it is destroyed.
 */
import { strict as assert } from "node:assert";
import { join, resolve } from "node:path";
import { freshProgram } from "./program-loader";
import { StackHarness } from "./stack-harness";
import { platosWorld } from "../helpers/platos-world";
import { writesDone } from "../helpers/request-recorder";
import { stackConfig } from "../platos/support";

const root = resolve(__dirname, "../..");
const API_KEY = "svc-e2e-pinned-4f2a";

describe("e2e (platform): a stack with a plt_mcp_ token alone, up / no-change up / destroy", function () {
  this.timeout(300_000);
  const world = platosWorld();
  let platosConfig: Record<string, string>;

  before(async () => {
    platosConfig = stackConfig((await world.accessOn("platform", { operator: false })).settings);
    assert.equal(platosConfig["platos:operatorToken"], undefined, "no operator token anywhere in the stack's config");
  });

  const stack = (settings: Record<string, string> = {}) =>
    new StackHarness({
      project: "pinned",
      stack: "dev",
      program: freshProgram(join(__dirname, "fixtures", "pinned-token-program.ts")),
      programDir: root,
      stateFile: join(world.work, "pinned-dev.state.json"),
      passphrase: "pinned",
      config: { ...platosConfig, "pinned:environment": "side", "pinned:home": "home", "pinned:apiKey": API_KEY, ...settings },
      secretKeys: ["platos:token", "pinned:apiKey"],
    });

  const home = async () => (await world.admin.environments.findBySlug("default", "home"))!;
  const homeContents = async () => {
    const id = (await home()).id;
    return { variables: (await world.admin.variables.list(id)).map((v) => v.key).sort(), agents: (await world.admin.agents.list(id)).map((a) => a.slug) };
  };

  it("comes up, and a second up makes no write", async () => {
    const first = await stack().up();
    assert.ok(first.steps.length === 4 && first.steps.every((s) => s.kind === "create"), JSON.stringify(first.steps));
    assert.ok(await world.admin.environments.findBySlug("default", "side"), "the new environment");
    assert.deepEqual(await homeContents(), { variables: ["SERVICE_API_KEY", "SIDE_ENVIRONMENT"], agents: ["helper"] });

    world.recorder.reset();
    const again = await stack().up();
    assert.ok(
      again.steps.every((s) => s.kind === "same"),
      JSON.stringify(again.steps),
    );
    assert.deepEqual(writesDone(world.recorder.writes()), []);
  });

  it("destroy: the environment's delete stops before writing, with the one message naming every way out", async () => {
    world.recorder.reset();
    const err = await stack()
      .destroy()
      .then(
        () => assert.fail("the destroy went through"),
        (e: unknown) => e as Error,
      );
    assert.match(
      err.message,
      /deleting environment "side" in project "default" cannot check that it takes nothing this stack does not declare: its variables, provider keys and agents cannot be listed \(platos:token is pinned to environment "home"/,
    );
    for (const wayOut of [/set platos:operatorToken/, /`deleteContents: true`/, /`retain: true`/]) assert.match(err.message, wayOut);
    assert.ok(!err.message.includes(platosConfig["platos:token"]!) && !err.message.includes(API_KEY), "no token or value in the message");
    assert.ok(await world.admin.environments.findBySlug("default", "side"), "the environment stays");
    assert.ok(!writesDone(world.recorder.writes()).includes("environments.delete"), "environments.delete was never sent");
    assert.deepEqual(
      [...stack().state().values()].map((r) => r.urn.split("::").pop()),
      ["environment"],
      "the dependents went first; the environment stays in state",
    );
  });

  it("with deleteContents: true the same token destroys it all", async () => {
    // The destroy above deleted the agent, and Platos keeps a deleted agent's slug taken: the agent comes back under another.
    const marked = { "pinned:deleteContents": "true", "pinned:agentSlug": "helper-2" };
    world.recorder.reset();
    const up = await stack(marked).up();
    assert.equal(up.steps.find((s) => s.urn.endsWith("::environment"))?.kind, "update");
    assert.deepEqual(
      writesDone(world.recorder.writes()),
      ["agents.create", "environments.set_secret", "environments.set_secret"],
      "the dependents come back; the environment's update writes nothing",
    );
    world.recorder.reset();
    await stack(marked).destroy();
    assert.ok(writesDone(world.recorder.writes()).includes("environments.delete"));
    assert.equal(await world.admin.environments.findBySlug("default", "side"), undefined, "archived");
    assert.deepEqual(await homeContents(), { variables: [], agents: [] }, "the token's own environment, as before the stack");
    assert.equal([...stack().state().values()].length, 0);
  });
});
