/**
 * Registers an operation from a route table: the V1 contract's (provider/client/routes.ts) or core-api's
 * (provider/client/platform/core-api.ts). Method, path, request schemas and response schemas all come from
 * there, so the emulator cannot drift from what the client expects. Responses are validated too, errors against
 * the WireError envelope.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { coreApiRoutes, type CoreApiRouteName, type CoreRouteSpec } from "../../provider/client/platform/core-api";
import { routes, type ParamName, type RouteName } from "../../provider/client/routes";
import { PayloadTooLarge } from "../../provider/client/platform/jsonrpc";
import { ErrorEnvelope, VariableKey } from "../../provider/client/schemas";
import type { Principal } from "../access";
import type { Store } from "../store";

type Parsed<S, Part extends "body" | "query"> = S extends { [K in Part]: infer Z extends z.ZodType } ? z.output<Z> : undefined;
type Status<S extends CoreRouteSpec> = S["success"][number];

export interface SpecContext<S extends CoreRouteSpec> {
  readonly params: Readonly<Record<ParamName<S["path"]>, string>>;
  readonly body: Parsed<S, "body">;
  readonly query: Parsed<S, "query">;
  readonly principal: Principal;
  readonly store: Store;
}

export type SpecResult<S extends CoreRouteSpec> = S extends { response: infer Z extends z.ZodType }
  ? { readonly status: Status<S>; readonly body: z.output<Z> }
  : { readonly status: Status<S> };

export type RouteContext<R extends RouteName> = SpecContext<(typeof routes)[R]>;
export type RouteResult<R extends RouteName> = SpecResult<(typeof routes)[R]>;

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set for writes that refuse to run without an Idempotency-Key. */
    idempotencyKey?: "required";
  }
}

/** Path parameters with a rule of their own; every other one is an opaque non-empty id. */
const PARAM_RULES: Readonly<Record<string, z.ZodType>> = { key: VariableKey };

function paramsSchema(path: string): z.ZodType | undefined {
  const names = [...path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1] as string);
  return names.length === 0 ? undefined : z.object(Object.fromEntries(names.map((name) => [name, PARAM_RULES[name] ?? z.string().min(1)])));
}

/**
 * A 413 on a `/mcp` path is the body cap's own body, not the envelope (apps/core-api/src/http/mcp-body-cap.ts@9d6948bc:
 * "deliberately NOT the M0.4 §2 envelope"); without its schema here the serializer turned the cap's refusal into a 500.
 */
function responseSchemas(spec: CoreRouteSpec): Record<string, z.ZodType> {
  const schemas: Record<string, z.ZodType> = { "4xx": ErrorEnvelope, "5xx": ErrorEnvelope };
  if (/^\/mcp(\/|$)/.test(spec.path)) schemas["413"] = PayloadTooLarge;
  if (spec.response) for (const status of spec.success) schemas[String(status)] = spec.response;
  return schemas;
}

/** Fastify warns about schema keys that are present but undefined. */
const definedOnly = <T extends object>(schema: T): Partial<T> =>
  Object.fromEntries(Object.entries(schema).filter(([, value]) => value !== undefined)) as Partial<T>;

/** Registers `spec` (a table entry, or a route serving two entries at once) with `handler`. */
export function defineSpecRoute<S extends CoreRouteSpec>(api: FastifyInstance, spec: S, handler: (context: SpecContext<S>) => Promise<SpecResult<S>>): void {
  api.route({
    method: spec.method,
    url: spec.path,
    schema: definedOnly({ params: paramsSchema(spec.path), body: spec.body, querystring: spec.query, response: responseSchemas(spec) }),
    config: { spec, ...(spec.idempotencyKey ? { idempotencyKey: spec.idempotencyKey } : {}) },
    handler: async (request, reply) => {
      if (!request.principal) throw new Error(`no principal on ${spec.method} ${spec.path}: the auth hook did not run`);
      const result = await handler({
        params: request.params as SpecContext<S>["params"],
        body: request.body as Parsed<S, "body">,
        query: request.query as Parsed<S, "query">,
        principal: request.principal,
        store: api.store,
      });
      reply.code(result.status);
      return "body" in result ? result.body : reply.send();
    },
  });
}

export function defineRoute<R extends RouteName>(api: FastifyInstance, name: R, handler: (context: RouteContext<R>) => Promise<RouteResult<R>>): void {
  defineSpecRoute(api, routes[name], handler);
}

export function defineCoreRoute<R extends CoreApiRouteName>(
  api: FastifyInstance,
  name: R,
  handler: (context: SpecContext<(typeof coreApiRoutes)[R]>) => Promise<SpecResult<(typeof coreApiRoutes)[R]>>,
): void {
  defineSpecRoute(api, coreApiRoutes[name], handler);
}
