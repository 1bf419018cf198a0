import assert from "node:assert/strict";
import { EnvironmentVariableResource, VARIABLE_VALUE_MAX } from "../../provider/client/schemas";
import { collectionOf, createEnvironment, eachBackend, expectError, expectFieldError, itemOf } from "./support";

eachBackend("environment variables", (suite) => {
  const url = (environmentId: string, key = "") => `/api/v1/environments/${environmentId}/variables${key ? `/${key}` : ""}`;

  it("PUT creates (201, version 1) then updates (200, version + 1)", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const created = itemOf(await admin.put(url(env.id, "LOG_LEVEL"), { value: "info" }), EnvironmentVariableResource, 201);
    assert.deepEqual(
      {
        key: created.key,
        kind: created.kind,
        value: created.value,
        hasSecret: created.hasSecret,
        version: created.version,
        lastUpdatedBy: created.lastUpdatedBy,
      },
      { key: "LOG_LEVEL", kind: "PLAIN", value: "info", hasSecret: false, version: 1, lastUpdatedBy: "admin" },
    );
    assert.equal(created.environmentId, env.id);
    const updated = itemOf(await admin.put(url(env.id, "LOG_LEVEL"), { value: "debug" }), EnvironmentVariableResource, 200);
    assert.equal(updated.id, created.id);
    assert.equal(updated.version, 2);
    assert.equal(updated.value, "debug");
    assert.equal(updated.createdAt, created.createdAt);
    const same = itemOf(await admin.put(url(env.id, "LOG_LEVEL"), { value: "debug" }), EnvironmentVariableResource, 200);
    assert.equal(same.version, 3, "every write is a version, even with the same value");
    assert.deepEqual(itemOf(await admin.get(url(env.id, "LOG_LEVEL")), EnvironmentVariableResource), same);
  });

  it("never returns a SECRET's value, and a PUT sets the kind", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const secretValue = "sk-test-never-returned-4242";
    const put = await admin.put(url(env.id, "OPENAI_API_KEY"), { value: secretValue, secret: true });
    const secret = itemOf(put, EnvironmentVariableResource, 201);
    assert.equal(secret.kind, "SECRET");
    assert.equal(secret.value, null);
    assert.equal(secret.hasSecret, true);
    const get = await admin.get(url(env.id, "OPENAI_API_KEY"));
    assert.equal(itemOf(get, EnvironmentVariableResource).value, null);
    const list = await admin.get(url(env.id));
    assert.equal(collectionOf(list, EnvironmentVariableResource).data[0]?.value, null);
    for (const reply of [put, get, list]) assert.ok(!reply.text.includes(secretValue));

    const plain = itemOf(await admin.put(url(env.id, "OPENAI_API_KEY"), { value: "now-plain" }), EnvironmentVariableResource, 200);
    assert.deepEqual([plain.kind, plain.value, plain.hasSecret, plain.version], ["PLAIN", "now-plain", false, 2]);
    const secretAgain = itemOf(await admin.put(url(env.id, "OPENAI_API_KEY"), { value: "s3", secret: true }), EnvironmentVariableResource, 200);
    assert.deepEqual([secretAgain.kind, secretAgain.value, secretAgain.version], ["SECRET", null, 3]);
  });

  it("lists the whole collection, ordered by key, in one page", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const keys = Array.from({ length: 60 }, (_, i) => `KEY_${String(i).padStart(2, "0")}`);
    for (const key of [...keys].reverse()) itemOf(await admin.put(url(env.id, key), { value: key.toLowerCase() }), EnvironmentVariableResource, 201);
    const listed = collectionOf(await admin.get(`${url(env.id)}?limit=5`), EnvironmentVariableResource);
    assert.deepEqual(
      listed.data.map((variable) => variable.key),
      keys,
    );
    assert.deepEqual(listed.page, { cursor: null, nextCursor: null, limit: 200, hasMore: false });
  });

  it("validates key and value with the contract's codes", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    for (const badKey of ["lower", "1ABC", "A-B", `A${"B".repeat(64)}`]) {
      expectFieldError(expectError(await admin.put(url(env.id, badKey), { value: "x" }), "ENVIRONMENT_VARIABLE_KEY_INVALID"), "key");
      expectError(await admin.get(url(env.id, badKey)), "ENVIRONMENT_VARIABLE_KEY_INVALID");
      expectError(await admin.delete(url(env.id, badKey)), "ENVIRONMENT_VARIABLE_KEY_INVALID");
    }
    expectFieldError(expectError(await admin.put(url(env.id, "EMPTY"), { value: "" }), "ENVIRONMENT_VARIABLE_VALUE_REQUIRED"), "value", "too_small");
    expectFieldError(expectError(await admin.put(url(env.id, "MISSING"), {}), "ENVIRONMENT_VARIABLE_VALUE_REQUIRED"), "value", "invalid_type");
    expectFieldError(expectError(await admin.put(url(env.id, "NUMBER"), { value: 5 }), "ENVIRONMENT_VARIABLE_VALUE_REQUIRED"), "value", "invalid_type");
    const tooLong = expectError(await admin.put(url(env.id, "LONG"), { value: "x".repeat(VARIABLE_VALUE_MAX + 1) }), "ENVIRONMENT_VARIABLE_VALUE_TOO_LONG");
    expectFieldError(tooLong, "value", "too_big");
    assert.ok(!JSON.stringify(tooLong).includes("x".repeat(100)), "the value is not echoed");
    expectFieldError(expectError(await admin.put(url(env.id, "KIND"), { value: "v", secret: "yes" }), "TRANSPORT_REQUEST_INVALID"), "secret");
    itemOf(await admin.put(url(env.id, "LONGEST"), { value: "x".repeat(VARIABLE_VALUE_MAX) }), EnvironmentVariableResource, 201);
    itemOf(await admin.put(url(env.id, `A${"B".repeat(63)}`), { value: "x" }), EnvironmentVariableResource, 201);
  });

  it("answers 404 ENVIRONMENT_VARIABLE_UNAVAILABLE for a missing variable, and DELETE removes one", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    expectError(await admin.get(url(env.id, "NOPE")), "ENVIRONMENT_VARIABLE_UNAVAILABLE");
    expectError(await admin.delete(url(env.id, "NOPE")), "ENVIRONMENT_VARIABLE_UNAVAILABLE");
    itemOf(await admin.put(url(env.id, "TEMP"), { value: "x" }), EnvironmentVariableResource, 201);
    assert.equal((await admin.delete(url(env.id, "TEMP"))).status, 204);
    expectError(await admin.get(url(env.id, "TEMP")), "ENVIRONMENT_VARIABLE_UNAVAILABLE");
    const again = itemOf(await admin.put(url(env.id, "TEMP"), { value: "y" }), EnvironmentVariableResource, 201);
    assert.equal(again.version, 1, "a deleted variable starts over");
  });

  it("keeps variables of one environment out of another", async () => {
    const { admin } = suite();
    const dev = await createEnvironment(admin);
    const prod = await createEnvironment(admin);
    itemOf(await admin.put(url(dev.id, "ONLY_DEV"), { value: "d" }), EnvironmentVariableResource, 201);
    expectError(await admin.get(url(prod.id, "ONLY_DEV")), "ENVIRONMENT_VARIABLE_UNAVAILABLE");
    assert.deepEqual(collectionOf(await admin.get(url(prod.id)), EnvironmentVariableResource).data, []);
    expectError(await admin.put(url("00000000-0000-0000-0000-000000000000", "X"), { value: "x" }), "TENANCY_NOT_FOUND");
  });

  it("gives concurrent writes to one key distinct, consecutive versions", async () => {
    const { admin } = suite();
    const env = await createEnvironment(admin);
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => admin.put(url(env.id, "RACE"), { value: `v${i}` })));
    const statuses = replies.map((reply) => reply.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 201]);
    const versions = replies.map((reply) => itemOf(reply, EnvironmentVariableResource, reply.status).version).sort((a, b) => a - b);
    assert.deepEqual(versions, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(itemOf(await admin.get(url(env.id, "RACE")), EnvironmentVariableResource).version, 8);
  });
});
