/**
 * The only module that speaks HTTP. One keep-alive undici pool per API origin for the whole process (every
 * resource of a deployment shares the provider process), bearer auth, a pacer per API URL and credential that
 * keeps a burst of calls inside the server's rate limit (pacing.ts), a deadline per attempt and per operation, and
 * retries decided by retry-policy.ts. `createHttp` sends one logical exchange; each protocol reads its own replies
 * (route tables in route-caller.ts, JSON-RPC in the platform adapter).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Agent } from "undici";
import type { z } from "zod";
import { ConnectionSlots } from "./connection-slots";
import { isUnauthenticated, PlatosTransportError } from "./errors";
import { forgetPacers, pacerFor, type Answer, type Ticket } from "./pacing";
import type { ResponseHeaders } from "./rate-limit-headers";
import type { HttpMethod } from "./routes";
import { DEFAULT_RETRY_POLICY, delayMs, isRetryable, parseRetryAfter, waitsForRateLimit, type AttemptOutcome, type RetryPolicy } from "./retry-policy";
import { redactError, rememberCredential } from "../runtime/redact";

export interface TransportConfig {
  /** Base URL of the Platos API, without `/api/v1`. */
  readonly apiUrl: string;
  readonly token: string;
  /** Deadline of one HTTP attempt, from the moment it has a connection. */
  readonly attemptTimeoutMs?: number;
  /**
   * Deadline of one logical call: its attempts and the backoff between failed ones. It does not run while the
   * call waits in line (for the rate limit or a connection): that says nothing about whether the server is well.
   */
  readonly operationTimeoutMs?: number;
  /**
   * How long one call may wait in line, all its attempts together, before it fails; a server whose rate limit
   * reopens later than that (a spent daily quota) fails the call at once.
   */
  readonly queueTimeoutMs?: number;
  /** Requests in flight at once to one API origin, across the whole process. */
  readonly maxConcurrency?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly userAgent?: string;
  /** Called once per HTTP attempt; for metrics and tests. Never receives headers or bodies. */
  readonly onAttempt?: (event: AttemptEvent) => void;
  /**
   * Where the URL and the token came from, named by the errors whose fix is to change one of them (a connection
   * refused, a token rejected). Default: the stack settings platos:apiUrl and platos:token.
   */
  readonly settingNames?: SettingNames;
}

export interface SettingNames {
  readonly apiUrl?: string;
  readonly token?: string;
  /** The environment variable the URL may come from instead, named beside `apiUrl` by a misdirected call's error. */
  readonly apiUrlEnv?: string;
  /**
   * The service the URL must lead to (e.g. "core-api"): when set, an answer no Platos service of the kind gives (a
   * refusal without the error envelope, a body that is not JSON, no answer at all) names the URL setting as the fix.
   */
  readonly service?: string;
}

const DEFAULT_SETTING_NAMES = { apiUrl: "platos:apiUrl", token: "platos:token" } as const;

export interface AttemptEvent {
  /** The operation: a route name, or a protocol's own label (e.g. a tool name). */
  readonly route: string;
  readonly attempt: number;
  readonly status: number | undefined;
  readonly durationMs: number;
}

export const TRANSPORT_DEFAULTS = {
  attemptTimeoutMs: 30_000,
  operationTimeoutMs: 120_000,
  // Long enough for a thousand requests (Platos's daily quota per scope) at its 60 a minute.
  queueTimeoutMs: 30 * 60_000,
  maxConcurrency: 8,
} as const;

export interface HttpReply {
  readonly status: number;
  readonly text: string;
  readonly retryAfterSec: number | undefined;
}

/** A failed attempt: what happened, the error to throw if it is not retried, and any server-given wait. */
export interface AttemptFailure {
  readonly outcome: AttemptOutcome;
  readonly failure: Error;
  readonly retryAfterSec?: number;
  /** For a connection outcome: the socket error's code (ECONNREFUSED means the request never left). */
  readonly connectionCode?: string;
}

