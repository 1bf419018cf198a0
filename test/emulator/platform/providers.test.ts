import assert from "node:assert/strict";
import { RPC_ERRORS } from "../../../provider/client/platform/jsonrpc";
import { TOOLS } from "../../../provider/client/platform/tools";
import { ProviderKeyResource, type Environment } from "../../../provider/client/schemas";
import { hashToken } from "../../../emulator/crypto";
import { provideKeyMaterial } from "../../platos/support";
import { collectionOf, expectError, itemOf, uniqueSlug } from "../support";
import { callTool, platformSuite, rpcError, toolCall } from "./support";

const MODEL = "anthropic:claude-sonnet-4-6";

describe("platform tools: providers.*", () => {
  const suite = platformSuite();
  let dev: Environment;
  let token: string;
  let otherToken: string;
  before(async () => {
    dev = await suite().environment(uniqueSlug("dev"));
    token = await suite().mint(dev.id);
    otherToken = await suite().mint((await suite().environment(uniqueSlug("prod"))).id);
  });

  /** A provider credential, made as the dashboard's Add key makes one (real Platos's only way). */
  const credential = (name: string, provider = "openai", value = "sk-platform-key-material") =>
    provideKeyMaterial(suite().emulator, "platform", dev.id, { name, provider, value });
  const addKey = async (args: { provider: string; label: string; envVarName: string; isDefault?: boolean }) => {
    const added = await callTool(suite(), token, "providers.add_key", args);
    assert.ok(!("error" in added), JSON.stringify(added));
    return added;
  };

  it("carries Platos's input schemas, approval floors and read-only flag", () => {
    assert.deepEqual(TOOLS["providers.add_key"].inputSchema.required, ["provider", "label", "envVarName"]);
    assert.deepEqual(TOOLS["providers.rotate_key"].inputSchema.required, ["keyId", "envVarName"]);
    for (const name of ["providers.add_key", "providers.rotate_key", "providers.delete_key"] as const)
      assert.equal(TOOLS[name].approvalFloor, "require_approval");
    assert.deepEqual([TOOLS["providers.list_keys"].approvalFloor, TOOLS["providers.list_keys"].readOnly], ["auto_allow", true]);
  });

  it("add_key links a key to a provider credential made in the dashboard; list_keys and V1 show it", async () => {
    await credential("OPENAI_API_KEY");
    const added = await addKey({ provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY", isDefault: true });
    assert.deepEqual(added, { keyId: added.keyId, provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY", isDefault: true });
    const listed = await callTool(suite(), token, "providers.list_keys", { provider: "openai" });
    assert.ok(!("error" in listed));
    const [record] = listed.keys.filter((key) => key.id === added.keyId);
    const v1 = itemOf(await suite().admin.get(`/api/v1/environments/${dev.id}/provider-keys/${added.keyId}`), ProviderKeyResource);
    const { credentialId, ...rest } = record!;
    assert.deepEqual(rest, v1);
    const [made] = await suite().emulator.db.query<{ id: string }>("SELECT id FROM provider_credentials WHERE environment_id = $1 AND name = $2", [
      dev.id,
      "OPENAI_API_KEY",
    ]);
    assert.equal(credentialId, made?.id);
    assert.deepEqual(await callTool(suite(), otherToken, "providers.list_keys", {}), { keys: [] }, "another environment's token sees its own keys only");
  });

  it("add_key refuses a blank field, a name with no credential of that provider here (a set_secret variable included), and a taken label", async () => {
    await credential("ANTHROPIC_API_KEY", "anthropic");
    const refusal = async (args: Record<string, unknown>) => {
      const result = await callTool(suite(), token, "providers.add_key", {
        provider: "anthropic",
        label: uniqueSlug("l"),
        envVarName: "ANTHROPIC_API_KEY",
        ...args,
      });
      assert.ok("error" in result, JSON.stringify(result));
      return result.error;
    };
    assert.equal(await refusal({ label: "   " }), "invalid_input");
    assert.equal(await refusal({ envVarName: "NOT_SET_ANYWHERE" }), "credential_unavailable");
    assert.equal(await refusal({ provider: "openai" }), "credential_unavailable", "the credential is another provider's");
    await callTool(suite(), token, "environments.set_secret", { name: "SET_AS_SECRET", value: "sk-variable" });
    assert.equal(await refusal({ envVarName: "SET_AS_SECRET" }), "credential_unavailable", "a variable written by set_secret is no provider credential");
    await addKey({ provider: "anthropic", label: "taken", envVarName: "ANTHROPIC_API_KEY" });
    assert.equal(await refusal({ label: "taken" }), "already_exists");
    rpcError(await suite().rpc(token, toolCall("providers.add_key", { provider: "", label: "x", envVarName: "ANTHROPIC_API_KEY" })), RPC_ERRORS.INVALID_PARAMS);
  });

  it("rotate_key points the key at another credential and relabels it; new material in the credential leaves the key alone", async () => {
    await credential("ROTATE_A");
    await credential("ROTATE_B");
    const added = await addKey({ provider: "openai", label: uniqueSlug("rotate"), envVarName: "ROTATE_A" });
    const rotated = await callTool(suite(), token, "providers.rotate_key", { keyId: added.keyId, envVarName: "ROTATE_B", label: "rotated" });
    assert.deepEqual(rotated, {
      rotated: true,
      keyId: added.keyId,
      provider: "openai",
      label: "rotated",
      previousEnvVarName: "ROTATE_A",
      envVarName: "ROTATE_B",
    });
    await credential("ROTATE_B", "openai", "sk-new-material");
    const v1 = itemOf(await suite().admin.get(`/api/v1/environments/${dev.id}/provider-keys/${added.keyId}`), ProviderKeyResource);
    assert.deepEqual([v1.envVarName, v1.label], ["ROTATE_B", "rotated"]);
    assert.deepEqual(await callTool(suite(), token, "providers.rotate_key", { keyId: added.keyId, envVarName: "MISSING_VAR" }), {
      error: "credential_unavailable",
      keyId: added.keyId,
    });
    assert.deepEqual(await callTool(suite(), token, "providers.rotate_key", { keyId: "nope", envVarName: "ROTATE_A" }), { error: "not_found", keyId: "nope" });
  });

  it("add_key with isDefault clears the provider's other default", async () => {
    const provider = uniqueSlug("p");
    await credential("DEFAULT_A", provider);
    const first = await addKey({ provider, label: "first", envVarName: "DEFAULT_A", isDefault: true });
    const second = await addKey({ provider, label: "second", envVarName: "DEFAULT_A", isDefault: true });
    const listed = await callTool(suite(), token, "providers.list_keys", { provider });
    assert.ok(!("error" in listed));
    assert.deepEqual(
      listed.keys.map((key) => [key.id, key.isDefault]),
      [
        [first.keyId, false],
        [second.keyId, true],
      ],
    );
  });

  it("delete_key is refused while an agent names the key (providerKeyId or a model route), on both surfaces", async () => {
    await credential("PINNED_KEY");
    const added = await addKey({ provider: "openai", label: uniqueSlug("pinned"), envVarName: "PINNED_KEY" });
    const agent = await callTool(suite(), token, "agents.create", { name: "Pinner", slug: uniqueSlug("pinner"), model: MODEL, providerKeyId: added.keyId });
    assert.ok(!("error" in agent));
    assert.equal(agent.providerKeyId, added.keyId, "the record shows the key the agent names");
    const pinned = await callTool(suite(), token, "providers.delete_key", { keyId: added.keyId });
    assert.deepEqual(pinned, { error: "pinned_agents" }, "Platos names neither the key nor the agents");
    assert.match(
      expectError(await suite().admin.delete(`/api/v1/environments/${dev.id}/provider-keys/${added.keyId}`), "PROVIDER_KEY_PINNED").body,
      /pinned by agents "pinner-/,
    );

    const routes = [{ label: "main", model: "openai:gpt-5", providerKeyId: added.keyId, isDefault: true }];
    const routed = await callTool(suite(), token, "agents.update", { agentId: agent.id, providerKeyId: null, modelRoutes: routes });
    assert.ok(!("error" in routed));
    assert.deepEqual([routed.providerKeyId, routed.modelRoutes], [null, routes]);
    assert.equal(((await callTool(suite(), token, "providers.delete_key", { keyId: added.keyId })) as { error?: string }).error, "pinned_agents");

    assert.deepEqual(await callTool(suite(), token, "agents.delete", { agentId: agent.id }), { ok: true, agentId: agent.id });
    assert.deepEqual(await callTool(suite(), token, "providers.delete_key", { keyId: added.keyId }), {
      deleted: true,
      keyId: added.keyId,
      provider: "openai",
      label: added.label,
      envVarName: "PINNED_KEY",
    });
    assert.deepEqual(await callTool(suite(), token, "providers.delete_key", { keyId: added.keyId }), { error: "not_found" });
    assert.deepEqual(
      collectionOf(await suite().admin.get(`/api/v1/environments/${dev.id}/provider-keys?provider=openai`), ProviderKeyResource).data.filter(
        (key) => key.id === added.keyId,
      ),
      [],
    );
  });

  it("refuses an agent that names another environment's provider key, naming both environments, and writes nothing", async () => {
    const prodId = (await suite().emulator.store.mcpTokens.verify(hashToken(otherToken)))!.scope.environmentId;
    await provideKeyMaterial(suite().emulator, "platform", prodId, { name: "PROD_KEY", provider: "openai", value: "sk-prod-key-material" });
    const foreign = await callTool(suite(), otherToken, "providers.add_key", { provider: "openai", label: uniqueSlug("prod"), envVarName: "PROD_KEY" });
    assert.ok(!("error" in foreign), JSON.stringify(foreign));
    const prodSlug = (await suite().emulator.store.environments.findById((await suite().emulator.store.providerKeys.environmentOf(foreign.keyId))!))!
      .environment.slug;
    const slug = uniqueSlug("borrower");
    const refusal = new RegExp(
      `^provider key ${foreign.keyId} is a key of environment "${prodSlug}", not of environment "${dev.slug}" where the agent is bound`,
    );

    const created = await callTool(suite(), token, "agents.create", { name: "Borrower", slug, model: MODEL, providerKeyId: foreign.keyId });
    assert.equal((created as { error?: string }).error, "provider_key_not_in_environment");
    assert.match(String((created as { message?: unknown }).message), refusal);
    const listed = await callTool(suite(), token, "agents.list", {});
    assert.ok(!("error" in listed) && !listed.agents.some((agent) => agent.slug.startsWith(slug)), "no agent was made");

    const agent = await callTool(suite(), token, "agents.create", { name: "Borrower", slug, model: MODEL });
    assert.ok(!("error" in agent));
    const routes = [{ label: "main", model: "openai:gpt-5", providerKeyId: foreign.keyId, isDefault: true }];
    const updated = await callTool(suite(), token, "agents.update", { agentId: agent.id, modelRoutes: routes });
    assert.match(String((updated as { message?: unknown }).message), refusal);
    const unknown = await callTool(suite(), token, "agents.update", { agentId: agent.id, providerKeyId: "no-such-key" });
    assert.match(
      String((unknown as { message?: unknown }).message),
      /^provider key no-such-key is not a key of environment "[^"]+" where the agent is bound \(there is no such key\)$/,
    );
  });

  it("throws (-32603) when an agent's providerKeyId or modelRoutes has the wrong type", async () => {
    rpcError(
      await suite().rpc(token, toolCall("agents.create", { name: "Bad", slug: uniqueSlug("bad"), model: MODEL, modelRoutes: "fast" })),
      RPC_ERRORS.INTERNAL_ERROR,
    );
  });
});
