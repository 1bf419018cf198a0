/**
 * core-api's wording for a request its validators refuse, on the core-api surface only (the V1 contract at the
 * root keeps errors.ts's zod-shaped fields): each field is named by the request part that failed (`body.name`,
 * `query.limit`), with core-api's issue codes (`missing`, `required`, `invalid`, `empty`, `unsupported`, `pattern`,
 * `max_length`) under TRANSPORT_REQUEST_INVALID "This request could not be read as the operation expects.", and
 * the variable write's domain refusals (INVALID_SECRET_MATERIAL, ENVIRONMENT_VARIABLE_KEY_INVALID,
 * ENVIRONMENT_VARIABLE_VALUE_TOO_LONG) in secrets' own words. The recorded answers are
 * test/conformance/fixtures/core-api.ts's.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { coreApiRoutes, UnpagedQuery } from "../provider/client/platform/core-api";
import type { FieldError } from "../provider/client/schemas";
import { VARIABLE_KEY_PATTERN, VARIABLE_VALUE_MAX } from "../provider/client/schemas";
import { PlatosError, sendError, toPlatosError } from "./errors";
import { idempotencyKeyRequired } from "./plugins/idempotency";

/** transport-rest's TRANSPORT_REQUEST_INVALID body (request-invalid.ts). */
const REQUEST_INVALID = "This request could not be read as the operation expects.";

/** A zod issue as @fastify/type-provider-zod reports it (createValidationError). */
interface Issue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

const PART: Readonly<Record<string, string>> = { body: "body", querystring: "query", params: "params", headers: "headers" };

const present = (container: unknown, key: string | undefined): boolean =>
  key !== undefined && container !== null && typeof container === "object" && Object.prototype.hasOwnProperty.call(container, key);

/** One zod issue in core-api's words: `missing` when absent, `invalid`/`empty` when blank, `unsupported` when unknown. */
function fieldsOf(issue: Issue, part: string, input: unknown, unpaged: boolean): FieldError[] {
  const path = issue.instancePath.split("/").filter((segment) => segment.length > 0);
  const name = [part, ...path].join(".");
  const params = issue.params ?? {};
  switch (issue.keyword) {
    case "unrecognized_keys": {
      const keys = Array.isArray(params.keys) ? (params.keys as unknown[]).map(String) : [];
      const message = unpaged ? "This collection is not paged: it answers with every row." : "This field is not supported.";
      return keys.map((key) => ({ field: `${name}.${key}`, code: "unsupported", message }));
    }
    case "invalid_type": {
      const absent = path.length === 1 && !present(input, path[0]);
      const message =
        params.expected === "string" ? "Send a non-empty string." : params.expected === "array" ? "Send a list of values." : (issue.message ?? "is invalid");
      return [{ field: name, code: absent ? "missing" : "invalid", message }];
    }
    case "too_small":
      return params.origin === "array"
        ? [{ field: name, code: "empty", message: "Send at least one value, or omit the field." }]
        : params.origin === "string" && params.minimum === 1
          ? [{ field: name, code: "invalid", message: "Send a non-empty string." }]
          : [{ field: name, code: "invalid", message: issue.message ?? "is invalid" }];
    case "too_big":
      return [{ field: name, code: params.origin === "string" ? "max_length" : "invalid", message: issue.message ?? "is invalid" }];
    case "invalid_format":
      return [{ field: name, code: "pattern", message: issue.message ?? "is invalid" }];
    case "invalid_value": {
      const values = Array.isArray(params.values) ? (params.values as unknown[]).map(String) : undefined;
      const label = path.at(-1) ?? part;
      return [{ field: name, code: "unsupported", message: values ? `${label} must be one of: ${values.join(", ")}.` : (issue.message ?? "is invalid") }];
    }
    case "custom": {
      // A refinement names its own code (and, for a closed set, its values) in its params.
      const own = (params.params ?? {}) as { code?: unknown; values?: unknown };
      const code = typeof own.code === "string" ? own.code : "invalid";
      const values = Array.isArray(own.values) ? own.values.map(String) : undefined;
      const label = path.at(-1) ?? part;
      return [{ field: name, code, message: values ? `${label} must be one of: ${values.join(", ")}.` : (issue.message ?? "is invalid") }];
    }
    default:
      return [{ field: name, code: "invalid", message: issue.message ?? "is invalid" }];
  }
}

