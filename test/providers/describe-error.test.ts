import assert from "node:assert/strict";
import { describing } from "../../provider/providers/describe-error";

describe("describing a resource's failure", () => {
  it("names the action, and keeps the API error underneath as its cause", async () => {
    const apiError = Object.assign(new Error("environment slug taken"), { code: "CONFLICT" });
    const failure = await describing('creating environment "dev"', () => Promise.reject(apiError)).catch((err: unknown) => err);
    assert.ok(failure instanceof Error);
    assert.equal(failure.message, 'creating environment "dev": environment slug taken');
    assert.equal(failure.cause, apiError);
  });
});
