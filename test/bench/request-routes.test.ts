/**
 * The stacks benchmark names requests by route and tells credential bookkeeping from work, on either emulator
 * layout: core-api's routes are recorded below `/core` on the one port and without it on a port of their own.
 */
import { strict as assert } from "node:assert";
import { routeOf } from "../../bench/stacks/request-routes";

describe("bench: requests by route", () => {
  it("names a core-api request by its route template, below the one port's /core prefix or not", () => {
    for (const prefix of ["/core", ""]) {
      assert.equal(
        routeOf({ method: "PUT", path: `${prefix}/api/v1/environments/6f1c/variables/OPENAI_API_KEY` }),
        "PUT /api/v1/environments/:environmentId/variables/:key",
      );
      assert.equal(routeOf({ method: "GET", path: `${prefix}/api/v1/identity/session` }), "GET /api/v1/identity/session");
    }
    assert.equal(routeOf({ method: "GET", path: "/elsewhere" }), "GET /elsewhere (no route)");
    assert.equal(routeOf({ method: "POST", path: "/core/mcp/platform", rpc: { method: "tools/call", tool: "agents.create" } }), "tools/call agents.create");
  });
});
