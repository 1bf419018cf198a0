/**
 * The emulator's one error type and the one place that turns any failure into the WireError envelope: Platos
 * errors, request validation (zod issues mapped to codes by the route table), unparsable bodies, unknown routes
 * and anything unexpected (500 with no message and no stack).
 */
import { randomUUID } from "node:crypto";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { statusOf, titleOf, type ErrorCode } from "../provider/client/error-codes";
import type { RouteSpec } from "../provider/client/routes";
import type { ErrorTitle, FieldError, WireError } from "../provider/client/schemas";

const DEFAULT_BODY: Record<ErrorTitle, string> = {
  invalid_input: "the request is invalid",
  unauthenticated: "a valid bearer token is required",
  forbidden: "this token cannot reach that resource",
  not_found: "not found",
  conflict: "the request conflicts with the current state",
  precondition_failed: "a precondition failed",
  rate_limited: "too many requests; retry later",
  unavailable: "the service is temporarily unavailable; retry later",
  internal: "internal error",
};

export class PlatosError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    body?: string,
    readonly fields?: readonly FieldError[],
    readonly retryAfterSec?: number,
  ) {
    super(body ?? DEFAULT_BODY[titleOf(code)]);
    this.name = "PlatosError";
    this.status = statusOf(code);
  }
}

/** A scoped token asked for something outside its scope, or for something that may not exist: never say which. */
export const forbidden = (): PlatosError => new PlatosError("TENANCY_ENVIRONMENT_FORBIDDEN");

function wireError(error: PlatosError, traceRef: string): WireError {
  return {
    code: error.code,
    title: titleOf(error.code),
    body: error.message,
    errorId: randomUUID(),
    traceRef,
    version: "1",
    ...(error.fields && error.fields.length > 0 ? { fields: [...error.fields] } : {}),
    ...(error.retryAfterSec !== undefined ? { retryAfterSec: error.retryAfterSec } : {}),
  };
}

/** Sends the envelope for `error`; also used by hooks that answer before any route handler runs. */
export function sendError(reply: FastifyReply, request: FastifyRequest, error: PlatosError): FastifyReply {
  if (error.retryAfterSec !== undefined) reply.header("retry-after", String(error.retryAfterSec));
  return reply
    .code(error.status)
    .type("application/json; charset=utf-8")
    .send({ error: wireError(error, request.id) });
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The contract entry a route was registered from; read by the error handler to map invalid fields. */
    spec?: RouteSpec;
  }
}

interface ValidationEntry {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: { params?: { code?: unknown } };
}

/** Maps zod issues (as the zod type provider reports them) to field errors and the route's error code. */
function fromValidation(entries: readonly ValidationEntry[], context: string | undefined, spec: RouteSpec | undefined): PlatosError {
  const fields = entries.map((entry) => {
    const path = entry.instancePath.split("/").filter((part) => part.length > 0);
    const customCode = entry.params?.params?.code;
    return {
      field: path.length > 0 ? path.join(".") : (context ?? "body"),
      top: path[0],
      code: typeof customCode === "string" ? customCode : entry.keyword,
      keyword: entry.keyword,
      message: entry.message ?? "is invalid",
    };
  });
  // A field that can never change outranks every other problem in the body: the contract answers it as such.
  fields.sort((a, b) => Number(b.code === "immutable") - Number(a.code === "immutable"));
  const first = fields[0];
  const fieldRulesApply = context === "body" || context === "params";
  const code =
    (first?.top !== undefined && fieldRulesApply ? (spec?.issueCodes?.[first.top]?.[first.keyword] ?? spec?.fieldCodes?.[first.top]) : undefined) ??
    "TRANSPORT_REQUEST_INVALID";
  const where = first ? `${first.field}: ${first.message}` : "invalid request";
  return new PlatosError(
    code,
    `invalid ${context ?? "request"} (${where})`,
    fields.map(({ field, code: fieldCode, message }) => ({ field, code: fieldCode, message })),
  );
}

function isValidationError(error: FastifyError): error is FastifyError & { validation: ValidationEntry[] } {
  return Array.isArray(error.validation) && error.validation.length > 0;
}

const BODY_ERRORS: Readonly<Record<string, { code: string; message: string }>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: "invalid_content_type", message: "the content type must be application/json" },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "too_big", message: "the body is larger than the server accepts" },
};
const NOT_JSON = { code: "invalid_json", message: "the body is not valid JSON" };

/** Fastify's own 4xx errors before a handler runs: unparsable JSON, wrong content type, body too large. */
function fromFastifyClientError(error: FastifyError): PlatosError | undefined {
  if (typeof error.statusCode !== "number" || error.statusCode < 400 || error.statusCode >= 500) return undefined;
  // Never echo the parser's message: Node's JSON.parse quotes the start of the body, which may be a secret.
  const { code, message } = BODY_ERRORS[error.code] ?? NOT_JSON;
  return new PlatosError("TRANSPORT_REQUEST_INVALID", message, [{ field: "body", code, message }]);
}

export function toPlatosError(error: unknown, request: FastifyRequest): PlatosError {
  if (error instanceof PlatosError) return error;
  const fastifyError = error as FastifyError;
  if (isValidationError(fastifyError)) return fromValidation(fastifyError.validation, fastifyError.validationContext, request.routeOptions.config.spec);
  return fromFastifyClientError(fastifyError) ?? new PlatosError("INTERNAL_ERROR");
}

/** What a service answers for a request no route of it matches. */
export type NotFoundAnswer = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

const routeNotFound: NotFoundAnswer = (request, reply) =>
  sendError(reply, request, new PlatosError("TRANSPORT_ROUTE_NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`));

/** `notFound`: the answer for an unrouted request (by default the V1 contract's TRANSPORT_ROUTE_NOT_FOUND). */
export function installErrorHandlers(app: FastifyInstance, notFound: NotFoundAnswer = routeNotFound): void {
  app.setErrorHandler((error, request, reply) => {
    const platosError = toPlatosError(error, request);
    if (platosError.code === "INTERNAL_ERROR") request.log.error({ err: error }, "unhandled error");
    return sendError(reply, request, platosError);
  });
  app.setNotFoundHandler(notFound);
}
