import assert from "node:assert/strict";
import { request } from "node:http";
import {
  GATEWAY_MESSAGES,
  InitializeResult,
  PLATFORM_BODY_CAP_BYTES,
  RPC_ERRORS,
  RPC_MESSAGES,
  ToolsListResult,
} from "../../../provider/client/platform/jsonrpc";
import { TOOL_NAMES } from "../../../provider/client/platform/tools";
import { EMULATED_RELEASE_META_KEY, NEWEST_SUPPORTED } from "../../../provider/platos/platform/release";
import { callTool, platformSuite, post, rpcError, rpcResponse, toolCall } from "./support";

describe("platform gateway: POST /mcp/platform", () => {
  const suite = platformSuite();
  let token: string;
  let environmentId: string;
  before(async () => {
    environmentId = (await suite().environment()).id;
    token = await suite().mint(environmentId);
  });

  describe("before the router", () => {
    it("refuses a body over the 2 MiB cap with 413, before auth", async () => {
      const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(PLATFORM_BODY_CAP_BYTES) } });
      const reply = await post(`${suite().emulator.url}/mcp/platform`, big, {});
      assert.equal(reply.status, 413);
      assert.deepEqual(reply.json, { error: "payload_too_large", limit: PLATFORM_BODY_CAP_BYTES });
    });

    it("accepts a body just under the cap (larger than the V1 API's 1 MiB)", async () => {
      const body = { jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(PLATFORM_BODY_CAP_BYTES - 200) } };
      assert.deepEqual(rpcResponse(await suite().rpc(token, body)), { jsonrpc: "2.0", id: 1, result: {} });
    });

    it("refuses a chunked body with 413", async () => {
      const { port } = new URL(suite().emulator.url);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: "127.0.0.1", port, method: "POST", path: "/mcp/platform", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end('{"jsonrpc":"2.0","id":1,"method":"ping"}');
      });
      assert.equal(status, 413);
    });

    it("answers a missing bearer with 401 and Nest's body", async () => {
      const reply = await suite().rpc(undefined, { jsonrpc: "2.0", id: 1, method: "ping" });
      assert.equal(reply.status, 401);
      assert.deepEqual(reply.json, { statusCode: 401, message: GATEWAY_MESSAGES.bearerRequired });
    });

    it("answers an unknown token and the admin token with 401 invalid or expired", async () => {
      for (const bad of ["plt_mcp_nope", suite().emulator.adminToken]) {
        const reply = await suite().rpc(bad, { jsonrpc: "2.0", id: 1, method: "ping" });
        assert.equal(reply.status, 401);
        assert.deepEqual(reply.json, { statusCode: 401, message: GATEWAY_MESSAGES.invalidToken });
      }
    });

    it("takes the scheme in any case", async () => {
      const reply = await suite().rpc(undefined, { jsonrpc: "2.0", id: 7, method: "ping" }, { authorization: `BEARER   ${token}  ` });
      assert.deepEqual(rpcResponse(reply), { jsonrpc: "2.0", id: 7, result: {} });
    });

    it("refuses bodies that are not one JSON-RPC 2.0 request with 400, batches included", async () => {
      for (const body of [
        [{ jsonrpc: "2.0", id: 1, method: "ping" }],
        { jsonrpc: "1.0", id: 1, method: "ping" },
        { jsonrpc: "2.0", id: 1 },
        { jsonrpc: "2.0", method: 5 },
        "ping",
      ]) {
        const reply = await suite().rpc(token, body);
        assert.equal(reply.status, 400, JSON.stringify(body));
        assert.deepEqual(reply.json, { statusCode: 400, message: GATEWAY_MESSAGES.notJsonRpc });
      }
      const notJson = await post(`${suite().emulator.url}/mcp/platform`, "{not json", { authorization: `Bearer ${token}` });
      assert.equal(notJson.status, 400);
    });

    it("answers 401 once the token is revoked or expired", async () => {
      const revoked = await suite().mint(environmentId);
      assert.equal(rpcResponse(await suite().rpc(revoked, { jsonrpc: "2.0", id: 1, method: "ping" })).id, 1);
      const listed = (await suite().admin.get(`/mcp/platform/tokens?environmentId=${environmentId}`)).json as { data: { tokenId: string; label: string }[] };
      for (const { tokenId } of listed.data.slice(-1)) {
        const first = await suite().admin.post(`/mcp/platform/tokens/${tokenId}/revoke`, { environmentId });
        assert.equal(first.status, 200);
      }
      assert.equal((await suite().rpc(revoked, { jsonrpc: "2.0", id: 1, method: "ping" })).status, 401);

      const shortLived = await suite().mint(environmentId, { ttlSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const reply = await suite().rpc(shortLived, { jsonrpc: "2.0", id: 1, method: "ping" });
      assert.deepEqual([reply.status, reply.json], [401, { statusCode: 401, message: GATEWAY_MESSAGES.invalidToken }]);
    });
  });

  describe("router", () => {
    it("answers initialize with the server's contract and HTTP 200", async () => {
      const response = rpcResponse(await suite().rpc(token, { jsonrpc: "2.0", id: "a", method: "initialize", params: { anything: true } }));
      assert.ok("result" in response);
      const result = InitializeResult.parse(response.result);
      assert.equal(result.protocolVersion, "2025-06-18");
      assert.deepEqual(result.serverInfo.name, "platos-platform-mcp");
      assert.match(JSON.stringify(result.serverInfo), /"catalogDigest":"[0-9a-f]{64}"/);
      // The one Platos release the emulator answers as, named under its own `_meta` key.
      assert.deepEqual((result.serverInfo._meta as Record<string, unknown>)[EMULATED_RELEASE_META_KEY], { release: NEWEST_SUPPORTED.gatewayRelease });
    });

    it("answers ping (and a notification method sent with an id) with {}", async () => {
      for (const method of ["ping", "notifications/ping", "notifications/initialized"]) {
        assert.deepEqual(rpcResponse(await suite().rpc(token, { jsonrpc: "2.0", id: 7, method })), { jsonrpc: "2.0", id: 7, result: {} });
      }
    });

    it("answers a notification (no id) 202 with no body and runs nothing, whatever its method", async () => {
      const before = await callTool(suite(), token, "environments.list", {});
      for (const message of [
        { jsonrpc: "2.0", method: "notifications/initialized" },
        { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 424242, reason: "not in flight" } },
        { jsonrpc: "2.0", method: "tools/call", params: { name: "environments.create", arguments: { slug: "made-by-a-notification" } } },
        { jsonrpc: "2.0", method: "no/such/method" },
      ]) {
        const reply = await suite().rpc(token, message);
        assert.deepEqual([reply.status, reply.json], [202, undefined], JSON.stringify(message));
      }
      assert.deepEqual(await callTool(suite(), token, "environments.list", {}), before, "the notification's tools/call did not run");
    });

    it("answers an unknown method with -32601", async () => {
      rpcError(
        await suite().rpc(token, { jsonrpc: "2.0", id: 1, method: "resources/list" }),
        RPC_ERRORS.METHOD_NOT_FOUND,
        RPC_MESSAGES.methodNotSupported("resources/list"),
      );
    });

    it("lists only the tools the token's permissions allow, with schema hashes", async () => {
      const list = async (permissions: string[]) => {
        const response = rpcResponse(await suite().rpc(await suite().mint(environmentId, { permissions }), { jsonrpc: "2.0", id: 1, method: "tools/list" }));
        assert.ok("result" in response);
        return ToolsListResult.parse(response.result).tools;
      };
      const all = await list(["*"]);
      assert.deepEqual(
        all.map((tool) => tool.name),
        TOOL_NAMES,
      );
      for (const tool of all) {
        assert.equal(tool.category, "platos.platform");
        assert.match(tool._meta["platos.dev/tool"].schemaHash, /^[0-9a-f]{64}$/);
      }
      assert.deepEqual(
        (await list(["environments.*"])).map((tool) => tool.name),
        TOOL_NAMES.filter((name) => name.startsWith("environments.")),
      );
      assert.deepEqual(
        (await list(["agents.get", "platos.whoami"])).map((tool) => tool.name),
        ["agents.get", "platos.whoami"],
      );
      assert.deepEqual(await list(["*.list", "environments.list_*", "environments"]), [], "no other globs");
    });
  });

  describe("tools/call pipeline, in Platos's order", () => {
    it("1. a missing or non-string name is -32602", async () => {
      for (const params of [{}, { name: 5 }, undefined]) {
        rpcError(await suite().rpc(token, { jsonrpc: "2.0", id: 1, method: "tools/call", params }), RPC_ERRORS.INVALID_PARAMS, RPC_MESSAGES.nameRequired);
      }
    });

    it("2. permission is checked before existence: -32001 even for an unknown tool", async () => {
      const narrow = await suite().mint(environmentId, { permissions: ["environments.list"] });
      rpcError(await suite().rpc(narrow, toolCall("nothing.here")), RPC_ERRORS.PERMISSION_DENIED, RPC_MESSAGES.toolNotAllowed("nothing.here"));
      rpcError(
        await suite().rpc(narrow, toolCall("environments.create", { slug: "x" })),
        RPC_ERRORS.PERMISSION_DENIED,
        RPC_MESSAGES.toolNotAllowed("environments.create"),
      );
    });

    it("3. an allowed but unknown tool is -32601", async () => {
      rpcError(await suite().rpc(token, toolCall("environments.rename", {})), RPC_ERRORS.METHOD_NOT_FOUND, RPC_MESSAGES.toolNotFound("environments.rename"));
    });

    it("5. arguments are checked against inputSchema: -32602 with data.errors", async () => {
      const cases: [string, unknown, string][] = [
        ["environments.create", {}, "slug"],
        ["environments.create", { slug: 5 }, "slug"],
        ["environments.create", { slug: "x", type: "PROD" }, "type"],
        ["environments.create", { slug: "x", extra: 1 }, "extra"],
        ["platos.whoami", { x: 1 }, "x"],
        ["agents.list", { limit: 0 }, "limit"],
        ["agents.list", { limit: 1.5 }, "limit"],
        ["approvals.resolve", { approvalId: "a", status: "maybe" }, "status"],
      ];
      for (const [name, args, path] of cases) {
        const error = rpcError(await suite().rpc(token, toolCall(name, args)), RPC_ERRORS.INVALID_PARAMS, RPC_MESSAGES.invalidArguments(name));
        const data = error.data as { errors: { path: string; message: string }[] };
        assert.ok(
          data.errors.some((entry) => entry.path === path),
          `${name} ${JSON.stringify(args)}: ${JSON.stringify(data)}`,
        );
      }
    });

    it("agents.create allows additional properties", async () => {
      const result = await callTool(suite(), token, "agents.create", { name: "Extra", model: "anthropic:claude-sonnet-4-6", somethingElse: true });
      assert.ok(!("error" in result));
    });

    it("8-9. executes and wraps the result as content[0].text JSON", async () => {
      const response = rpcResponse(await suite().rpc(token, toolCall("platos.whoami")));
      assert.ok("result" in response);
      const result = response.result as { content: { type: string; text: string }[] };
      assert.equal(result.content[0]?.type, "text");
      const whoami = JSON.parse(result.content[0]?.text ?? "");
      assert.equal(whoami.scope.environmentId, environmentId);
      assert.deepEqual(whoami.permissions, ["*"]);
      assert.equal(whoami.mintedByUserId, "admin");
    });

    it("platos.list_accessible_scopes answers the pinned scope", async () => {
      const result = await callTool(suite(), token, "platos.list_accessible_scopes", {});
      assert.ok(!("error" in result));
      assert.deepEqual(
        result.scopes.map((scope) => scope.environmentId),
        [environmentId],
      );
    });

    it("gated calls run at once while interactive approvals are off", async () => {
      const result = await callTool(suite(), token, "environments.set_secret", { name: "AUTO_APPROVED", value: "v" });
      assert.deepEqual(result, { ok: true, name: "AUTO_APPROVED", version: "1" });
    });
  });
});

describe("platform gateway: injected faults", () => {
  const suite = platformSuite({ faults: { error503: 1, drop: 0, dropAfter: 0, latencyMs: 0 } });

  it("answers 503 with Retry-After before auth when the fault fires", async () => {
    const reply = await suite().rpc("plt_mcp_whatever", { jsonrpc: "2.0", id: 1, method: "ping" });
    assert.equal(reply.status, 503);
    assert.equal(reply.headers.get("retry-after"), "1");
  });
});
