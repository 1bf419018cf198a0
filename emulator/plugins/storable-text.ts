/**
 * Refuses, before validation and before anything is written, a request whose path parameters, query or JSON body
 * hold text PostgreSQL cannot store (unstorable-text.ts): 400 naming the field (code `unstorable_text`) instead of
 * the 500 the store would raise. The error code is the one the route gives any other problem with that field of the
 * body or path (TENANCY_INVALID_SLUG for a slug, ENVIRONMENT_VARIABLE_KEY_INVALID for a key), else
 * TRANSPORT_REQUEST_INVALID, as errors.ts `fromValidation` chooses it.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ErrorCode } from "../../provider/client/error-codes";
import type { FieldError } from "../../provider/client/schemas";
import { PlatosError } from "../errors";
import { findUnstorableText } from "../unstorable-text";

const PARTS = ["params", "query", "body"] as const;
type Part = (typeof PARTS)[number];

function fieldErrors(request: FastifyRequest, part: Part): FieldError[] {
  return findUnstorableText(request[part]).map(({ path, message }) => ({ field: path === "" ? part : path, code: "unstorable_text", message }));
}

/** The route's code for a problem with `field` (its first segment), as `fromValidation` picks it. */
function codeFor(request: FastifyRequest, part: Part, field: string): ErrorCode {
  const top = field.split(/[.[]/)[0] ?? field;
  const fieldCode = part === "query" ? undefined : request.routeOptions.config.spec?.fieldCodes?.[top];
  return fieldCode ?? "TRANSPORT_REQUEST_INVALID";
}

export function storableTextPlugin(api: FastifyInstance): void {
  api.addHook("preValidation", async (request) => {
    for (const part of PARTS) {
      const fields = fieldErrors(request, part);
      const first = fields[0];
      if (first) throw new PlatosError(codeFor(request, part, first.field), `invalid ${part} (${first.field}: ${first.message})`, fields);
    }
  });
}
