/**
 * Deleting an Environment with what the stack's credentials reach (issue #24 §2), on `platform` against the emulator
 * over HTTP. A `plt_mcp_` token lists only its own environment's contents (tools/settings.ts@bd71ddb1,
 * tools/providers.ts@0d40c417): another environment it created can be deleted with it alone when the program says
 * `deleteContents: true`; otherwise the delete stops before any write, naming every way out. With an operator token
 * the contents are listed and what the stack does not declare still stops the delete.
 */
import { strict as assert } from "node:assert";
import { environmentProvider } from "../../provider/providers/environment";
import { contentsOf } from "../../provider/providers/environment-contents";
import { rpcFailure } from "../../provider/platos/platform/errors";
import { RPC_ERRORS } from "../../provider/client/platform/jsonrpc";
import type { PlatosApi } from "../../provider/platos";
import { platosWorld } from "../helpers/platos-world";
import { checkedInputs, configureProviders, newProviderProcess } from "../helpers/provider-process";
import { writesDone } from "../helpers/request-recorder";
import { mintToken, STACK_TOKEN_PERMISSIONS, stackConfig, type Access } from "../platos/support";

type Props = Record<string, unknown>;

/** The three ways out the message must name when contents cannot be checked. */
const EVERY_WAY_OUT = [/set platos:operatorToken/, /`deleteContents: true`/, /`retain: true`/];

