/**
 * Replaying recorded Platos answers: a local HTTP server that answers each request with the fixture's reply as
 * Platos's router or controller would put it on the wire, so the platform adapter can be run against Platos's own
 * answers with no emulator behind it.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { JSONRPC_VERSION, PLATFORM_PATH } from "../../provider/client/platform/jsonrpc";
import type { CoreApiFixture, GatewayFixture, GatewayReply } from "./fixtures/types";

/**
 * The HTTP status of a request's answer: 200 on the newest line (mcp-protocol-conformance.integration.test.ts@015c89b3),
 * 201 on the lines before it (controller@477b4e88 and older: Nest's `@Post()` default).
 */
export type RequestStatus = 200 | 201;

/** The HTTP status and body Platos sends for a gateway reply: a JSON-RPC envelope with `requestStatus`. */
function gatewayWire(reply: GatewayReply, id: unknown, requestStatus: RequestStatus = 200): { status: number; body: unknown } {
  switch (reply.kind) {
    case "result":
      return { status: requestStatus, body: { jsonrpc: JSONRPC_VERSION, id, result: { content: [{ type: "text", text: JSON.stringify(reply.value) }] } } };
    case "rpcError":
      return {
        status: requestStatus,
        body: { jsonrpc: JSONRPC_VERSION, id, error: { code: reply.code, message: reply.message, ...(reply.data === undefined ? {} : { data: reply.data }) } },
      };
    case "http":
      return { status: reply.status, body: reply.body };
  }
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Whether `fixture` is the answer to this request: the gateway call of its tool, or its core-api method and path. */
function answers(fixture: GatewayFixture | CoreApiFixture, method: string, url: string, body: unknown): boolean {
  if ("tool" in fixture) return url === PLATFORM_PATH && (body as { params?: { name?: unknown } } | undefined)?.params?.name === fixture.tool;
  return method === fixture.method && url.split("?")[0] === fixture.path;
}

export interface ReplayServer {
  readonly url: string;
  /**
   * The fixtures the next requests are answered from: a gateway call by the fixture of its tool, a core-api request
   * by the fixture of its method and path (one fixture per tool or route: a scenario's answers are one state's).
   */
  serve(...fixtures: (GatewayFixture | CoreApiFixture)[]): void;
  /** What the adapter sent, for the test to compare with the fixture's request. */
  readonly received: { method: string; path: string; body: unknown }[];
  close(): Promise<void>;
}

/** `requestStatus`: the line replayed answers a request with it (default: the newest line's 200). */
export async function startReplayServer(requestStatus: RequestStatus = 200): Promise<ReplayServer> {
  let current: (GatewayFixture | CoreApiFixture)[] = [];
  const received: ReplayServer["received"] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const text = await bodyOf(request);
      const body = text === "" ? undefined : (JSON.parse(text) as unknown);
      received.push({ method: request.method ?? "", path: request.url ?? "", body });
      const fixture = current.length === 1 ? current[0] : current.find((candidate) => answers(candidate, request.method ?? "", request.url ?? "", body));
      if (!fixture) {
        response.writeHead(500).end();
        return;
      }
      const {
        status,
        body: answer,
        headers,
      } = "tool" in fixture
        ? { ...gatewayWire(fixture.reply, (body as { id?: unknown } | undefined)?.id ?? null, requestStatus), headers: {} }
        : { status: fixture.reply.status, body: fixture.reply.body, headers: fixture.reply.headers ?? {} };
      response.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(answer));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve(...fixtures) {
      current = fixtures;
      received.length = 0;
    },
    received,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
