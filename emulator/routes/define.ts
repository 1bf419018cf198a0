/**
 * Registers an operation from the contract's route table (provider/client/routes.ts): method, path, request
 * schemas and response schemas all come from there, so the emulator cannot drift from what the client expects.
 * Responses are validated too, errors against the WireError envelope.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { routes, type ParamsOf, type RouteName, type RouteSpec } from "../../provider/client/routes";
import { ErrorEnvelope, VariableKey } from "../../provider/client/schemas";
import type { Principal } from "../access";
import type { Store } from "../store";

type Spec<R extends RouteName> = (typeof routes)[R];
type Parsed<R extends RouteName, Part extends "body" | "query"> = Spec<R> extends { [K in Part]: infer S extends z.ZodType } ? z.output<S> : undefined;
type Status<R extends RouteName> = Spec<R>["success"][number];

export interface RouteContext<R extends RouteName> {
  readonly params: Readonly<ParamsOf<R>>;
  readonly body: Parsed<R, "body">;
  readonly query: Parsed<R, "query">;
  readonly principal: Principal;
  readonly store: Store;
}

export type RouteResult<R extends RouteName> = Spec<R> extends { response: infer S extends z.ZodType }
  ? { readonly status: Status<R>; readonly body: z.output<S> }
  : { readonly status: Status<R> };

/** Path parameters with a rule of their own; every other one is an opaque non-empty id. */
const PARAM_RULES: Readonly<Record<string, z.ZodType>> = { key: VariableKey };

function paramsSchema(path: string): z.ZodType | undefined {
  const names = [...path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1] as string);
  return names.length === 0 ? undefined : z.object(Object.fromEntries(names.map((name) => [name, PARAM_RULES[name] ?? z.string().min(1)])));
}

function responseSchemas(spec: RouteSpec): Record<string, z.ZodType> {
  const schemas: Record<string, z.ZodType> = { "4xx": ErrorEnvelope, "5xx": ErrorEnvelope };
  if (spec.response) for (const status of spec.success) schemas[String(status)] = spec.response;
  return schemas;
}

/** Fastify warns about schema keys that are present but undefined. */
const definedOnly = <T extends object>(schema: T): Partial<T> => Object.fromEntries(Object.entries(schema).filter(([, value]) => value !== undefined)) as Partial<T>;

export function defineRoute<R extends RouteName>(api: FastifyInstance, name: R, handler: (context: RouteContext<R>) => Promise<RouteResult<R>>): void {
  const spec: RouteSpec = routes[name];
  api.route({
    method: spec.method,
    url: spec.path,
    schema: definedOnly({ params: paramsSchema(spec.path), body: spec.body, querystring: spec.query, response: responseSchemas(spec) }),
    config: { spec },
    handler: async (request, reply) => {
      if (!request.principal) throw new Error(`no principal on ${name}: the auth hook did not run`);
      const result = await handler({
        params: request.params as RouteContext<R>["params"],
        body: request.body as Parsed<R, "body">,
        query: request.query as Parsed<R, "query">,
        principal: request.principal,
        store: api.store,
      });
      reply.code(result.status);
      return "body" in result ? result.body : reply.send();
    },
  });
}