export type ReplyReading<T> = { readonly kind: "done"; readonly value: T } | ({ readonly kind: "failed" } & AttemptFailure);

export interface Exchange<T> {
  readonly method: HttpMethod;
  /** Path below the API URL, parameters filled in. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Extra headers, the same on every attempt (an Idempotency-Key, an approval id). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Names the exchange in errors and attempt events: a route template, never ids or values. */
  readonly operation: string;
  readonly label: string;
  /** Reads one HTTP answer. Throwing ends the exchange at once (a reply that breaks the contract). */
  readonly read: (reply: HttpReply) => ReplyReading<T>;
  /** Whether a failed attempt may be sent again; by default what retry-policy.ts says. */
  readonly mayRetry?: (failure: AttemptFailure) => boolean;
}

export interface Http {
  exchange<T>(exchange: Exchange<T>): Promise<T>;
}

/**
 * undici, loaded with the first request: a provider process whose operation sends none (a preview, a no-change
 * up) does not pay for loading it.
 */
let undiciModule: typeof import("undici") | undefined;
const undici = (): typeof import("undici") => (undiciModule ??= require("undici") as typeof import("undici"));

interface Pool {
  /** Made with the pool's first request. */
  agent?: Agent;
  readonly connections: number;
  readonly slots: ConnectionSlots;
}

const pools = new Map<string, Pool>();

function poolFor(origin: string, connections: number): Pool {
  const key = `${origin}#${connections}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = { connections, slots: new ConnectionSlots(connections) };
    pools.set(key, pool);
  }
  return pool;
}

const agentOf = (pool: Pool): Agent => (pool.agent ??= new (undici().Agent)({ connections: pool.connections, keepAliveTimeout: 10_000 }));

/** Closes every pool of this process and forgets what the pacers learned; for tests and short-lived CLIs. */
export async function closeAllPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  forgetPacers();
  await Promise.all(all.map((pool) => pool.agent?.close()));
}

interface PreparedRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

type Sent = { readonly kind: "answer"; readonly reply: HttpReply; readonly headers: ResponseHeaders } | { readonly kind: "no-answer"; readonly reason: string };

function roughDuration(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.ceil(s / 60)} min` : `${Math.ceil(s / 3600)} h`;
}

/** A call that could not get a turn to send within queueTimeoutMs. */
function waitedTooLong(
  operation: string,
  queueTimeoutMs: number,
  reopensAt: number | undefined,
  lastFailure: AttemptFailure | undefined,
  attempts: number,
): PlatosTransportError {
  const why =
    reopensAt === undefined
      ? `no turn to send within the ${queueTimeoutMs} ms a call may wait in line (for the rate limit and a connection)`
      : `the server's rate limit reopens in ${roughDuration(reopensAt - Date.now())}, later than the ${queueTimeoutMs} ms a call may wait in line`;
  return new PlatosTransportError(
    "TRANSPORT_DEADLINE_EXCEEDED",
    operation,
    `${why}${lastFailure ? `; last failure: ${lastFailure.failure.message}` : ""}`,
    attempts,
  );
}

