/**
 * The floor's HTTP: a bare undici pool straight to the emulator, JSON in and out, an Idempotency-Key on each V1
 * write (as the provider sends them), and on 429 a wait for Retry-After before sending again: the least a client
 * must do under a rate limit. Counts requests, token mints among them, and 429s.
 */
import { randomUUID } from "node:crypto";
import { Pool } from "undici";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface FloorRequest {
  readonly method: Method;
  readonly path: string;
  readonly token: string;
  readonly body?: unknown;
  /** V1 writes carry one; gateway calls do not. */
  readonly idempotent?: boolean;
  /** A token mint: counted apart from the work itself. */
  readonly tokenRequest?: boolean;
}

export class FloorHttp {
  private readonly pool: Pool;
  requests = 0;
  tokenRequests = 0;
  rateLimited = 0;

  constructor(baseUrl: string, connections: number) {
    this.pool = new Pool(baseUrl, { connections });
  }

  async send<T>(request: FloorRequest): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${request.token}` };
    if (request.body !== undefined) headers["content-type"] = "application/json";
    if (request.idempotent) headers["idempotency-key"] = randomUUID();
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    for (;;) {
      this.requests++;
      if (request.tokenRequest) this.tokenRequests++;
      const reply = await this.pool.request({ method: request.method, path: request.path, headers, body });
      const text = await reply.body.text();
      if (reply.statusCode === 429) {
        this.rateLimited++;
        const retryAfterSec = Number(reply.headers["retry-after"] ?? 1);
        await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(retryAfterSec) ? retryAfterSec : 1) * 1000));
        continue;
      }
      if (reply.statusCode >= 300) throw new Error(`floor: ${request.method} ${request.path} answered ${reply.statusCode}: ${text.slice(0, 200)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
