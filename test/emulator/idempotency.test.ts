import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { EnvironmentResource, EnvironmentVariableResource, TokenResource } from "../../provider/client/schemas";
import { ABANDONED_CLAIM_MS, IDEMPOTENCY_TTL_MS } from "../../emulator/store/idempotency";
import { apiAs, collectionOf, createEnvironment, eachBackend, expectError, expectFieldError, itemOf, uniqueSlug, type Reply } from "./support";

let now = Date.parse("2026-01-01T00:00:00Z");
const key = () => ({ "idempotency-key": `test:${randomUUID()}` });
const replayed = (reply: Reply) => reply.headers["idempotency-replayed"] === "true";

eachBackend(
  "idempotency",
  (suite) => {
    it("replays a create: same status and body, marked as replayed, and no twin", async () => {
      const { admin } = suite();
      const headers = key();
      const slug = uniqueSlug();
      const first = await admin.post("/api/v1/projects/default/environments", { slug }, headers);
      const second = await admin.post("/api/v1/projects/default/environments", { slug }, headers);
      itemOf(first, EnvironmentResource, 201);
      assert.equal(replayed(first), false);
      assert.equal(second.status, 201);
      assert.equal(second.text, first.text);
      assert.equal(replayed(second), true);
      assert.equal(collectionOf(await admin.get(`/api/v1/projects/default/environments?slug=${slug}`), EnvironmentResource).data.length, 1);
    });

    it("replays a PUT without writing a new version, and a DELETE with its 204", async () => {
      const { admin } = suite();
      const env = await createEnvironment(admin);
      const url = `/api/v1/environments/${env.id}/variables/IDEMPOTENT`;
      const headers = key();
      const first = itemOf(await admin.put(url, { value: "v" }, headers), EnvironmentVariableResource, 201);
      const again = await admin.put(url, { value: "v" }, headers);
      assert.deepEqual(itemOf(again, EnvironmentVariableResource, 201), first);
      assert.equal(replayed(again), true);
      assert.equal(itemOf(await admin.get(url), EnvironmentVariableResource).version, 1);

      const deleteHeaders = key();
      assert.equal((await admin.delete(url, deleteHeaders)).status, 204);
      const deletedAgain = await admin.delete(url, deleteHeaders);
      assert.equal(deletedAgain.status, 204, "the recorded 204, not a 404");
      assert.equal(replayed(deletedAgain), true);
    });

    it("answers 409 IDEMPOTENCY_REQUEST_MISMATCH when a key is reused for another request", async () => {
      const { admin } = suite();
      const env = await createEnvironment(admin);
      const headers = key();
      itemOf(await admin.put(`/api/v1/environments/${env.id}/variables/A`, { value: "1" }, headers), EnvironmentVariableResource, 201);
      expectError(await admin.put(`/api/v1/environments/${env.id}/variables/A`, { value: "2" }, headers), "IDEMPOTENCY_REQUEST_MISMATCH");
      expectError(await admin.put(`/api/v1/environments/${env.id}/variables/B`, { value: "1" }, headers), "IDEMPOTENCY_REQUEST_MISMATCH");
      expectError(await admin.delete(`/api/v1/environments/${env.id}/variables/A`, headers), "IDEMPOTENCY_REQUEST_MISMATCH");
      assert.equal(itemOf(await admin.get(`/api/v1/environments/${env.id}/variables/A`), EnvironmentVariableResource).value, "1");
      expectError(await admin.get(`/api/v1/environments/${env.id}/variables/B`), "ENVIRONMENT_VARIABLE_UNAVAILABLE");
    });

    it("answers 400 IDEMPOTENCY_KEY_MALFORMED to a bad key and does nothing", async () => {
      const { admin } = suite();
      const slug = uniqueSlug();
      for (const bad of ["x".repeat(256), "has space", "ümlaut", "a/b", ""]) {
        const error = expectError(await admin.post("/api/v1/projects/default/environments", { slug }, { "idempotency-key": bad }), "IDEMPOTENCY_KEY_MALFORMED");
        expectFieldError(error, "Idempotency-Key", "malformed");
      }
      assert.deepEqual(collectionOf(await admin.get(`/api/v1/projects/default/environments?slug=${slug}`), EnvironmentResource).data, []);
      itemOf(await admin.post("/api/v1/projects/default/environments", { slug }, { "idempotency-key": `${"k".repeat(250)}_.:-9` }), EnvironmentResource, 201);
      const read = await admin.request("GET", "/api/v1/projects/default", { headers: { "idempotency-key": "has space" } });
      assert.equal(read.status, 200, "reads ignore the header");
    });

    it("keeps keys per token: the same key from two tokens runs twice", async () => {
      const { admin, emulator } = suite();
      const env = await createEnvironment(admin);
      const token = itemOf(await admin.post("/api/v1/tokens", { name: "other", project: "default", environments: [env.slug] }), TokenResource, 201);
      const headers = key();
      const url = `/api/v1/environments/${env.id}/variables/SHARED`;
      itemOf(await admin.put(url, { value: "v" }, headers), EnvironmentVariableResource, 201);
      const other = await apiAs(emulator.app, token.token).put(url, { value: "v" }, headers);
      assert.equal(itemOf(other, EnvironmentVariableResource, 200).version, 2);
      assert.equal(replayed(other), false);
    });

    it("runs concurrent requests with one key once; the others get its result", async () => {
      const { admin } = suite();
      const env = await createEnvironment(admin);
      const headers = key();
      const url = `/api/v1/environments/${env.id}/variables/CONCURRENT`;
      const replies = await Promise.all(Array.from({ length: 8 }, () => admin.put(url, { value: "same" }, headers)));
      for (const reply of replies) assert.equal(reply.status, 201);
      assert.equal(new Set(replies.map((reply) => reply.text)).size, 1);
      assert.equal(replies.filter(replayed).length, 7);
      assert.equal(itemOf(await admin.get(url), EnvironmentVariableResource).version, 1);
    });

    it("forgets a key after 24 hours", async () => {
      const { admin } = suite();
      const env = await createEnvironment(admin);
      const headers = key();
      const url = `/api/v1/environments/${env.id}/variables/EXPIRES`;
      itemOf(await admin.put(url, { value: "v" }, headers), EnvironmentVariableResource, 201);
      now += IDEMPOTENCY_TTL_MS - 1000;
      assert.equal(replayed(await admin.put(url, { value: "v" }, headers)), true);
      now += 2000;
      const later = await admin.put(url, { value: "v" }, headers);
      assert.equal(replayed(later), false);
      assert.equal(itemOf(later, EnvironmentVariableResource, 200).version, 2);
    });

    it("replays a recorded 4xx, but forgets a 5xx so a retry runs again", async () => {
      const { admin, emulator } = suite();
      const taken = await createEnvironment(admin);
      const conflictHeaders = key();
      const conflict = expectError(await admin.post("/api/v1/projects/default/environments", { slug: taken.slug }, conflictHeaders), "TENANCY_SLUG_TAKEN");
      const conflictAgain = await admin.post("/api/v1/projects/default/environments", { slug: taken.slug }, conflictHeaders);
      assert.equal(expectError(conflictAgain, "TENANCY_SLUG_TAKEN").errorId, conflict.errorId);
      assert.equal(replayed(conflictAgain), true);

      const environments = emulator.store.environments;
      const create = environments.create;
      environments.create = async () => {
        environments.create = create;
        throw new Error("database went away");
      };
      const headers = key();
      const slug = uniqueSlug();
      expectError(await admin.post("/api/v1/projects/default/environments", { slug }, headers), "INTERNAL_ERROR");
      const retried = await admin.post("/api/v1/projects/default/environments", { slug }, headers);
      itemOf(retried, EnvironmentResource, 201);
      assert.equal(replayed(retried), false);
    });

    it("takes over, after a minute, a claim whose request never finished", async () => {
      const records = suite().emulator.store.idempotency;
      const claimKey = `stale:${randomUUID()}`;
      assert.equal((await records.claim("admin", claimKey, "PUT /x")).kind, "claimed");
      assert.equal((await records.claim("admin", claimKey, "PUT /x")).kind, "in-flight");
      assert.equal((await records.claim("admin", claimKey, "PUT /y")).kind, "mismatch");
      now += ABANDONED_CLAIM_MS + 1000;
      assert.equal((await records.claim("admin", claimKey, "PUT /x")).kind, "claimed");
    });

    it("records nothing for a request refused by validation", async () => {
      const { admin } = suite();
      const env = await createEnvironment(admin);
      const headers = key();
      const url = `/api/v1/environments/${env.id}/variables/FIXED`;
      expectError(await admin.put(url, { value: "" }, headers), "ENVIRONMENT_VARIABLE_VALUE_REQUIRED");
      itemOf(await admin.put(url, { value: "now valid" }, headers), EnvironmentVariableResource, 201);
    });
  },
  { clock: () => new Date(now) },
);