export function createHttp(config: TransportConfig): Http {
  const base = new URL(config.apiUrl);
  // A base URL may carry a path (Platos behind a proxy at /platos, core-api under a prefix): paths go below it.
  const basePath = base.pathname.replace(/\/+$/, "");
  const attemptTimeoutMs = config.attemptTimeoutMs ?? TRANSPORT_DEFAULTS.attemptTimeoutMs;
  const operationTimeoutMs = config.operationTimeoutMs ?? TRANSPORT_DEFAULTS.operationTimeoutMs;
  const queueTimeoutMs = config.queueTimeoutMs ?? TRANSPORT_DEFAULTS.queueTimeoutMs;
  const policy = config.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const connections = config.maxConcurrency ?? TRANSPORT_DEFAULTS.maxConcurrency;
  const pool = poolFor(base.origin, connections);
  const pacer = pacerFor(config.apiUrl, config.token, connections);
  const userAgent = config.userAgent ?? "pulumi-platos";
  // Every token this process sends (configured or minted) is one its errors must never show.
  rememberCredential(config.token);

  /** One HTTP request on a connection already taken. */
  async function sendOnce(method: HttpMethod, url: URL, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<Sent> {
    try {
      const response = await undici().request(url, { method, headers, body, dispatcher: agentOf(pool), signal: AbortSignal.timeout(timeoutMs) });
      const header = response.headers["retry-after"];
      const retryAfterSec = parseRetryAfter(Array.isArray(header) ? header[0] : header);
      return { kind: "answer", reply: { status: response.statusCode, retryAfterSec, text: await response.body.text() }, headers: response.headers };
    } catch (err) {
      return { kind: "no-answer", reason: (err as { code?: string; name?: string }).code ?? (err as Error).name ?? "error" };
    }
  }

  /** The request every attempt of an exchange sends: URL with its query, headers, body. */
  function prepare(exchange: Exchange<unknown>): PreparedRequest {
    const url = new URL(`${basePath}${exchange.path}`, base.origin);
    for (const [key, value] of Object.entries(exchange.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${config.token}`,
      accept: "application/json",
      "user-agent": userAgent,
      ...exchange.headers,
    };
    const body = exchange.body === undefined ? undefined : JSON.stringify(exchange.body);
    if (body !== undefined) headers["content-type"] = "application/json";
    return { method: exchange.method, url, headers, body };
  }

  /**
   * One attempt, once the pacer gave it a turn: a connection slot, the request, the reply read. The pacer hears how
   * it went; `spentMs` counts from the slot on (time in line is never the deadline's).
   */
  async function attemptOnce<T>(
    exchange: Exchange<T>,
    sending: PreparedRequest,
    attempt: number,
    timeoutMs: number,
    ticket: Ticket,
  ): Promise<{ result: ReplyReading<T>; spentMs: number }> {
    const releaseSlot = await pool.slots.take();
    const started = Date.now();
    let httpStatus: number | undefined;
    let answer: Answer = {};
    try {
      let result: ReplyReading<T>;
      const sent = await sendOnce(sending.method, sending.url, sending.headers, sending.body, timeoutMs);
      if (sent.kind === "answer") {
        httpStatus = sent.reply.status;
        answer = { status: httpStatus, headers: sent.headers, retryAfterSec: sent.reply.retryAfterSec };
        result = exchange.read(sent.reply);
        // The pacer hears the refusal as the protocol reads it (the gateway's JSON-RPC -32099 is a 429).
        if (result.kind === "failed" && result.outcome.kind === "response") {
          answer = { ...answer, status: result.outcome.status, retryAfterSec: result.retryAfterSec ?? answer.retryAfterSec };
        }
      } else {
        const failure = new PlatosTransportError("TRANSPORT_CONNECTION_FAILED", exchange.operation, `connection failed (${sent.reason})`, 0);
        result = { kind: "failed", outcome: { kind: "connection" }, failure, connectionCode: sent.reason };
      }
      config.onAttempt?.({ route: exchange.label, attempt, status: httpStatus, durationMs: Date.now() - started });
      return { result, spentMs: Date.now() - started };
    } catch (err) {
      config.onAttempt?.({ route: exchange.label, attempt, status: (err as { status?: number }).status, durationMs: Date.now() - started });
      throw err;
    } finally {
      releaseSlot();
      pacer.settle(ticket, answer);
    }
  }

  /**
   * After a failed attempt: the failure to throw when it is the last one, else how long to back off before the next
   * (none when it waits for the rate limit: the pacer holds the next turn until the window reopens).
   */
  function afterFailure(
    failure: AttemptFailure,
    attempt: number,
    spentMs: number,
    mayRetry: (failure: AttemptFailure) => boolean,
    operation: string,
  ): { readonly giveUp: Error } | { readonly backOffMs: number } {
    if (attempt >= policy.maxAttempts || !mayRetry(failure)) {
      return { giveUp: withoutToken(namingTheFix(withAttempts(failure.failure, attempt), base.origin, config.settingNames), config.token) };
    }
    if (waitsForRateLimit(failure.outcome)) return { backOffMs: 0 };
    const wait = delayMs(attempt, failure.retryAfterSec, policy);
    if (spentMs + wait < operationTimeoutMs) return { backOffMs: wait };
    return {
      giveUp: withoutToken(
        new PlatosTransportError(
          "TRANSPORT_DEADLINE_EXCEEDED",
          operation,
          `gave up after ${attemptCount(attempt)}: the next retry (in ${wait} ms) would pass the ${operationTimeoutMs} ms deadline; last failure: ${failure.failure.message}`,
          attempt,
        ),
        config.token,
      ),
    };
  }

  return {
    async exchange<T>(exchange: Exchange<T>): Promise<T> {
      const sending = prepare(exchange);
      const mayRetry = exchange.mayRetry ?? ((failure: AttemptFailure) => isRetryable(failure.outcome));
      const { operation } = exchange;
      const giveUpWaitingAt = Date.now() + queueTimeoutMs;
      // What the deadline counts: time on attempts and on backoff after failures, never time waiting in line.
      let spentMs = 0;
      let lastFailure: AttemptFailure | undefined;
      for (let attempt = 1; ; attempt++) {
        const remaining = operationTimeoutMs - spentMs;
        if (remaining <= 0) {
          throw new PlatosTransportError("TRANSPORT_DEADLINE_EXCEEDED", operation, `no answer within the ${operationTimeoutMs} ms deadline`, attempt - 1);
        }
        const turn = await pacer.take(giveUpWaitingAt, { retry: attempt > 1 });
        if (turn.kind === "gave-up") throw withoutToken(waitedTooLong(operation, queueTimeoutMs, turn.reopensAt, lastFailure, attempt - 1), config.token);
        const attempted = await attemptOnce(exchange, sending, attempt, Math.min(attemptTimeoutMs, remaining), turn.ticket).catch((err: unknown) => {
          // A reply its reader refused outright (a body that is not JSON) may be another service's: say which setting.
          throw err instanceof PlatosTransportError
            ? withoutToken(namingTheFix(err, base.origin, config.settingNames), config.token)
            : withoutToken(err as Error, config.token);
        });
        spentMs += attempted.spentMs;
        if (attempted.result.kind === "done") return attempted.result.value;

        lastFailure = attempted.result;
        const next = afterFailure(attempted.result, attempt, spentMs, mayRetry, operation);
        if ("giveUp" in next) throw next.giveUp;
        if (next.backOffMs > 0) {
          await sleep(next.backOffMs);
          spentMs += next.backOffMs;
        }
      }
    },
  };
}

/** Where a URL setting may be changed: the stack setting, and its environment variable when there is one. */
const urlSettingOf = (names: SettingNames): string => {
  const apiUrl = names.apiUrl ?? DEFAULT_SETTING_NAMES.apiUrl;
  return names.apiUrlEnv === undefined ? apiUrl : `${apiUrl}, or env ${names.apiUrlEnv}`;
};

/** An answer that no route of the expected service gives: a refusal without its envelope, or a body that is not JSON. */
const isForeignAnswer = (failure: PlatosTransportError): boolean =>
  failure.code === "CONTRACT_STATUS_UNEXPECTED" || (failure.code === "CONTRACT_RESPONSE_INVALID" && failure.detail === NOT_JSON);

/**
 * A refused connection names the URL and its setting; a rejected token names its setting (never a value); where the
 * URL must lead to a given service, an answer that service never gives names the URL setting as well.
 */
function namingTheFix(failure: Error, origin: string, names: SettingNames = {}): Error {
  const { token } = { ...DEFAULT_SETTING_NAMES, ...names };
  const urlSetting = urlSettingOf(names);
  if (failure instanceof PlatosTransportError && failure.code === "TRANSPORT_CONNECTION_FAILED") {
    return new PlatosTransportError(
      failure.code,
      failure.operation,
      `${failure.detail}: Platos is not reachable at ${origin}; check ${urlSetting}`,
      failure.attempts,
    );
  }
  if (failure instanceof PlatosTransportError && names.service !== undefined && isForeignAnswer(failure)) {
    const expected = `${names.service}, whose every answer to ${failure.operation} is JSON and every refusal a Platos error envelope`;
    return new PlatosTransportError(
      failure.code,
      failure.operation,
      `${failure.detail}: what answers at ${origin} is not ${expected}; check ${urlSetting}: it must be ${names.service}'s base URL`,
      failure.attempts,
    );
  }
  if (isUnauthenticated(failure))
    failure.message += `: Platos at ${origin} rejected ${token}; check that it is the right token and neither expired nor revoked`;
  return failure;
}

/**
 * An error quoting a server's text (a refusal's body, a foreign answer's message) could quote the token sent to it,
 * were that server to echo the Authorization header: that token, every other credential of the process, and
 * anything shaped like one become `[token]` (runtime/redact.ts).
 */
function withoutToken(failure: Error, token: string): Error {
  return redactError(failure, [token]);
}

const NOT_JSON = "response is not JSON";
/** How much of a foreign answer's own message an error quotes. */
const QUOTED_CHARS = 160;

/**
 * What gave an answer that is not a Platos refusal, in a few words, so an error can say what it reached: NestJS's
 * default exception body (`{statusCode, message, error}`, the agent app's answer for a route it does not serve or a
 * guard refused), an HTML page, or something else. Quotes at most the server's own short message, never the body.
 */
export function foreignAnswer(text: string): string {
  const json = safeJson(text);
  if (json === undefined) return text.trimStart().startsWith("<") ? " (an HTML page)" : text.trim() === "" ? " (an empty body)" : " (a body that is not JSON)";
  const nest = json as { statusCode?: unknown; message?: unknown; error?: unknown };
  if (typeof nest.statusCode === "number" && typeof nest.message === "string") {
    const message = nest.message.length > QUOTED_CHARS ? `${nest.message.slice(0, QUOTED_CHARS)}…` : nest.message;
    return ` (NestJS's default body${typeof nest.error === "string" ? ` "${nest.error}"` : ""}: "${message}")`;
  }
  return "";
}

/** "1 attempt", "3 attempts": a count as messages say it. */
export const attemptCount = (attempts: number): string => `${attempts} attempt${attempts === 1 ? "" : "s"}`;

function withAttempts(failure: Error, attempts: number): Error {
  if (failure instanceof PlatosTransportError) {
    return new PlatosTransportError(failure.code, failure.operation, `${failure.detail} after ${attemptCount(attempts)}`, attempts);
  }
  return failure;
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Parses a reply with its schema; a mismatch names the operation and the first offending field. */
export function parseReply<S extends z.ZodType>(operation: string, schema: S, text: string): z.infer<S> {
  const json = safeJson(text);
  if (json === undefined) throw new PlatosTransportError("CONTRACT_RESPONSE_INVALID", operation, NOT_JSON, 1);
  return parseValue(operation, schema, json);
}

export function parseValue<S extends z.ZodType>(operation: string, schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw contractBroken(operation, parsed.error);
}

/** A reply that parsed as JSON but not as its schema: names the first offending field, never its value. */
export function contractBroken(operation: string, error: z.ZodError): PlatosTransportError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(root)";
  return new PlatosTransportError("CONTRACT_RESPONSE_INVALID", operation, `response broke the contract at ${where}: ${issue?.message ?? "invalid"}`, 1);
}