const requestInvalid = (fields: readonly FieldError[]) => new PlatosError("TRANSPORT_REQUEST_INVALID", REQUEST_INVALID, fields);

/**
 * The variable write (environment-variables.controller.ts, secrets' errors.ts): the validator names `body.value`
 * (`required`) and `body.secret`; an empty value is INVALID_SECRET_MATERIAL (no fields); the key's grammar and the
 * value's length are secrets' own refusals, fields named bare.
 */
function variableWrite(issues: readonly Issue[], context: string): PlatosError {
  if (context === "params") {
    return new PlatosError("ENVIRONMENT_VARIABLE_KEY_INVALID", "environment variable key is not acceptable", [
      { field: "key", code: "pattern", message: `must match ${VARIABLE_KEY_PATTERN.source}` },
    ]);
  }
  const onValue = (issue: Issue) => issue.instancePath === "/value";
  const malformed = issues.filter((issue) => !onValue(issue) || issue.keyword === "invalid_type");
  if (malformed.length > 0 || context !== "body") {
    return requestInvalid(
      malformed.flatMap((issue) =>
        onValue(issue)
          ? [{ field: "body.value", code: "required", message: "value is required and must be a string." }]
          : issue.instancePath === "/secret"
            ? [{ field: "body.secret", code: "invalid", message: "secret must be a boolean when present." }]
            : fieldsOf(issue, PART[context] ?? context, undefined, false),
      ),
    );
  }
  if (issues.some((issue) => issue.keyword === "too_small")) return new PlatosError("INVALID_SECRET_MATERIAL", "secret material is not acceptable");
  return new PlatosError("ENVIRONMENT_VARIABLE_VALUE_TOO_LONG", "environment variable value is too long", [
    { field: "value", code: "max_length", message: `must be at most ${VARIABLE_VALUE_MAX} characters` },
  ]);
}

function isValidation(error: unknown): error is FastifyError & { validation: Issue[]; validationContext?: string } {
  return typeof error === "object" && error !== null && Array.isArray((error as { validation?: unknown }).validation);
}

/** A validation failure on the core-api surface, in core-api's words. */
function coreApiValidationError(issues: readonly Issue[], context: string, request: FastifyRequest): PlatosError {
  const spec = request.routeOptions.config.spec;
  if (spec === coreApiRoutes.putCoreVariable) return variableWrite(issues, context);
  const part = PART[context] ?? context;
  const input = context === "body" ? request.body : context === "querystring" ? request.query : request.params;
  const unpaged = context === "querystring" && spec?.query === UnpagedQuery;
  return requestInvalid(issues.flatMap((issue) => fieldsOf(issue, part, input, unpaged)));
}

/**
 * What core-api refuses before it authenticates: a paging parameter on a whole collection (UNPAGED_QUERY_PIPE, a
 * parameter decorator Nest runs before the handler that authenticates) and a missing Idempotency-Key on a write that
 * requires one (an edge middleware, which Nest runs before pipes and handlers). Registered before the auth hook.
 */
export function coreApiEdgeChecks(api: FastifyInstance): void {
  api.addHook("onRequest", async (request) => {
    const { spec, idempotencyKey } = request.routeOptions.config;
    if (spec?.query === UnpagedQuery && request.query !== null && typeof request.query === "object") {
      const keys = Object.keys(request.query);
      if (keys.length > 0) throw requestInvalid(fieldsOf({ keyword: "unrecognized_keys", instancePath: "", params: { keys } }, "query", request.query, true));
    }
    if (idempotencyKey === "required" && request.headers["idempotency-key"] === undefined) throw idempotencyKeyRequired();
  });
}

/** The core-api surface's error handler: validation in core-api's words, everything else as errors.ts answers it. */
export function installCoreApiErrorHandler(api: FastifyInstance): void {
  api.setErrorHandler((error, request, reply) => {
    const platosError = isValidation(error)
      ? coreApiValidationError(error.validation, error.validationContext ?? "body", request)
      : toPlatosError(error, request);
    if (platosError.code === "INTERNAL_ERROR") request.log.error({ err: error }, "unhandled error");
    return sendError(reply, request, platosError);
  });
}
