/**
 * What the platform-surface suites share: one emulator per suite over HTTP, `plt_mcp_` tokens minted through
 * core-api, and a JSON-RPC caller whose tool results are checked against the catalogue's own schemas.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { ItemEnvelope, type Environment } from "../../../provider/client/schemas";
import { MintedMcpToken, type MintMcpToken } from "../../../provider/client/platform/core-api";
import { PLATFORM_PATH, RpcResponse, RPC_ERRORS, ToolCallResult, type RpcError } from "../../../provider/client/platform/jsonrpc";
import { parseToolResult, type ToolArgs, type ToolName, type ToolResult } from "../../../provider/client/platform/tools";
import { startEmulator, type RunningEmulator, type StartOptions } from "../../helpers/emulator";
import { apiAs, createEnvironment, uniqueSlug, type Api } from "../support";

export interface HttpReply {
  readonly status: number;
  readonly headers: Headers;
  readonly json: unknown;
}

export async function post(url: string, body: string | undefined, headers: Record<string, string>): Promise<HttpReply> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text.length > 0 ? JSON.parse(text) : undefined };
}

export interface PlatformSuite {
  readonly emulator: RunningEmulator;
  readonly admin: Api;
  /** A new live environment of the default project. */
  environment(slug?: string): Promise<Environment>;
  /** Mints a `plt_mcp_` token through core-api (`permissions` default `*`). */
  mint(environmentId: string, body?: Partial<MintMcpToken>): Promise<string>;
  /** Raw `POST /mcp/platform` with a JSON-RPC body. */
  rpc(token: string | undefined, body: unknown, headers?: Record<string, string>): Promise<HttpReply>;
}

let nextId = 1;

export function platformSuite(options: StartOptions = {}): () => PlatformSuite {
  let suite: PlatformSuite | undefined;
  before(async () => {
    const emulator = await startEmulator(options);
    const admin = apiAs(emulator.app, emulator.adminToken);
    suite = {
      emulator,
      admin,
      environment: (slug = uniqueSlug()) => createEnvironment(admin, slug),
      async mint(environmentId, body = {}) {
        const reply = await admin.post(
          "/mcp/platform/tokens",
          { environmentId, name: "test", permissions: ["*"], ...body },
          { "idempotency-key": randomUUID() },
        );
        return ItemEnvelope(MintedMcpToken).parse(reply.json).data.token;
      },
      rpc: (token, body, headers = {}) =>
        post(`${emulator.url}${PLATFORM_PATH}`, JSON.stringify(body), { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers }),
    };
  });
  after(async () => {
    await suite?.emulator.close();
  });
  return () => {
    if (!suite) throw new Error("the suite's emulator is not running");
    return suite;
  };
}

/** A `tools/call` request body. */
export const toolCall = (name: string, args?: unknown) => ({
  jsonrpc: "2.0",
  id: nextId++,
  method: "tools/call",
  params: { name, ...(args === undefined ? {} : { arguments: args }) },
});

/** The JSON-RPC response of a request's reply: HTTP 200, as Platos's gateway answers from @015c89b3. */
export function rpcResponse(reply: HttpReply): RpcResponse {
  assert.equal(reply.status, 200, `expected HTTP 200, got ${reply.status}: ${JSON.stringify(reply.json)}`);
  return RpcResponse.parse(reply.json);
}

/** The JSON-RPC error of a reply; asserts its code (and message when given). */
export function rpcError(reply: HttpReply, code: number, message?: string): RpcError {
  const response = rpcResponse(reply);
  assert.ok("error" in response, `expected JSON-RPC error ${code}, got ${JSON.stringify(response)}`);
  assert.equal(response.error.code, code, JSON.stringify(response.error));
  if (message !== undefined) assert.equal(response.error.message, message);
  return response.error;
}

/** Calls a tool and returns its decoded result, checked against the catalogue. */
export async function callTool<N extends ToolName>(
  suite: PlatformSuite,
  token: string,
  name: N,
  args: ToolArgs<N>,
  headers?: Record<string, string>,
): Promise<ToolResult<N>> {
  const response = rpcResponse(await suite.rpc(token, toolCall(name, args), headers));
  assert.ok("result" in response, `expected a result from ${name}, got ${JSON.stringify(response)}`);
  const [content] = ToolCallResult.parse(response.result).content;
  return parseToolResult(name, JSON.parse((content as { text: string }).text));
}

/** Asserts a call answers -32603 "internal error" with no data. */
export async function expectInternalError(suite: PlatformSuite, token: string, name: ToolName, args: unknown): Promise<void> {
  const error = rpcError(await suite.rpc(token, toolCall(name, args)), RPC_ERRORS.INTERNAL_ERROR, "internal error");
  assert.equal(error.data, undefined);
}
