import assert from "node:assert/strict";
import { ProjectResource, TokenResource } from "../../provider/client/schemas";
import { apiAs, collectionOf, expectError, itemOf, withEmulator } from "./support";

describe("rate limiting", () => {
  const suite = withEmulator({ rateLimitPerMinute: 3 });
  let otherToken: string;

  it("answers the request past the limit with 429 RATE_LIMITED, Retry-After and retryAfterSec", async () => {
    const { admin } = suite();
    otherToken = itemOf(await admin.post("/api/v1/tokens", { name: "other", project: "default", environments: "*" }), TokenResource, 201).token;
    for (let i = 0; i < 2; i++) collectionOf(await admin.get("/api/v1/projects"), ProjectResource);
    const limited = await admin.get("/api/v1/projects");
    const error = expectError(limited, "RATE_LIMITED");
    const retryAfter = Number(limited.headers["retry-after"]);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${limited.headers["retry-after"]}`);
    assert.equal(error.retryAfterSec, retryAfter);
    const rateHeaders = Object.keys(limited.headers).filter((name) => /ratelimit/i.test(name));
    assert.deepEqual(rateHeaders, [], "like Platos, only Retry-After: no X-RateLimit-* or RateLimit fields");
    expectError(await admin.post("/api/v1/projects", { slug: "later", name: "Later" }), "RATE_LIMITED");
  });

  it("counts per token, and leaves /health alone", async () => {
    const { emulator } = suite();
    const other = apiAs(emulator.app, otherToken);
    for (let i = 0; i < 3; i++) collectionOf(await other.get("/api/v1/projects"), ProjectResource);
    expectError(await other.get("/api/v1/projects"), "RATE_LIMITED");
    for (let i = 0; i < 5; i++) assert.equal((await emulator.app.inject({ method: "GET", url: "/health" })).statusCode, 200);
  });
});
