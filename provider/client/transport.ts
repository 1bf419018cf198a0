/**
 * The only module that speaks HTTP. One keep-alive undici pool per API origin for the whole process (every
 * resource of a deployment shares the provider process), bearer auth, a deadline per attempt and per operation,
 * retries decided by retry-policy.ts, one Idempotency-Key per logical write reused on every retry, and every
 * reply checked against the route's schema.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, request } from "undici";
import type { z } from "zod";
import { fromResponse, PlatosTransportError } from "./errors";
import { DEFAULT_RETRY_POLICY, delayMs, isRetryable, parseRetryAfter, shouldRetry, type AttemptOutcome, type RetryPolicy } from "./retry-policy";
import { buildPath, routes, type ParamsOf, type RouteName, type RouteSpec } from "./routes";
import { ErrorEnvelope } from "./schemas";

export interface TransportConfig {
  /** Base URL of the Platos API, without `/api/v1`. */
  readonly apiUrl: string;
  readonly token: string;
  /** Deadline of one HTTP attempt. */
  readonly attemptTimeoutMs?: number;
  /** Deadline of one logical call, retries and waits included. */
  readonly operationTimeoutMs?: number;
  /** Requests in flight at once to one API origin, across the whole process. */
  readonly maxConcurrency?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly userAgent?: string;
  /** Called once per HTTP attempt; for metrics and tests. Never receives headers or bodies. */
  readonly onAttempt?: (event: AttemptEvent) => void;
}

export interface AttemptEvent {
  readonly route: RouteName;
  readonly attempt: number;
  readonly status: number | undefined;
  readonly durationMs: number;
}

export const TRANSPORT_DEFAULTS = {
  attemptTimeoutMs: 30_000,
  operationTimeoutMs: 120_000,
  maxConcurrency: 8,
} as const;

type Routes = typeof routes;
export type ResponseOf<R extends RouteName> = Routes[R] extends { response: infer S extends z.ZodType } ? z.infer<S> : undefined;
export type BodyOf<R extends RouteName> = Routes[R] extends { body: infer S extends z.ZodType } ? z.input<S> : never;

export interface CallOptions<R extends RouteName> {
  readonly params?: ParamsOf<R>;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: BodyOf<R>;
  /** Defaults to a fresh key per call for writes. */
  readonly idempotencyKey?: string;
}

