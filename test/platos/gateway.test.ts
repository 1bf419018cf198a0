/**
 * The platform gateway client against a scripted server: result unwrapping, domain and JSON-RPC errors as the
 * client's typed errors, HTTP refusals, and which calls are resent after which failures (retry-rule.ts).
 */
import { strict as assert } from "node:assert";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { closeAllPools, isConflict, isForbidden, isInvalidInput, isNotFound, isPlatosError, isUnauthenticated } from "../../provider/client";
import { TOOL_NAMES, type ToolName } from "../../provider/client/platform/tools";
import { createHttp, type AttemptFailure } from "../../provider/client/transport";
import { coreApiClient } from "../../provider/platos/platform/core-api";
import { gatewaySession, type GatewaySession } from "../../provider/platos/platform/gateway";
import { mayResend } from "../../provider/platos/platform/retry-rule";

const TOKEN = "plt_mcp_gateway-test-token-5f4e3d";

interface Call {
  readonly tool: string;
  readonly approvalId: string | undefined;
  readonly authorization: string | undefined;
}

type Script = (call: Call, res: ServerResponse, attempt: number) => void;

const rpc = (result: unknown) => JSON.stringify({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: JSON.stringify(result) }] } });
const rpcError = (code: number, message: string, data?: unknown) =>
  JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code, message, ...(data === undefined ? {} : { data }) } });
const environment = { id: "e1", slug: "dev", name: "dev", createdAt: "2026-11-23T00:00:00.000Z" };

describe("platform gateway client", () => {
  let server: Server | undefined;
  let calls: Call[];

  async function gateway(script: Script): Promise<GatewaySession> {
    calls = [];
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const parsed = JSON.parse(body) as { params: { name: string } };
        const call = {
          tool: parsed.params.name,
          approvalId: req.headers["x-platos-approval-id"] as string | undefined,
          authorization: req.headers.authorization,
        };
        calls.push(call);
        script(call, res, calls.length);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return gatewaySession(createHttp({ apiUrl: url, token: TOKEN, retryPolicy: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 10 } }), url);
  }

  afterEach(async () => {
    await closeAllPools();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it("posts tools/call with the bearer and unwraps content[0].text, checked against the tool's schema", async () => {
    const session = await gateway((_call, res) => res.writeHead(201, { "content-type": "application/json" }).end(rpc(environment)));
    const answer = await session.send("environments.create", { slug: "dev" });
    assert.deepEqual(answer, { kind: "result", value: environment });
    assert.deepEqual(calls, [{ tool: "environments.create", approvalId: undefined, authorization: `Bearer ${TOKEN}` }]);
  });

  it("turns domain errors into the typed errors V1 gives for the same refusal", async () => {
    const results: Record<string, unknown> = {
      "environments.create": { error: "slug_taken", slug: "dev" },
      "environments.delete": { error: "not_found", environmentId: "e9" },
      "environments.list": { error: "access_denied" },
      "environments.set_secret": { error: "name_invalid" },
    };
    const session = await gateway((call, res) => res.writeHead(201).end(rpc(results[call.tool])));
    const failure = (name: ToolName, args: object) => session.send(name, args as never).catch((e: unknown) => e);
    const taken = await failure("environments.create", { slug: "dev" });
    assert.ok(isConflict(taken));
    assert.match(String(taken), /tools\/call environments\.create failed with domain error slug_taken: slug_taken \(slug dev\)/);
    assert.ok(isNotFound(await failure("environments.delete", { environmentId: "e9" })));
    assert.ok(isForbidden(await failure("environments.list", {})));
    assert.ok(isInvalidInput(await failure("environments.set_secret", { name: "bad", value: "sk-never-shown" })));
  });

  it("turns JSON-RPC errors into typed errors; an unknown tool is not 'not found', and -32002 is an approval answer", async () => {
    const answers: Record<string, string> = {
      "agents.get": rpcError(-32603, "internal error"),
      "agents.list": rpcError(-32001, "token does not allow tool 'agents.list'"),
      "agents.delete": rpcError(-32601, "tool 'agents.delete' not found"),
      "agents.update": rpcError(-32602, "invalid arguments for tool 'agents.update'", { errors: [{ path: "maxSteps", message: "must be integer" }] }),
      "environments.delete": rpcError(-32002, "approval required", { approvalId: "ap1", status: "pending", dashboardUrl: "https://x/approvals/ap1" }),
    };
    const session = await gateway((call, res) => res.writeHead(201).end(answers[call.tool]));
    const internal = await session.send("agents.get", { agentId: "a1" }).catch((e: unknown) => e);
    assert.equal((internal as { code?: string }).code, "RPC_INTERNAL_ERROR");
    assert.ok(isForbidden(await session.send("agents.list", {}).catch((e: unknown) => e)));
    const unknown = await session.send("agents.delete", { agentId: "a1" }).catch((e: unknown) => e);
    assert.ok(isPlatosError(unknown) && !isNotFound(unknown), String(unknown));
    const invalid = await session.send("agents.update", { agentId: "a1" }).catch((e: unknown) => e);
    assert.ok(isInvalidInput(invalid));
    assert.deepEqual((invalid as { fields: unknown }).fields, [{ field: "maxSteps", code: "invalid", message: "must be integer" }]);
    const pending = await session.send("environments.delete", { environmentId: "e1" });
    assert.equal(pending.kind, "approval");
  });

  it("says a 404 means no gateway at that URL (and the V1 way out), and a 401 names the key, never the token", async () => {
    const session = await gateway((call, res) =>
      call.tool === "environments.list"
        ? res.writeHead(404).end("Not Found")
        : res.writeHead(401).end(JSON.stringify({ statusCode: 401, message: "invalid or expired MCP token" })),
    );
    const missing = await session.send("environments.list", {}).catch((e: unknown) => e);
    assert.ok(!isNotFound(missing));
    assert.match(String(missing), /no platform gateway at .*\/mcp\/platform \(HTTP 404\).*platos:protocol to "v1"/);
    const refused = await session.send("platos.whoami", {}).catch((e: unknown) => e);
    assert.ok(isUnauthenticated(refused));
    assert.match(
      String(refused),
      /invalid or expired MCP token: Platos at http:\/\/127\.0\.0\.1:\d+ rejected platos:token; check that it is the right token and neither expired nor revoked/,
    );
    assert.ok(!JSON.stringify([String(missing), String(refused), (refused as Error).stack]).includes(TOKEN));
  });

  it("resends a read after a dropped connection, but not a create", async () => {
    const session = await gateway((call, res, attempt) => {
      if (attempt === 1 || call.tool === "environments.create") return res.socket?.destroy();
      res.writeHead(201).end(rpc({ environments: [], count: 0 }));
    });
    assert.deepEqual(await session.send("environments.list", {}), { kind: "result", value: { environments: [], count: 0 } });
    assert.equal(calls.length, 2);
    const err = await session.send("environments.create", { slug: "dev" }).catch((e: unknown) => e);
    assert.equal((err as { code?: string }).code, "TRANSPORT_CONNECTION_FAILED");
    assert.equal(calls.filter((c) => c.tool === "environments.create").length, 1, "a create is sent once");
  });

  it("resends any call refused before it ran: 503 and JSON-RPC -32099", async () => {
    const session = await gateway((_call, res, attempt) => {
      if (attempt === 1) return res.writeHead(503).end("busy");
      if (attempt === 2) return res.writeHead(201).end(rpcError(-32099, "rate limited", { retryAfterSeconds: 0 }));
      res.writeHead(201).end(rpc(environment));
    });
    assert.equal((await session.send("environments.create", { slug: "dev" })).kind, "result");
    assert.equal(calls.length, 3);
  });
});

describe("core-api token mint", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await closeAllPools();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("sends one Idempotency-Key across the retries of one mint, and a new one for the next mint", async () => {
    const keys: (string | undefined)[] = [];
    const minted = {
      tokenId: "t1",
      token: "plt_mcp_minted-never-shown",
      label: "x",
      permissions: ["*"],
      tier: "scope",
      expiresAt: "2026-11-24T00:00:00.000Z",
      createdAt: "2026-11-23T00:00:00.000Z",
    };
    server = createServer((req, res) => {
      keys.push(req.headers["idempotency-key"] as string | undefined);
      req
        .resume()
        .on("end", () =>
          keys.length === 1
            ? res.socket?.destroy()
            : res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ data: minted, meta: { contractVersion: "M0.1" } })),
        );
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const core = coreApiClient({
      apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: "operator",
      retryPolicy: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 },
    });
    assert.equal((await core.mintToken({ environmentId: "e1", name: "n", permissions: ["*"] })).token, minted.token);
    await core.mintToken({ environmentId: "e1", name: "n", permissions: ["*"] });
    assert.equal(keys.length, 3);
    assert.ok(keys[0] && keys[0] === keys[1], "the retry kept its key");
    assert.notEqual(keys[2], keys[0]);
  });
});

