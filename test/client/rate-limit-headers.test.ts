import { strict as assert } from "node:assert";
import { readWindowBudget, type ResponseHeaders } from "../../provider/client/rate-limit-headers";

const NOW = 1_800_000_000_000;

describe("rate-limit headers", () => {
  const cases: [string, ResponseHeaders, { remaining: number; resetInSec: number } | undefined][] = [
    [
      "X-RateLimit-* with Reset in seconds (@fastify/rate-limit)",
      { "x-ratelimit-limit": "60", "x-ratelimit-remaining": "7", "x-ratelimit-reset": "42" },
      { remaining: 7, resetInSec: 42 },
    ],
    [
      "X-RateLimit-* with Reset as an epoch time (GitHub)",
      { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 300) },
      { remaining: 0, resetInSec: 300 },
    ],
    [
      "the draft's RateLimit-* (up to draft 06)",
      { "ratelimit-limit": "10", "ratelimit-remaining": "3", "ratelimit-reset": "5" },
      { remaining: 3, resetInSec: 5 },
    ],
    ["RateLimit as a dictionary (draft 07)", { ratelimit: "limit=100, remaining=50, reset=30" }, { remaining: 50, resetInSec: 30 }],
    ["RateLimit items (draft 08 on)", { ratelimit: '"default";r=50;t=30' }, { remaining: 50, resetInSec: 30 }],
    ["RateLimit items: the policy with the least left decides", { ratelimit: '"minute";r=40;t=20, "day";r=2;t=80000' }, { remaining: 2, resetInSec: 80_000 }],
    [
      "the structured field before the separate ones",
      { ratelimit: '"p";r=1;t=9', "x-ratelimit-remaining": "50", "x-ratelimit-reset": "9" },
      { remaining: 1, resetInSec: 9 },
    ],
    ["remaining without reset", { "x-ratelimit-remaining": "3" }, undefined],
    ["numbers that are not whole", { "x-ratelimit-remaining": "3.5", "x-ratelimit-reset": "soon" }, undefined],
    ["nothing", {}, undefined],
  ];
  for (const [name, headers, expected] of cases) {
    it(`${expected ? "reads" : "finds no budget in"} ${name}`, () => {
      const budget = readWindowBudget(headers, NOW);
      assert.deepEqual(budget, expected && { remaining: expected.remaining, resetAt: NOW + expected.resetInSec * 1000 });
    });
  }
});
