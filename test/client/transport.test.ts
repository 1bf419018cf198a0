import { strict as assert } from "node:assert";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { closeAllPools, createClient, isApiError, isNotFound, isPlatosError, PlatosTransportError } from "../../provider/client";

const TOKEN = "tok_transport_test_9f8e7d6c5b4a";
const project = { id: "p1", organizationId: "o1", slug: "default", name: "Default", archivedAt: null, createdAt: "2026-11-23T00:00:00.000Z", through: "token" };
const variable = {
  id: "v1",
  environmentId: "e1",
  key: "OPENAI_API_KEY",
  kind: "SECRET",
  value: null,
  hasSecret: true,
  version: 1,
  lastUpdatedBy: "admin",
  createdAt: "2026-11-23T00:00:00.000Z",
  updatedAt: "2026-11-23T00:00:00.000Z",
};
const item = (data: unknown) => JSON.stringify({ data, meta: { contractVersion: "M0.1" } });
const wireError = (code: string, title: string, extra: object = {}) =>
  JSON.stringify({ error: { code, title, body: `${code} happened`, errorId: "00000000-0000-4000-8000-000000000001", traceRef: "t", version: "1", ...extra } });

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (req: Seen, res: ServerResponse, attempt: number) => void;

async function scriptedServer(handler: Handler): Promise<{ url: string; seen: Seen[]; server: Server; inFlightMax: () => number }> {
  const seen: Seen[] = [];
  let inFlight = 0;
  let max = 0;
  const server = createServer((req, res) => {
    inFlight++;
    max = Math.max(max, inFlight);
    res.on("close", () => inFlight--);
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const entry = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      seen.push(entry);
      handler(entry, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server, inFlightMax: () => max };
}

const fast = { retryPolicy: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20 } };

describe("transport", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await closeAllPools();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it("a refused connection names the URL and the setting it came from, never the token", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    server = closed;
    const fast = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 };
    const refused = await createClient({ apiUrl: url, token: TOKEN, retryPolicy: fast })
      .projects.list()
      .catch((e: unknown) => e);
    assert.match(String(refused), new RegExp(`connection failed \\(ECONNREFUSED\\) after 2 attempts: Platos is not reachable at ${url}; check platos:apiUrl$`));
    const named = await createClient({ apiUrl: url, token: TOKEN, retryPolicy: fast, settingNames: { apiUrl: "--api-url" } })
      .projects.list()
      .catch((e: unknown) => e);
    assert.match(String(named), /check --api-url$/);
    assert.ok(!String(refused).includes(TOKEN));
  });

  it("a rejected token names its setting and the URL, never the token", async () => {
    const scripted = await scriptedServer((_req, res) =>
      res.writeHead(401, { "content-type": "application/json" }).end(wireError("AUTH_TOKEN_INVALID", "unauthenticated")),
    );
    ({ server } = scripted);
    const { url } = scripted;
    const rejected = await createClient({ apiUrl: url, token: TOKEN, settingNames: { token: "platos:operatorToken" } })
      .projects.list()
      .catch((e: unknown) => e);
    assert.match(
      String(rejected),
      new RegExp(`: Platos at ${url} rejected platos:operatorToken; check that it is the right token and neither expired nor revoked$`),
    );
    assert.ok(!String(rejected).includes(TOKEN));
  });

  it("retries 503s and dropped connections with one Idempotency-Key, then succeeds", async () => {
    const s = await scriptedServer((_req, res, attempt) => {
      if (attempt === 1) return res.writeHead(503, { "retry-after": "0" }).end(wireError("SERVICE_UNAVAILABLE", "unavailable"));
      if (attempt === 2) return res.socket?.destroy();
      res.writeHead(200, { "content-type": "application/json" }).end(item(variable));
    });
    server = s.server;
    const client = createClient({ apiUrl: s.url, token: TOKEN, ...fast });
    const result = await client.variables.put("e1", "OPENAI_API_KEY", { value: "sk-live-secret", secret: true });
    assert.equal(result.kind, "SECRET");
    assert.equal(s.seen.length, 3);
    const keys = new Set(s.seen.map((r) => r.headers["idempotency-key"]));
    assert.equal(keys.size, 1, "one Idempotency-Key across every retry");
    assert.match(String([...keys][0]), /^[A-Za-z0-9_.:-]{1,255}$/);
    assert.ok(s.seen.every((r) => r.headers.authorization === `Bearer ${TOKEN}`));
    assert.equal(s.seen[0]!.method, "PUT");
    assert.equal(s.seen[0]!.url, "/api/v1/environments/e1/variables/OPENAI_API_KEY");
  });

  it("gives each logical write its own Idempotency-Key and reads none", async () => {
    const s = await scriptedServer((req, res) => res.writeHead(200).end(req.method === "GET" ? item(project) : item(variable)));
    server = s.server;
    const client = createClient({ apiUrl: s.url, token: TOKEN, ...fast });
    await client.variables.put("e1", "A", { value: "1" });
    await client.variables.put("e1", "A", { value: "1" });
    await client.projects.get("default");
    assert.notEqual(s.seen[0]!.headers["idempotency-key"], s.seen[1]!.headers["idempotency-key"]);
    assert.equal(s.seen[2]!.headers["idempotency-key"], undefined);
  });

  it("honours Retry-After on 429", async () => {
    const s = await scriptedServer((_req, res, attempt) =>
      attempt === 1
        ? res.writeHead(429, { "retry-after": "1" }).end(wireError("RATE_LIMITED", "rate_limited", { retryAfterSec: 1 }))
        : res.writeHead(200).end(item(project)),
    );
    server = s.server;
    const client = createClient({ apiUrl: s.url, token: TOKEN, ...fast });
    const started = Date.now();
    await client.projects.get("default");
    assert.ok(Date.now() - started >= 950, "waited for Retry-After");
    assert.equal(s.seen.length, 2);
  });

  it("does not retry other 4xx and surfaces a typed error with fields", async () => {
    const s = await scriptedServer((_req, res) =>
      res
        .writeHead(400)
        .end(wireError("ENVIRONMENT_VARIABLE_KEY_INVALID", "invalid_input", { fields: [{ field: "key", code: "invalid_format", message: "bad key" }] })),
    );
    server = s.server;
    const client = createClient({ apiUrl: s.url, token: TOKEN, ...fast });
    const err = await client.variables.put("e1", "bad", { value: "v" }).catch((e: unknown) => e);
    assert.ok(isApiError(err));
    assert.equal(err.status, 400);
    assert.equal(err.code, "ENVIRONMENT_VARIABLE_KEY_INVALID");
    assert.equal(err.fields[0]?.field, "key");
    assert.equal(err.errorId, "00000000-0000-4000-8000-000000000001");
    assert.equal(s.seen.length, 1);
  });

  it("maps 404 to isNotFound", async () => {
    const s = await scriptedServer((_req, res) => res.writeHead(404).end(wireError("TENANCY_NOT_FOUND", "not_found")));
    server = s.server;
    const err = await createClient({ apiUrl: s.url, token: TOKEN })
      .environments.get("nope")
      .catch((e: unknown) => e);
    assert.ok(isNotFound(err));
  });

  it("gives up with a clear error once the operation deadline would pass", async () => {
    const s = await scriptedServer((_req, res) => res.writeHead(503).end(wireError("SERVICE_UNAVAILABLE", "unavailable")));
    server = s.server;
    const client = createClient({ apiUrl: s.url, token: TOKEN, operationTimeoutMs: 400, retryPolicy: { maxAttempts: 100, baseDelayMs: 50, maxDelayMs: 100 } });
    const started = Date.now();
    const err = await client.projects.get("default").catch((e: unknown) => e);
    assert.ok(err instanceof PlatosTransportError);
    assert.equal(err.code, "TRANSPORT_DEADLINE_EXCEEDED");
    assert.match(err.message, /deadline/);
    assert.ok(Date.now() - started < 2_000);
    assert.ok(s.seen.length >= 2);
  });

  it("aborts an attempt that hangs and retries it", async () => {
    const s = await scriptedServer((_req, res, attempt) => {
      if (attempt === 1) return; // never answers
      res.writeHead(200).end(item(project));
    });
    server = s.server;
    const client = createClient({ apiUrl: s.url, token: TOKEN, attemptTimeoutMs: 200, ...fast });
    const result = await client.projects.get("default");
    assert.equal(result.slug, "default");
    assert.equal(s.seen.length, 2);
  });

  it("names the route and field of a reply that breaks the contract", async () => {
    const s = await scriptedServer((_req, res) => res.writeHead(200).end(item({ ...project, slug: "Not A Slug" })));
    server = s.server;
    const err = await createClient({ apiUrl: s.url, token: TOKEN })
      .projects.get("default")
      .catch((e: unknown) => e);
    assert.ok(isPlatosError(err));
    assert.equal(err.code, "CONTRACT_RESPONSE_INVALID");
    assert.match(err.message, /GET \/api\/v1\/projects\/:projectRef/);
    assert.match(err.message, /data\.slug/);
  });

  it("keeps at most maxConcurrency requests in flight", async () => {
    const s = await scriptedServer((_req, res) => setTimeout(() => res.writeHead(200).end(item(project)), 50));
    server = s.server;
    const client = createClient({ apiUrl: s.url, token: TOKEN, maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, () => client.projects.get("default")));
    assert.equal(s.seen.length, 8);
    assert.ok(s.inFlightMax() <= 2, `saw ${s.inFlightMax()} in flight`);
  });

  it("never puts the token or a written value in an error", async () => {
    const s = await scriptedServer((_req, res) => res.writeHead(409).end(wireError("ENVIRONMENT_VARIABLE_VERSION_CONFLICT", "conflict")));
    server = s.server;
    const secretValue = "sk-live-must-not-leak-123";
    const err = await createClient({ apiUrl: s.url, token: TOKEN })
      .variables.put("e1", "K", { value: secretValue, secret: true })
      .catch((e: unknown) => e);
    const everything = [JSON.stringify(err), String(err), (err as Error).stack ?? "", JSON.stringify(Object.entries(err as object))].join("\n");
    assert.ok(isApiError(err));
    assert.ok(!everything.includes(TOKEN), "token leaked");
    assert.ok(!everything.includes(secretValue), "value leaked");
  });
});
