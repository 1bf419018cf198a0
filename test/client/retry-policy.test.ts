import { strict as assert } from "node:assert";
import { delayMs, isRetryable, parseRetryAfter, shouldRetry, type AttemptOutcome, type RetryPolicy } from "../../provider/client/retry-policy";

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

describe("retry policy", () => {
  const cases: [AttemptOutcome, boolean][] = [
    [{ kind: "connection" }, true],
    [{ kind: "response", status: 429 }, true],
    [{ kind: "response", status: 502 }, true],
    [{ kind: "response", status: 503 }, true],
    [{ kind: "response", status: 504 }, true],
    [{ kind: "response", status: 500 }, false],
    [{ kind: "response", status: 400 }, false],
    [{ kind: "response", status: 401 }, false],
    [{ kind: "response", status: 403 }, false],
    [{ kind: "response", status: 404 }, false],
    [{ kind: "response", status: 409 }, false],
    [{ kind: "response", status: 412 }, false],
  ];
  for (const [outcome, expected] of cases) {
    it(`${expected ? "retries" : "does not retry"} ${outcome.kind === "response" ? outcome.status : "a connection failure"}`, () => {
      assert.equal(isRetryable(outcome), expected);
      assert.equal(shouldRetry(1, outcome, policy), expected);
    });
  }

  it("stops at maxAttempts", () => {
    assert.equal(shouldRetry(3, { kind: "connection" }, policy), true);
    assert.equal(shouldRetry(4, { kind: "connection" }, policy), false);
  });

  it("backs off exponentially with full jitter, capped", () => {
    assert.equal(
      delayMs(1, undefined, policy, () => 1),
      100,
    );
    assert.equal(
      delayMs(2, undefined, policy, () => 1),
      200,
    );
    assert.equal(
      delayMs(3, undefined, policy, () => 1),
      400,
    );
    assert.equal(
      delayMs(10, undefined, policy, () => 1),
      1_000,
    );
    assert.equal(
      delayMs(3, undefined, policy, () => 0.5),
      200,
    );
    assert.equal(
      delayMs(3, undefined, policy, () => 0),
      0,
    );
  });

  it("never waits less than Retry-After", () => {
    assert.equal(
      delayMs(1, 2, policy, () => 0),
      2_000,
    );
    assert.equal(
      delayMs(1, 0, policy, () => 1),
      100,
    );
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-11-23T12:00:00Z");
    assert.equal(parseRetryAfter("3", now), 3);
    assert.equal(parseRetryAfter(" 0 ", now), 0);
    assert.equal(parseRetryAfter("Mon, 23 Nov 2026 12:00:05 GMT", now), 5);
    assert.equal(parseRetryAfter("Mon, 23 Nov 2026 11:59:00 GMT", now), 0);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter("", now), undefined);
  });
});
