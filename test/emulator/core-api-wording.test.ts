/**
 * One origin serving both surfaces (the emulator's single port): the same invalid mint and variable write are
 * refused in core-api's words below `/core` (fields named by request part, core-api's issue codes) and in the V1
 * contract's at the root (zod's field names and codes, the route table's error codes), so neither surface's
 * wording leaks into the other's (emulator/core-api-validation.ts).
 */
import { strict as assert } from "node:assert";
import { createClient } from "../../provider/client";
import { TOKENS_PATH } from "../../provider/client/platform/core-api";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";

interface Refusal {
  readonly status: number;
  readonly error: { readonly code: string; readonly body: string; readonly fields?: readonly { field: string; code: string }[] };
}

describe("core-api's validation wording, on its surface only", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let environmentId: string;

  before(async () => {
    emulator = await startEmulator();
    const admin = createClient({ apiUrl: emulator.v1Url, token: emulator.adminToken });
    const project = await admin.projects.create({ slug: "wording", name: "Wording" });
    environmentId = (await admin.environments.create(project.id, { slug: "dev" })).id;
  });
  after(() => emulator.close());

  async function send(base: string, method: string, path: string, body: unknown): Promise<Refusal> {
    const reply = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "application/json", "idempotency-key": `k-${Math.random()}` },
      body: JSON.stringify(body),
    });
    return { status: reply.status, error: ((await reply.json()) as { error: Refusal["error"] }).error };
  }

  it("a mint with a blank name and no permissions", async () => {
    const body = { environmentId, name: " ", permissions: [] };
    const core = await send(emulator.coreApiUrl, "POST", TOKENS_PATH, body);
    assert.equal(core.status, 400);
    assert.equal(core.error.code, "TRANSPORT_REQUEST_INVALID");
    assert.equal(core.error.body, "This request could not be read as the operation expects.");
    assert.deepEqual(
      core.error.fields?.map(({ field, code }) => [field, code]),
      [
        ["body.name", "invalid"],
        ["body.permissions", "empty"],
      ],
    );
    const v1 = await send(emulator.url, "POST", TOKENS_PATH, body);
    assert.equal(v1.error.code, "CREDENTIAL_MATERIAL_INVALID");
    assert.deepEqual(
      v1.error.fields?.map(({ field, code }) => [field, code]),
      [
        ["name", "too_small"],
        ["permissions", "too_small"],
      ],
    );
  });

  it("a variable write with an empty value, and one with none", async () => {
    const path = `/api/v1/environments/${environmentId}/variables/LOG_LEVEL`;
    const empty = await send(emulator.coreApiUrl, "PUT", path, { value: "" });
    assert.deepEqual([empty.status, empty.error.code, empty.error.fields], [400, "INVALID_SECRET_MATERIAL", undefined]);
    const missing = await send(emulator.coreApiUrl, "PUT", path, {});
    assert.deepEqual(
      [missing.error.code, missing.error.fields?.map(({ field, code }) => [field, code])],
      ["TRANSPORT_REQUEST_INVALID", [["body.value", "required"]]],
    );
    // core-api's validator ignores a field it does not read; the V1 contract refuses it.
    assert.equal((await send(emulator.coreApiUrl, "PUT", path, { value: "v", colour: "red" })).status, 200);
    assert.equal((await send(emulator.url, "PUT", path, { value: "v", colour: "red" })).status, 400);
    const v1 = await send(emulator.url, "PUT", path, { value: "" });
    assert.deepEqual(
      [v1.error.code, v1.error.fields?.map(({ field, code }) => [field, code])],
      ["ENVIRONMENT_VARIABLE_VALUE_REQUIRED", [["value", "too_small"]]],
    );
  });
});
