/**
 * Route tables over one logical exchange (transport.ts): the V1 contract's (routes.ts) and core-api's. Each call
 * builds its path, sends one Idempotency-Key per logical write (reused on every retry), and reads the answer as a
 * V1-style route does: a success status with the route's body, checked against its schema, or the WireError envelope.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { fromResponse, PlatosTransportError } from "./errors";
import { buildPath, routes, type HttpMethod, type ParamsOf, type RouteName, type RouteSpec } from "./routes";
import { ErrorEnvelope } from "./schemas";
import { createHttp, foreignAnswer, parseReply, safeJson, type Http, type HttpReply, type ReplyReading, type TransportConfig } from "./transport";

type ResponseOfSpec<S> = S extends { response: infer R extends z.ZodType } ? z.infer<R> : undefined;
type BodyOfSpec<S> = S extends { body: infer B extends z.ZodType } ? z.input<B> : never;

type Routes = typeof routes;
export type ResponseOf<R extends RouteName> = ResponseOfSpec<Routes[R]>;
export type BodyOf<R extends RouteName> = BodyOfSpec<Routes[R]>;

export interface RouteCallOptions<S, P = Readonly<Record<string, string>>> {
  readonly params?: P;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: BodyOfSpec<S>;
  /** Defaults to a fresh key per call for writes; the same key goes on every retry of the call. */
  readonly idempotencyKey?: string;
}

export type CallOptions<R extends RouteName> = RouteCallOptions<Routes[R], ParamsOf<R>>;

const WRITE_METHODS = new Set<HttpMethod>(["POST", "PUT", "PATCH", "DELETE"]);

/** Reads a V1-style answer: a success status with the route's body, or the WireError envelope. */
function readRoute(spec: RouteSpec, operation: string) {
  return (reply: HttpReply): ReplyReading<unknown> => {
    if (spec.success.includes(reply.status)) {
      return { kind: "done", value: spec.response ? parseReply(operation, spec.response, reply.text) : undefined };
    }
    const wire = ErrorEnvelope.safeParse(safeJson(reply.text));
    const failure = wire.success
      ? fromResponse(operation, reply.status, wire.data.error)
      : new PlatosTransportError(
          "CONTRACT_STATUS_UNEXPECTED",
          operation,
          `unexpected HTTP ${reply.status} without a Platos error body${foreignAnswer(reply.text)}`,
          0,
        );
    const retryAfterSec = reply.retryAfterSec ?? (wire.success ? wire.data.error.retryAfterSec : undefined);
    return { kind: "failed", outcome: { kind: "response", status: reply.status }, failure, retryAfterSec };
  };
}

export interface RouteCaller<T extends Record<string, RouteSpec>> {
  call<R extends keyof T & string>(route: R, options?: RouteCallOptions<T[R]>): Promise<ResponseOfSpec<T[R]>>;
}

/** Calls the operations of a route table (routes.ts, or core-api's) over one Http. */
export function routeCaller<T extends Record<string, RouteSpec>>(http: Http, table: T): RouteCaller<T> {
  return {
    call(name, options = {}) {
      const spec: RouteSpec = table[name]!;
      const operation = `${spec.method} ${spec.path}`;
      const headers: Record<string, string> = WRITE_METHODS.has(spec.method) ? { "idempotency-key": options.idempotencyKey ?? randomUUID() } : {};
      return http.exchange({
        method: spec.method,
        path: buildPath(spec.path, options.params ?? {}),
        query: options.query,
        body: options.body,
        headers,
        operation,
        label: name,
        read: readRoute(spec, operation),
      }) as Promise<ResponseOfSpec<T[typeof name]>>;
    },
  };
}

export interface Transport {
  call<R extends RouteName>(route: R, options?: CallOptions<R>): Promise<ResponseOf<R>>;
}

/** The V1 contract's route table over one Http. */
export function createTransport(config: TransportConfig): Transport {
  return routeCaller(createHttp(config), routes);
}
