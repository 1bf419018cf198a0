import assert from "node:assert/strict";
import { AgentResource, ProviderKeyResource, type Environment, type ProviderKey } from "../../provider/client/schemas";
import { apiAs, collectionOf, createEnvironment, eachBackend, expectError, expectFieldError, itemOf, type Api } from "./support";

const MODEL = "anthropic:claude-sonnet-4-6";

eachBackend("provider keys", (suite) => {
  const url = (environmentId: string, keyId = "") => `/api/v1/environments/${environmentId}/provider-keys${keyId ? `/${keyId}` : ""}`;
  const secretVariable = (admin: Api, environmentId: string, key: string, value = "sk-provider-key-material") =>
    admin.put(`/api/v1/environments/${environmentId}/variables/${key}`, { value, secret: true });
  const create = async (admin: Api, environmentId: string, body: Record<string, unknown>): Promise<ProviderKey> =>
    itemOf(await admin.post(url(environmentId), body), ProviderKeyResource, 201);

  let env: Environment;
  beforeEach(async () => {
    env = await createEnvironment(suite().admin);
    await secretVariable(suite().admin, env.id, "OPENAI_API_KEY");
    await secretVariable(suite().admin, env.id, "OPENAI_API_KEY_NEXT");
  });

  it("POST creates a key that names a SECRET variable; GET reads it and the list shows it, without any material", async () => {
    const { admin } = suite();
    const created = await create(admin, env.id, { provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY", isDefault: true });
    assert.deepEqual(
      [created.environmentId, created.provider, created.label, created.envVarName, created.isDefault, created.createdBy, created.lastUsedAt],
      [env.id, "openai", "primary", "OPENAI_API_KEY", true, "admin", null],
    );
    assert.deepEqual(itemOf(await admin.get(url(env.id, created.id)), ProviderKeyResource), created);
    const listed = await admin.get(url(env.id));
    assert.deepEqual(collectionOf(listed, ProviderKeyResource).data, [created]);
    assert.ok(!listed.text.includes("sk-provider-key-material"));
    assert.equal(
      (await create(admin, env.id, { provider: "anthropic", label: "primary", envVarName: "OPENAI_API_KEY" })).isDefault,
      false,
      "isDefault defaults to false",
    );
    assert.deepEqual(
      collectionOf(await admin.get(`${url(env.id)}?provider=anthropic`), ProviderKeyResource).data.map((key) => key.provider),
      ["anthropic"],
    );
  });

  it("keeps one default per provider: a new default clears the others of its provider only", async () => {
    const { admin } = suite();
    const first = await create(admin, env.id, { provider: "openai", label: "first", envVarName: "OPENAI_API_KEY", isDefault: true });
    const other = await create(admin, env.id, { provider: "anthropic", label: "main", envVarName: "OPENAI_API_KEY", isDefault: true });
    const second = await create(admin, env.id, { provider: "openai", label: "second", envVarName: "OPENAI_API_KEY_NEXT", isDefault: true });
    const defaults = () =>
      admin.get(url(env.id)).then((reply) =>
        collectionOf(reply, ProviderKeyResource)
          .data.filter((key) => key.isDefault)
          .map((key) => key.id),
      );
    assert.deepEqual(await defaults(), [other.id, second.id]);
    itemOf(await admin.patch(url(env.id, first.id), { isDefault: true }), ProviderKeyResource);
    assert.deepEqual(await defaults(), [first.id, other.id]);
  });

  it("PATCH rotates the key to another variable, relabels it, and refuses a provider change", async () => {
    const { admin } = suite();
    const key = await create(admin, env.id, { provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY" });
    const rotated = itemOf(await admin.patch(url(env.id, key.id), { envVarName: "OPENAI_API_KEY_NEXT", label: "rotated" }), ProviderKeyResource);
    assert.deepEqual([rotated.id, rotated.envVarName, rotated.label, rotated.createdAt], [key.id, "OPENAI_API_KEY_NEXT", "rotated", key.createdAt]);
    expectFieldError(expectError(await admin.patch(url(env.id, key.id), { provider: "anthropic" }), "TRANSPORT_REQUEST_INVALID"), "provider", "immutable");
  });

  it("a new value in the variable rotates the material and leaves the key as it is", async () => {
    const { admin } = suite();
    const key = await create(admin, env.id, { provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY" });
    await secretVariable(admin, env.id, "OPENAI_API_KEY", "sk-rotated-material");
    assert.deepEqual(itemOf(await admin.get(url(env.id, key.id)), ProviderKeyResource), key);
  });

  it("refuses a variable that is missing, PLAIN or malformed, and a provider and label already taken", async () => {
    const { admin } = suite();
    await admin.put(`/api/v1/environments/${env.id}/variables/LOG_LEVEL`, { value: "info" });
    for (const envVarName of ["NO_SUCH_VARIABLE", "LOG_LEVEL"]) {
      const refusal = expectError(await admin.post(url(env.id), { provider: "openai", label: envVarName, envVarName }), "PROVIDER_KEY_CREDENTIAL_UNAVAILABLE");
      expectFieldError(refusal, "envVarName", "credential_unavailable");
      assert.match(refusal.body, new RegExp(`no SECRET variable ${envVarName}`));
    }
    expectFieldError(expectError(await admin.post(url(env.id), { provider: "openai", label: "x", envVarName: "lower" }), "PROVIDER_KEY_INVALID"), "envVarName");
    expectFieldError(
      expectError(await admin.post(url(env.id), { provider: "Open AI", label: "x", envVarName: "OPENAI_API_KEY" }), "PROVIDER_KEY_INVALID"),
      "provider",
    );
    expectFieldError(
      expectError(await admin.post(url(env.id), { provider: "openai", label: "", envVarName: "OPENAI_API_KEY" }), "PROVIDER_KEY_INVALID"),
      "label",
    );
    const key = await create(admin, env.id, { provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY" });
    expectError(await admin.post(url(env.id), { provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY_NEXT" }), "PROVIDER_KEY_ALREADY_EXISTS");
    await create(admin, env.id, { provider: "openai", label: "other", envVarName: "OPENAI_API_KEY" });
    expectError(await admin.patch(url(env.id, key.id), { label: "other" }), "PROVIDER_KEY_ALREADY_EXISTS");
    expectError(await admin.patch(url(env.id, key.id), { envVarName: "LOG_LEVEL" }), "PROVIDER_KEY_CREDENTIAL_UNAVAILABLE");
  });

  it("refuses to delete a key an agent's configuration names, naming the agents; deletes it once unpinned", async () => {
    const { admin, emulator } = suite();
    const key = await create(admin, env.id, { provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY" });
    const agent = itemOf(await admin.post(`/api/v1/environments/${env.id}/agents`, { slug: "support", name: "Support", model: MODEL }), AgentResource, 201);
    const router = itemOf(await admin.post(`/api/v1/environments/${env.id}/agents`, { slug: "router", name: "Router", model: MODEL }), AgentResource, 201);
    await emulator.store.providerKeys.setAgentRefs(agent.id, { providerKeyId: key.id });
    await emulator.store.providerKeys.setAgentRefs(router.id, {
      modelRoutes: [{ label: "fast", model: "openai:gpt-5-mini", providerKeyId: key.id, isDefault: true }],
    });

    const refusal = expectError(await admin.delete(url(env.id, key.id)), "PROVIDER_KEY_PINNED");
    assert.match(refusal.body, /pinned by agents "router", "support"/);
    await emulator.store.providerKeys.setAgentRefs(agent.id, { providerKeyId: null });
    expectError(await admin.delete(url(env.id, key.id)), "PROVIDER_KEY_PINNED");
    assert.equal((await admin.delete(`/api/v1/environments/${env.id}/agents/${router.id}`)).status, 204, "deleting the agent drops its pins");
    assert.equal((await admin.delete(url(env.id, key.id))).status, 204);
    expectError(await admin.get(url(env.id, key.id)), "PROVIDER_KEY_NOT_FOUND");
    expectError(await admin.delete(url(env.id, key.id)), "PROVIDER_KEY_NOT_FOUND");
    expectError(await admin.patch(url(env.id, key.id), { label: "x" }), "PROVIDER_KEY_NOT_FOUND");
  });

  it("keeps keys per environment: another environment's key id is 404, and archiving an environment deletes its keys", async () => {
    const { admin } = suite();
    const key = await create(admin, env.id, { provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY" });
    const other = await createEnvironment(admin);
    expectError(await admin.get(url(other.id, key.id)), "PROVIDER_KEY_NOT_FOUND");
    expectError(await admin.post(url(other.id), { provider: "openai", label: "primary", envVarName: "OPENAI_API_KEY" }), "PROVIDER_KEY_CREDENTIAL_UNAVAILABLE");
    assert.equal((await admin.delete(`/api/v1/environments/${env.id}`)).status, 204);
    expectError(await admin.get(url(env.id)), "TENANCY_NOT_FOUND");
    assert.deepEqual(await suite().emulator.store.providerKeys.list(env.id), []);
  });

  it("answers 403 to a token scoped to other environments", async () => {
    const { admin } = suite();
    const minted = await admin.post("/api/v1/tokens", { name: "elsewhere", project: "default", environments: ["nowhere"] });
    const scoped = apiAs(suite().emulator.app, (minted.json as { data: { token: string } }).data.token);
    expectError(await scoped.get(url(env.id)), "TENANCY_ENVIRONMENT_FORBIDDEN");
    expectError(await scoped.post(url(env.id), { provider: "openai", label: "x", envVarName: "OPENAI_API_KEY" }), "TENANCY_ENVIRONMENT_FORBIDDEN");
  });
});
