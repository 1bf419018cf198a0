/**
 * A pass-through HTTP proxy that counts the response statuses it relays. Put between the request recorder and a
 * rate-limited emulator, it tells how many of the provider's requests were refused with 429.
 */
import { createServer, request as forward } from "node:http";
import type { AddressInfo } from "node:net";

export interface StatusTap {
  readonly url: string;
  readonly statuses: Map<number, number>;
  close(): Promise<void>;
}

export async function startStatusTap(target: string): Promise<StatusTap> {
  const upstream = new URL(target);
  const statuses = new Map<number, number>();
  const server = createServer((incoming, outgoing) => {
    const relay = forward({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (reply) => {
      const status = reply.statusCode ?? 502;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      outgoing.writeHead(status, reply.headers);
      reply.pipe(outgoing);
    });
    relay.on("error", () => outgoing.destroy());
    incoming.pipe(relay);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    statuses,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