export interface Transport {
  call<R extends RouteName>(route: R, options?: CallOptions<R>): Promise<ResponseOf<R>>;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const pools = new Map<string, Agent>();

function poolFor(origin: string, connections: number): Agent {
  const key = `${origin}#${connections}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Agent({ connections, keepAliveTimeout: 10_000 });
    pools.set(key, pool);
  }
  return pool;
}

/** Closes every pool of this process; for tests and short-lived CLIs. */
export async function closeAllPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((pool) => pool.close()));
}

type Attempt =
  | { readonly kind: "done"; readonly value: unknown }
  | { readonly kind: "retryable"; readonly outcome: AttemptOutcome; readonly retryAfterSec?: number; readonly failure: Error };

export function createTransport(config: TransportConfig): Transport {
  const base = new URL(config.apiUrl);
  const attemptTimeoutMs = config.attemptTimeoutMs ?? TRANSPORT_DEFAULTS.attemptTimeoutMs;
  const operationTimeoutMs = config.operationTimeoutMs ?? TRANSPORT_DEFAULTS.operationTimeoutMs;
  const policy = config.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const dispatcher = poolFor(base.origin, config.maxConcurrency ?? TRANSPORT_DEFAULTS.maxConcurrency);
  const userAgent = config.userAgent ?? "pulumi-platos";

  async function attemptOnce(spec: RouteSpec, operation: string, url: URL, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<Attempt> {
    let status: number;
    let text: string;
    let retryAfterHeader: string | undefined;
    try {
      const response = await request(url, { method: spec.method, headers, body, dispatcher, signal: AbortSignal.timeout(timeoutMs) });
      status = response.statusCode;
      const header = response.headers["retry-after"];
      retryAfterHeader = Array.isArray(header) ? header[0] : header;
      text = await response.body.text();
    } catch (err) {
      const reason = (err as { code?: string; name?: string }).code ?? (err as Error).name ?? "error";
      return { kind: "retryable", outcome: { kind: "connection" }, failure: new PlatosTransportError("TRANSPORT_CONNECTION_FAILED", operation, `connection failed (${reason})`, 0) };
    }

    if (spec.success.includes(status)) {
      if (!spec.response) return { kind: "done", value: undefined };
      return { kind: "done", value: parseReply(operation, spec.response, text) };
    }
    const wire = ErrorEnvelope.safeParse(safeJson(text));
    const failure = wire.success
      ? fromResponse(operation, status, wire.data.error)
      : new PlatosTransportError("CONTRACT_STATUS_UNEXPECTED", operation, `unexpected HTTP ${status} without a Platos error body`, 0);
    const retryAfterSec = parseRetryAfter(retryAfterHeader) ?? (wire.success ? wire.data.error.retryAfterSec : undefined);
    const outcome: AttemptOutcome = { kind: "response", status };
    if (isRetryable(outcome)) return { kind: "retryable", outcome, retryAfterSec, failure };
    throw failure;
  }

  return {
    async call<R extends RouteName>(name: R, options: CallOptions<R> = {}): Promise<ResponseOf<R>> {
      const spec: RouteSpec = routes[name];
      const url = new URL(buildPath(spec.path, (options.params ?? {}) as Record<string, string>), base);
      for (const [key, value] of Object.entries(options.query ?? {})) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
      const headers: Record<string, string> = {
        authorization: `Bearer ${config.token}`,
        accept: "application/json",
        "user-agent": userAgent,
      };
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      if (body !== undefined) headers["content-type"] = "application/json";
      if (WRITE_METHODS.has(spec.method)) headers["idempotency-key"] = options.idempotencyKey ?? randomUUID();

      const operation = `${spec.method} ${spec.path}`;
      const deadline = Date.now() + operationTimeoutMs;
      for (let attempt = 1; ; attempt++) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          throw new PlatosTransportError("TRANSPORT_DEADLINE_EXCEEDED", operation, `no answer within the ${operationTimeoutMs} ms deadline`, attempt - 1);
        }
        const started = Date.now();
        let result: Attempt;
        try {
          result = await attemptOnce(spec, operation, url, headers, body, Math.min(attemptTimeoutMs, remaining));
        } catch (err) {
          config.onAttempt?.({ route: name, attempt, status: (err as { status?: number }).status, durationMs: Date.now() - started });
          throw err;
        }
        config.onAttempt?.({
          route: name,
          attempt,
          status: result.kind === "done" ? spec.success[0] : result.outcome.kind === "response" ? result.outcome.status : undefined,
          durationMs: Date.now() - started,
        });
        if (result.kind === "done") return result.value as ResponseOf<R>;

        if (!shouldRetry(attempt, result.outcome, policy)) throw withAttempts(result.failure, attempt);
        const wait = delayMs(attempt, result.retryAfterSec, policy);
        if (Date.now() + wait >= deadline) {
          throw new PlatosTransportError(
            "TRANSPORT_DEADLINE_EXCEEDED",
            operation,
            `gave up after ${attempt} attempts: the next retry (in ${wait} ms) would pass the ${operationTimeoutMs} ms deadline; last failure: ${result.failure.message}`,
            attempt,
          );
        }
        await sleep(wait);
      }
    },
  };
}

function withAttempts(failure: Error, attempts: number): Error {
  if (failure instanceof PlatosTransportError) {
    return new PlatosTransportError(failure.code, failure.operation, `${failure.detail} after ${attempts} attempts`, attempts);
  }
  return failure;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseReply(operation: string, schema: z.ZodType, text: string): unknown {
  const json = safeJson(text);
  if (json === undefined) throw new PlatosTransportError("CONTRACT_RESPONSE_INVALID", operation, "response is not JSON", 1);
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(root)";
  throw new PlatosTransportError("CONTRACT_RESPONSE_INVALID", operation, `response broke the contract at ${where}: ${issue?.message ?? "invalid"}`, 1);
}
