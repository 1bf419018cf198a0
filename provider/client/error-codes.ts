/** Every WireError code this project speaks, with its title; the title fixes the HTTP status. */
import type { ErrorTitle } from "./schemas";

export const STATUS_OF_TITLE: Record<ErrorTitle, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export const ERROR_CODES = {
  TRANSPORT_ROUTE_NOT_FOUND: "not_found",
  TRANSPORT_REQUEST_INVALID: "invalid_input",
  UNAUTHENTICATED: "unauthenticated",
  /** core-api: the operator session was found and has lapsed (identity-access session.ts, errors.ts sessionExpired). */
  SESSION_EXPIRED: "unauthenticated",
  TENANCY_ENVIRONMENT_FORBIDDEN: "forbidden",
  TENANCY_NOT_FOUND: "not_found",
  TENANCY_INVALID_SLUG: "invalid_input",
  TENANCY_INVALID_NAME: "invalid_input",
  TENANCY_SLUG_TAKEN: "conflict",
  IDEMPOTENCY_KEY_MALFORMED: "invalid_input",
  IDEMPOTENCY_REQUEST_MISMATCH: "conflict",
  IDEMPOTENCY_KEY_REQUIRED: "invalid_input",
  CREDENTIAL_MATERIAL_INVALID: "invalid_input",
  CREDENTIAL_NOT_FOUND: "not_found",
  APPROVAL_NOT_FOUND: "not_found",
  APPROVAL_NOT_PENDING: "conflict",
  ENVIRONMENT_VARIABLE_UNAVAILABLE: "not_found",
  ENVIRONMENT_VARIABLE_KEY_INVALID: "invalid_input",
  ENVIRONMENT_VARIABLE_VALUE_REQUIRED: "invalid_input",
  ENVIRONMENT_VARIABLE_VALUE_TOO_LONG: "invalid_input",
  ENVIRONMENT_VARIABLE_VERSION_CONFLICT: "conflict",
  /** core-api: a variable value secrets will not accept (an empty one); secrets' errors.ts invalidSecretMaterial. */
  INVALID_SECRET_MATERIAL: "invalid_input",
  AGENTS_AGENT_NOT_FOUND: "not_found",
  AGENTS_AGENT_ALREADY_EXISTS: "conflict",
  AGENTS_AGENT_METADATA_INVALID: "invalid_input",
  PROVIDER_KEY_NOT_FOUND: "not_found",
  PROVIDER_KEY_ALREADY_EXISTS: "conflict",
  PROVIDER_KEY_INVALID: "invalid_input",
  PROVIDER_KEY_CREDENTIAL_UNAVAILABLE: "invalid_input",
  PROVIDER_KEY_PINNED: "conflict",
  RATE_LIMITED: "rate_limited",
  SERVICE_UNAVAILABLE: "unavailable",
  INTERNAL_ERROR: "internal",
} as const satisfies Record<string, ErrorTitle>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function titleOf(code: ErrorCode): ErrorTitle {
  return ERROR_CODES[code];
}

export function statusOf(code: ErrorCode): number {
  return STATUS_OF_TITLE[ERROR_CODES[code]];
}