describe("retry rule for tools/call", () => {
  const connection = (code: string): AttemptFailure => ({ outcome: { kind: "connection" }, failure: new Error(code), connectionCode: code });
  const status = (s: number): AttemptFailure => ({ outcome: { kind: "response", status: s }, failure: new Error(String(s)) });
  const table: [ToolName, boolean, AttemptFailure, boolean][] = [
    ["environments.list", false, connection("UND_ERR_SOCKET"), true],
    ["environments.set_secret", false, connection("ECONNRESET"), true],
    ["agents.update", false, status(502), true],
    ["environments.create", false, connection("ECONNRESET"), false],
    ["agents.create", false, status(504), false],
    ["agents.create", false, connection("ECONNREFUSED"), true],
    ["agents.create", false, status(503), true],
    ["agents.create", true, connection("ECONNRESET"), true],
    ["environments.list", false, status(400), false],
    ["agents.delete", false, status(500), false],
  ];
  for (const [tool, withApprovalId, failure, expected] of table) {
    const what = failure.outcome.kind === "connection" ? failure.connectionCode : failure.outcome.status;
    it(`${tool}${withApprovalId ? " (with approval id)" : ""} after ${what}: ${expected ? "resend" : "stop"}`, () => {
      assert.equal(mayResend(tool, withApprovalId, failure), expected);
    });
  }

  it("after a lost answer, every tool is resent but the three creates (each tool's `repeat` in tools.ts says which)", () => {
    const stopped = TOOL_NAMES.filter((tool) => !mayResend(tool, false, connection("ECONNRESET")));
    assert.deepEqual(stopped, ["environments.create", "agents.create", "providers.add_key"]);
  });
});
