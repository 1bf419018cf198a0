/**
 * Tokens the platform adapter mints for an environment other than its configured token's carry only what the calls
 * at hand need in that environment: a read mints a token that can only list, a write one that can also write, and
 * neither can reach the project's environments (environments.* would let it delete any of them) or live for hours.
 */
import { strict as assert } from "node:assert";
import { createPlatosApi, type PlatosSettings } from "../../provider/platos";
import { MINTED_READ_PERMISSIONS, MINTED_WRITE_PERMISSIONS } from "../../provider/platos/platform/scopes";
import { platosWorld } from "../helpers/platos-world";

interface MintedToken {
  readonly label: string;
  readonly permissions: string[];
  readonly createdAt: string;
  readonly expiresAt: string | null;
}

describe("tokens the platform adapter mints for another environment", function () {
  this.timeout(60_000);
  const world = platosWorld();
  let settings: PlatosSettings;
  let prodId: string;

  before(async () => {
    settings = (await world.accessOn("platform", { home: "dev" })).settings;
    prodId = (await world.admin.environments.create("default", { slug: "prod" })).id;
  });

  async function mintedFor(environmentId: string): Promise<MintedToken[]> {
    const reply = await fetch(`${world.emulator.url}/mcp/platform/tokens?environmentId=${environmentId}`, {
      headers: { authorization: `Bearer ${world.emulator.adminToken}` },
    });
    assert.equal(reply.status, 200);
    return ((await reply.json()) as { data: MintedToken[] }).data.filter((token) => token.label === "pulumi-platos provider");
  }

  const hoursOf = (token: MintedToken) => (Date.parse(token.expiresAt!) - Date.parse(token.createdAt)) / 3_600_000;

  it("reads with a token that can only list, for at most an hour", async () => {
    const api = createPlatosApi(settings);
    await api.variables.list(prodId);
    await api.agents.list(prodId);
    await api.providerKeys.list(prodId);
    const [token, ...more] = await mintedFor(prodId);
    assert.deepEqual(more, [], "one token for every read");
    assert.deepEqual([...token!.permissions].sort(), [...MINTED_READ_PERMISSIONS].sort());
    // What each tool's `minted` (tools.ts) comes to, written out: a tool marked otherwise widens or narrows a token.
    assert.deepEqual([...MINTED_READ_PERMISSIONS].sort(), ["agents.list", "environments.list_secrets", "providers.list_keys"]);
    assert.ok(hoursOf(token!) <= 1, `${hoursOf(token!)} h`);
  });

  it("writes with one more token that can write in that environment only: no environments.*, create, delete or list of environments, no whoami", async () => {
    const api = createPlatosApi(settings);
    await api.variables.put(prodId, "PROD_KEY", { value: "sk-prod", secret: true });
    await api.variables.list(prodId);
    const writers = (await mintedFor(prodId)).filter((token) => token.permissions.includes("environments.set_secret"));
    assert.equal(writers.length, 1, "reads after a write reuse the writing token");
    const permissions = writers[0]!.permissions;
    assert.deepEqual([...permissions].sort(), [...MINTED_WRITE_PERMISSIONS].sort());
    assert.deepEqual([...MINTED_WRITE_PERMISSIONS].sort(), [
      "agents.create",
      "agents.delete",
      "agents.list",
      "agents.update",
      "environments.delete_secret",
      "environments.list_secrets",
      "environments.set_secret",
      "providers.add_key",
      "providers.delete_key",
      "providers.list_keys",
      "providers.rotate_key",
    ]);
    for (const tool of ["environments.*", "environments.delete", "environments.create", "environments.list", "agents.*", "platos.whoami", "*"])
      assert.ok(!permissions.includes(tool), tool);
    assert.ok(hoursOf(writers[0]!) <= 1);
  });
});
