/**
 * A recording HTTP proxy in front of the emulator: the provider host (another process) talks to it, and tests
 * count the API calls an operation made, by method and route, without any hook in the code under test. A call to
 * the platform gateway is recorded with its JSON-RPC method and tool, so a read tool is not counted as a write.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createServer, request as forward, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TOKENS_PATH } from "../../provider/client/platform/core-api";
import { PLATFORM_PATH } from "../../provider/client/platform/jsonrpc";
import { isToolName, toolSpec } from "../../provider/client/platform/tools";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Platform gateway calls: the JSON-RPC method, and for `tools/call` the tool's name. */
  readonly rpc?: { readonly method: string; readonly tool?: string };
}

export interface RequestRecorder {
  readonly url: string;
  /** In front of core-api's own port, when the recorder was given one: requests to either are recorded in one list. */
  readonly coreApiUrl?: string;
  readonly requests: RecordedRequest[];
  /** Requests that change Platos: POST, PUT, PATCH, DELETE, except gateway calls of read-only tools and of JSON-RPC methods other than `tools/call`. */
  writes(): RecordedRequest[];
  /**
   * From the next write on (token mints aside), every answer is lost: Platos runs each request, and the connection
   * drops where its answer would come back. What a provider host dying with its create in flight leaves behind.
   */
  loseAnswers(): void;
  /** Resolves once Platos has answered a write whose answer was lost (so it ran); rejects after `timeoutMs`. */
  untilAnswerLost(timeoutMs: number): Promise<void>;
  /** Answers reach the provider again. */
  answerAgain(): void;
  reset(): void;
  close(): Promise<void>;
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A token mint, at core-api's root or below the prefix it is served under. */
const isMint = (request: RecordedRequest): boolean => request.path.endsWith(TOKENS_PATH);

function isWrite(request: RecordedRequest): boolean {
  if (!WRITES.has(request.method)) return false;
  if (!request.rpc) return true;
  const { method, tool } = request.rpc;
  return method === "tools/call" && !(tool !== undefined && isToolName(tool) && toolSpec(tool).readOnly);
}

function rpcOf(body: Buffer): RecordedRequest["rpc"] {
  try {
    const message = JSON.parse(body.toString("utf8")) as { method?: unknown; params?: { name?: unknown } };
    const tool = typeof message.params?.name === "string" ? message.params.name : undefined;
    return { method: String(message.method), ...(tool === undefined ? {} : { tool }) };
  } catch {
    return { method: "(unparsable)" };
  }
}

/**
 * What the writes did, sorted: the gateway tool, else method and route (with `environmentId` shown as `<env>`).
 * Token mints are left out: a platform provider host mints its tokens for an environment once per process (one to
 * read, one more when it first writes).
 */
export function writesDone(writes: readonly RecordedRequest[], environmentId = "<none>"): string[] {
  return writes
    .filter((w) => !isMint(w))
    .map((w) => w.rpc?.tool ?? `${w.method} ${w.path.replace(environmentId, "<env>")}`)
    .sort();
}

/** `coreApiTarget`: core-api on a port of its own, proxied on a second port of the recorder (`coreApiUrl`). */
export async function startRequestRecorder(target: string, coreApiTarget?: string): Promise<RequestRecorder> {
  const requests: RecordedRequest[] = [];
  const losing = { armed: false, lost: false };
  const proxyTo = (target: string): Server => proxyServer(new URL(target), requests, losing);
  const servers = [proxyTo(target), ...(coreApiTarget === undefined ? [] : [proxyTo(coreApiTarget)])];
  const [url, coreApiUrl] = await Promise.all(servers.map(listenLocally));
  return {
    url: url!,
    ...(coreApiUrl === undefined ? {} : { coreApiUrl }),
    requests,
    writes: () => requests.filter(isWrite),
    loseAnswers: () => void Object.assign(losing, { armed: true, lost: false }),
    untilAnswerLost: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!losing.lost) {
        if (Date.now() > deadline) throw new Error(`no write was answered (and its answer lost) within ${timeoutMs} ms`);
        await sleep(20);
      }
    },
    answerAgain: () => void Object.assign(losing, { armed: false, lost: false }),
    reset: () => void requests.splice(0),
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

async function listenLocally(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** One recording proxy to `upstream`, writing into the recorder's shared list and obeying its shared answer-losing switch. */
function proxyServer(upstream: URL, requests: RecordedRequest[], losing: { armed: boolean; lost: boolean }): Server {
  return createServer((req, res) => {
    const method = req.method ?? "";
    const path = (req.url ?? "").split("?")[0]!;
    const body: Buffer[] = [];
    let recorded: RecordedRequest | undefined;
    req.on("data", (chunk: Buffer) => body.push(chunk));
    req.on("end", () => requests.push((recorded = { method, path, ...(path === PLATFORM_PATH ? { rpc: rpcOf(Buffer.concat(body)) } : {}) })));
    const proxied = forward({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (reply) => {
      if (losing.armed && (losing.lost || (recorded !== undefined && isWrite(recorded) && !isMint(recorded)))) {
        losing.lost = true;
        reply.resume();
        res.destroy();
        return;
      }
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    proxied.on("error", () => res.destroy());
    req.pipe(proxied);
  });
}
