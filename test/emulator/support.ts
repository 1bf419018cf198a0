/**
 * What the emulator suites share: a small API caller over inject(), parsers that check every reply against the
 * contract's own schemas, and `eachBackend`, which runs a suite on PGlite and again on a real PostgreSQL server
 * (skipped, with the reason printed, when none can be had).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import {
  CollectionEnvelope,
  CONTRACT_VERSION,
  EnvironmentResource,
  ErrorEnvelope,
  ItemEnvelope,
  type Environment,
  type PageBlock,
  type WireError,
} from "../../provider/client/schemas";
import type { ErrorCode } from "../../provider/client/error-codes";
import { statusOf } from "../../provider/client/error-codes";
import { startEmulator, type RunningEmulator, type StartOptions } from "../helpers/emulator";
import { createTestDatabase, postgresServer, type TestDatabase } from "../helpers/postgres";

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly text: string;
  readonly json: unknown;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Api {
  request(method: Method, url: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<Reply>;
  get(url: string): Promise<Reply>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  put(url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  delete(url: string, headers?: Record<string, string>): Promise<Reply>;
}

/** Calls `app` in-process as `token` (none: no Authorization header). */
export function apiAs(app: FastifyInstance, token: string | undefined): Api {
  const request: Api["request"] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...options.headers };
    const response = await app.inject({
      method,
      url,
      headers,
      ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body), headers: { "content-type": "application/json", ...headers } }),
    });
    const text = response.body;
    let json: unknown;
    try {
      json = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text, json };
  };
  return {
    request,
    get: (url) => request("GET", url),
    post: (url, body, headers) => request("POST", url, { body, headers }),
    put: (url, body, headers) => request("PUT", url, { body, headers }),
    patch: (url, body, headers) => request("PATCH", url, { body, headers }),
    delete: (url, headers) => request("DELETE", url, { headers }),
  };
}

function expectStatus(reply: Reply, status: number): void {
  assert.equal(reply.status, status, `expected HTTP ${status}, got ${reply.status}: ${reply.text}`);
  assert.equal(reply.headers["x-platos-contract-version"], CONTRACT_VERSION, "every response names the contract version");
}

/** The item of an item envelope, checked against the contract's schema. */
export function itemOf<S extends z.ZodType>(reply: Reply, schema: S, status = 200): z.infer<S> {
  expectStatus(reply, status);
  return (ItemEnvelope(schema).parse(reply.json) as unknown as { data: z.infer<S> }).data;
}

/** A collection envelope, checked against the contract's schema. */
export function collectionOf<S extends z.ZodType>(reply: Reply, schema: S): { data: z.infer<S>[]; page: PageBlock } {
  expectStatus(reply, 200);
  return CollectionEnvelope(schema).parse(reply.json) as { data: z.infer<S>[]; page: PageBlock };
}

/** Asserts the reply is the WireError for `code` (status from the code's title) and returns it. */
export function expectError(reply: Reply, code: ErrorCode): WireError {
  expectStatus(reply, statusOf(code));
  const { error } = ErrorEnvelope.strict().parse(reply.json);
  assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.body}`);
  assert.match(error.errorId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.ok(error.traceRef.length > 0);
  return error;
}

/** Asserts one field error on `field` with `fieldCode`. */
export function expectFieldError(error: WireError, field: string, fieldCode?: string): void {
  const found = (error.fields ?? []).find((entry) => entry.field === field);
  assert.ok(found, `expected a field error on ${field}, got ${JSON.stringify(error.fields)}`);
  if (fieldCode !== undefined) assert.equal(found.code, fieldCode);
}

export const uniqueSlug = (prefix = "env"): string => `${prefix}-${randomBytes(4).toString("hex")}`;

export async function createEnvironment(api: Api, slug = uniqueSlug(), project = "default"): Promise<Environment> {
  return itemOf(await api.post(`/api/v1/projects/${project}/environments`, { slug }), EnvironmentResource, 201);
}

export interface SuiteContext {
  readonly emulator: RunningEmulator;
  readonly admin: Api;
}

export type Backend = "pglite" | "postgres";

/**
 * A fresh emulator for the enclosing suite, started in its `before` hook; on PostgreSQL in a new database of its
 * own, or skipped with the reason printed when no server can be had. Returns a getter, since the emulator only
 * exists once the hook has run.
 */
export function withEmulator(options: StartOptions = {}, backend: Backend = "pglite"): () => SuiteContext {
  let context: SuiteContext | undefined;
  let database: TestDatabase | undefined;
  before(async function () {
    let databaseUrl: string | undefined;
    if (backend === "postgres") {
      this.timeout(90_000);
      const server = await postgresServer();
      if ("unavailable" in server) {
        console.log(`      skipping the PostgreSQL run of "${this.test?.parent?.title ?? "this suite"}": ${server.unavailable}`);
        this.skip();
      }
      database = await createTestDatabase(server.url);
      databaseUrl = database.url;
    }
    const emulator = await startEmulator({ ...options, databaseUrl });
    context = { emulator, admin: apiAs(emulator.app, emulator.adminToken) };
  });
  after(async () => {
    await context?.emulator.close();
    await database?.drop();
  });
  return () => {
    if (!context) throw new Error("the suite's emulator is not running");
    return context;
  };
}

/** Defines `title` once per backend (PGlite, then a real PostgreSQL server), each with a fresh emulator. */
export function eachBackend(title: string, define: (context: () => SuiteContext, backend: Backend) => void, options: StartOptions = {}): void {
  for (const backend of ["pglite", "postgres"] as const) {
    describe(`${title} [${backend}]`, () => define(withEmulator(options, backend), backend));
  }
}
