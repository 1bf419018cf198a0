/**
 * Replaying recorded Platos answers: a local HTTP server that answers each request with the fixture's reply as
 * Platos's router or controller would put it on the wire, so the platform adapter can be run against Platos's own
 * answers with no emulator behind it.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { JSONRPC_VERSION } from "../../provider/client/platform/jsonrpc";
import type { CoreApiFixture, GatewayFixture, GatewayReply } from "./fixtures/types";

/** The HTTP status and body Platos sends for a gateway reply (router: 201 and a JSON-RPC envelope). */
export function gatewayWire(reply: GatewayReply, id: unknown): { status: number; body: unknown } {
  switch (reply.kind) {
    case "result":
      return { status: 201, body: { jsonrpc: JSONRPC_VERSION, id, result: { content: [{ type: "text", text: JSON.stringify(reply.value) }] } } };
    case "rpcError":
      return { status: 201, body: { jsonrpc: JSONRPC_VERSION, id, error: { code: reply.code, message: reply.message, ...(reply.data === undefined ? {} : { data: reply.data }) } } };
    case "http":
      return { status: reply.status, body: reply.body };
  }
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface ReplayServer {
  readonly url: string;
  /** The fixture the next requests are answered from. */
  serve(fixture: GatewayFixture | CoreApiFixture): void;
  /** What the adapter sent, for the test to compare with the fixture's request. */
  readonly received: { method: string; path: string; body: unknown }[];
  close(): Promise<void>;
}

export async function startReplayServer(): Promise<ReplayServer> {
  let current: GatewayFixture | CoreApiFixture | undefined;
  const received: ReplayServer["received"] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const text = await bodyOf(request);
      const body = text === "" ? undefined : (JSON.parse(text) as unknown);
      received.push({ method: request.method ?? "", path: request.url ?? "", body });
      if (!current) {
        response.writeHead(500).end();
        return;
      }
      const { status, body: answer, headers } =
        "tool" in current
          ? { ...gatewayWire(current.reply, (body as { id?: unknown } | undefined)?.id ?? null), headers: {} }
          : { status: current.reply.status, body: current.reply.body, headers: current.reply.headers ?? {} };
      response.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(answer));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve(fixture) {
      current = fixture;
      received.length = 0;
    },
    received,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