describe("Environment delete with the stack's own credentials (platform)", function () {
  this.timeout(60_000);
  const world = platosWorld();
  let pinnedOnly: Access;
  let withOperator: Access;

  before(async () => {
    pinnedOnly = await world.accessOn("platform", { operator: false });
    withOperator = await world.accessOn("platform");
  });

  /** A new provider process configured with `access`, as the engine starts one per command. */
  const providerWith = async (access: Access) => {
    newProviderProcess();
    await configureProviders(stackConfig(access.settings));
  };

  const create = async (slug: string, extra: Props = {}) => {
    const inputs = await checkedInputs(environmentProvider, { project: "default", slug, ...extra });
    const created = await environmentProvider.create!(inputs);
    return { id: created.id as string, outs: created.outs as Props };
  };

  const stillThere = async (slug: string) => (await world.admin.environments.findBySlug("default", slug)) !== undefined;

  it("an environment other than the token's: created with the pinned token alone, and deleted with it alone when deleteContents is true", async () => {
    await providerWith(pinnedOnly);
    const side = await create("side-go", { deleteContents: true });
    assert.equal((await world.admin.environments.get(side.id)).slug, "side-go");
    await world.admin.variables.put(side.id, "MADE_ELSEWHERE", { value: "x" });

    await providerWith(pinnedOnly);
    world.recorder.reset();
    await environmentProvider.delete!(side.id, side.outs);
    assert.equal(await stillThere("side-go"), false, "archived");
    assert.deepEqual(writesDone(world.recorder.writes()), ["environments.delete"], "nothing listed, no token minted: the one delete");
  });

  it("without deleteContents: refused before any write, in one message naming what cannot be checked and every way out", async () => {
    await providerWith(pinnedOnly);
    const side = await create("side-stay");

    await providerWith(pinnedOnly);
    world.recorder.reset();
    const err = await environmentProvider.delete!(side.id, side.outs).then(
      () => assert.fail("the delete ran"),
      (e: unknown) => e as Error,
    );
    assert.match(
      err.message,
      /^deleting environment "side-stay" in project "default" cannot check that it takes nothing this stack does not declare: its variables, provider keys and agents cannot be listed \(platos:token is pinned to environment "home", .* not those of "side-stay"\)\./,
    );
    for (const wayOut of EVERY_WAY_OUT) assert.match(err.message, wayOut);
    assert.ok(!err.message.includes(pinnedOnly.settings.token), "no token in the message");
    assert.equal(await stillThere("side-stay"), true, "the environment stays");
    assert.deepEqual(world.recorder.writes(), [], "no write at all, environments.delete included");

    // The program's word changes what the next delete does.
    await environmentProvider.delete!(side.id, { ...side.outs, deleteContents: true });
    assert.equal(await stillThere("side-stay"), false);
  });

  it("an environment already deleted outside Pulumi: environments.list tells the pinned token it is gone, and the delete is quiet", async () => {
    await providerWith(pinnedOnly);
    const side = await create("side-gone");
    await world.admin.environments.delete(side.id);

    await providerWith(pinnedOnly);
    world.recorder.reset();
    await environmentProvider.delete!(side.id, side.outs);
    assert.ok(
      world.recorder.requests.some((r) => r.rpc?.tool === "environments.list"),
      "the contents check learned it is gone",
    );
    assert.deepEqual(writesDone(world.recorder.writes()), ["environments.delete"], "answered already archived, which is quiet");
  });

  it("with an operator token the contents are listed: what the stack does not declare still stops the delete, before any write", async () => {
    await providerWith(withOperator);
    const side = await create("side-held");
    await world.admin.variables.put(side.id, "ADDED_IN_DASHBOARD", { value: "kept" });

    await providerWith(withOperator);
    world.recorder.reset();
    await assert.rejects(
      environmentProvider.delete!(side.id, side.outs),
      /^Error: deleting environment "side-held" in project "default" would also delete what this stack does not declare: variables ADDED_IN_DASHBOARD\. /,
    );
    assert.deepEqual(writesDone(world.recorder.writes()), [], "only a read token minted");
    assert.equal(await stillThere("side-held"), true);

    await world.admin.variables.delete(side.id, "ADDED_IN_DASHBOARD");
    await providerWith(withOperator);
    await environmentProvider.delete!(side.id, side.outs);
    assert.equal(await stillThere("side-held"), false, "empty: deleted without deleteContents");
  });

  it("its own environment, with a token lacking providers.list_keys: refused before any write, naming the missing permission", async () => {
    const own = await world.admin.environments.create("default", { slug: "own-nokeys" });
    const token = await mintToken(
      world.emulator,
      own.id,
      STACK_TOKEN_PERMISSIONS.filter((permission) => permission !== "providers.list_keys"),
    );
    const access: Access = { settings: { ...pinnedOnly.settings, token } };
    await providerWith(access);
    world.recorder.reset();
    const outs = { project: "default", slug: "own-nokeys", name: "own-nokeys", projectId: own.projectId, createdAt: own.createdAt, updatedAt: own.updatedAt };
    const err = await environmentProvider.delete!(own.id, outs).then(
      () => assert.fail("the delete ran"),
      (e: unknown) => e as Error,
    );
    assert.match(err.message, /its provider keys cannot be listed \(tools\/call providers\.list_keys failed with JSON-RPC -32001: .*\)/);
    assert.match(err.message, /give platos:token the permission to list them/);
    assert.match(err.message, /`deleteContents: true`/);
    assert.match(err.message, /`retain: true`/);
    assert.doesNotMatch(err.message, /its variables|its agents/, "what could be listed was listed (and is empty)");
    assert.deepEqual(world.recorder.writes(), []);
    assert.equal(await stillThere("own-nokeys"), true);
  });

  it("a Platos line whose providers.list_keys answers -32603: the failure is named, not passed on bare", async () => {
    const internal = rpcFailure("tools/call providers.list_keys", { code: RPC_ERRORS.INTERNAL_ERROR, message: "Internal error" });
    const api = {
      variables: { list: async () => [] },
      providerKeys: { list: async () => Promise.reject(internal) },
      agents: { list: async () => [] },
    } as unknown as PlatosApi;
    const contents = await contentsOf(api, "env-1");
    assert.deepEqual(contents.left, []);
    assert.deepEqual(
      contents.unchecked.map((u) => u.what),
      ["provider keys"],
    );
    assert.match(contents.unchecked[0]!.reason, /providers\.list_keys failed with JSON-RPC -32603/);
  });

  it("a transport failure while listing is thrown as it is (trying again is the way out), not taken for an unlistable kind", async () => {
    const down = new Error("connection refused");
    const api = {
      variables: { list: async () => Promise.reject(down) },
      providerKeys: { list: async () => [] },
      agents: { list: async () => [] },
    } as unknown as PlatosApi;
    await assert.rejects(contentsOf(api, "env-1"), (e: unknown) => e === down);
  });
});
