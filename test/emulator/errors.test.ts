import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { CONTRACT_VERSION, EnvironmentVariableResource, ErrorEnvelope } from "../../provider/client/schemas";
import { PlatosError } from "../../emulator/errors";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { apiAs, createEnvironment, expectError, expectFieldError, itemOf, type Api } from "./support";

const SECRET_VALUE = "sk-live-do-not-log-7d1f";

describe("error envelope, contract header and logging", () => {
  let emulator: RunningEmulator;
  let admin: Api;
  const logLines: string[] = [];

  before(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString("utf8"));
        done();
      },
    });
    const adminToken = "admin-token-that-must-never-leak";
    emulator = await startEmulator({
      adminToken,
      logger: { level: "trace", stream },
      // Test-only routes that fail the ways a handler can: a thrown Error with internal details, a reply that
      // breaks the contract, and a PlatosError with a Retry-After.
      extend: (app) => {
        app.get("/test/throws", async () => {
          throw new Error("boom: internal detail");
        });
        app.get("/test/off-contract", { schema: { response: { 200: ErrorEnvelope } } }, async () => ({ not: "an error envelope" }));
        app.get("/test/unavailable", async () => {
          throw new PlatosError("SERVICE_UNAVAILABLE", undefined, undefined, 7);
        });
      },
    });
    admin = apiAs(emulator.app, emulator.adminToken);
  });
  after(() => emulator.close());

  it("answers an unknown route with 404 TRANSPORT_ROUTE_NOT_FOUND, with or without a token", async () => {
    expectError(await admin.get("/api/v1/nothing-here"), "TRANSPORT_ROUTE_NOT_FOUND");
    expectError(await apiAs(emulator.app, undefined).get("/api/v2/projects"), "TRANSPORT_ROUTE_NOT_FOUND");
    expectError(await admin.request("POST", "/api/v1/environments/some-id"), "TRANSPORT_ROUTE_NOT_FOUND");
  });

  it("turns an unexpected error into 500 INTERNAL_ERROR with no message, no stack and no token", async () => {
    const reply = await admin.get("/test/throws");
    const error = expectError(reply, "INTERNAL_ERROR");
    assert.equal(error.body, "internal error");
    for (const leak of [emulator.adminToken, "boom", "internal detail", "at ", ".ts:"]) assert.ok(!reply.text.includes(leak), `response contains ${leak}`);
  });

  it("refuses to send a reply that breaks the contract", async () => {
    expectError(await admin.get("/test/off-contract"), "INTERNAL_ERROR");
  });

  it("sends Retry-After with retryAfterSec", async () => {
    const reply = await admin.get("/test/unavailable");
    assert.equal(expectError(reply, "SERVICE_UNAVAILABLE").retryAfterSec, 7);
    assert.equal(reply.headers["retry-after"], "7");
  });

  it("answers a body that is not JSON with 400 TRANSPORT_REQUEST_INVALID, without echoing it", async () => {
    const env = await createEnvironment(admin);
    const reply = await emulator.app.inject({
      method: "PUT",
      url: `/api/v1/environments/${env.id}/variables/KEY`,
      headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "application/json" },
      payload: `{"value": "${SECRET_VALUE}"`,
    });
    const parsed = { status: reply.statusCode, headers: reply.headers, text: reply.body, json: JSON.parse(reply.body) as unknown };
    expectFieldError(expectError(parsed, "TRANSPORT_REQUEST_INVALID"), "body", "invalid_json");
    assert.ok(!reply.body.includes(SECRET_VALUE));
    const wrongType = await emulator.app.inject({
      method: "PUT",
      url: `/api/v1/environments/${env.id}/variables/KEY`,
      headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "text/plain" },
      payload: "value",
    });
    const wrongTypeReply = { status: wrongType.statusCode, headers: wrongType.headers, text: wrongType.body, json: JSON.parse(wrongType.body) as unknown };
    expectFieldError(expectError(wrongTypeReply, "TRANSPORT_REQUEST_INVALID"), "body", "invalid_content_type");
    const tooLarge = await admin.put(`/api/v1/environments/${env.id}/variables/KEY`, { value: "x".repeat(1024 * 1024) });
    expectFieldError(expectError(tooLarge, "TRANSPORT_REQUEST_INVALID"), "body", "too_big");
  });

  it("gives every error a fresh errorId and the request's traceRef", async () => {
    const a = expectError(await admin.get("/api/v1/nothing-here"), "TRANSPORT_ROUTE_NOT_FOUND");
    const b = expectError(await admin.get("/api/v1/nothing-here"), "TRANSPORT_ROUTE_NOT_FOUND");
    assert.notEqual(a.errorId, b.errorId);
    assert.notEqual(a.traceRef, b.traceRef);
    assert.ok(
      logLines.some((line) => line.includes(a.traceRef)),
      "the traceRef finds the request in the log",
    );
  });

  it("puts the contract header on success, 204, 401 and /health", async () => {
    const env = await createEnvironment(admin);
    const noContent = await admin.delete(`/api/v1/environments/${env.id}`);
    const unauthenticated = await apiAs(emulator.app, undefined).get("/api/v1/projects");
    const health = await emulator.app.inject({ method: "GET", url: "/health" });
    assert.equal(noContent.status, 204);
    assert.equal(unauthenticated.status, 401);
    assert.deepEqual(JSON.parse(health.body), { status: "ok" });
    for (const headers of [noContent.headers, unauthenticated.headers, health.headers]) assert.equal(headers["x-platos-contract-version"], CONTRACT_VERSION);
  });

  it("logs neither tokens nor secret values", async () => {
    const env = await createEnvironment(admin);
    itemOf(
      await admin.put(`/api/v1/environments/${env.id}/variables/OPENAI_API_KEY`, { value: SECRET_VALUE, secret: true }, { "idempotency-key": "log-test-key" }),
      EnvironmentVariableResource,
      201,
    );
    await admin.get("/test/throws");
    const log = logLines.join("");
    assert.ok(log.includes("OPENAI_API_KEY"), "the log records requests (else this test proves nothing)");
    assert.ok(log.includes("unhandled error") && log.includes("internal detail"), "the unexpected error is logged on the server's side");
    assert.ok(!log.includes(emulator.adminToken), "the admin token is in the log");
    assert.ok(!log.includes(SECRET_VALUE.slice(0, 12)), "a secret value is in the log");
  });
});
