/**
 * A recording HTTP proxy in front of the emulator: the provider host (another process) talks to it, and tests
 * count the API calls an operation made, by method and route, without any hook in the code under test.
 */
import { createServer, request as forward, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
}

export interface RequestRecorder {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests that write: POST, PUT, PATCH, DELETE. */
  writes(): RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function startRequestRecorder(target: string): Promise<RequestRecorder> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: (req.url ?? "").split("?")[0]! });
    const proxied = forward(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    proxied.on("error", () => res.destroy());
    req.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    writes: () => requests.filter((r) => WRITES.has(r.method)),
    reset: () => void requests.splice(0),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
