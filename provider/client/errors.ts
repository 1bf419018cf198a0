/**
 * The client's errors. Only `fromResponse` builds a PlatosApiError; nothing here keeps request headers, request
 * bodies or tokens, so an error can be logged or serialised as it is. Guards check a brand instead of
 * `instanceof`, since the provider may be loaded twice (from node_modules by the host and from source in tests).
 */
import { STATUS_OF_TITLE } from "./error-codes";
import type { ErrorTitle, FieldError, WireError } from "./schemas";

const BRAND = "platos.error";

abstract class PlatosError extends Error {
  readonly brand = BRAND;
  /** A WireError code, or one of the client's own TRANSPORT_* / CONTRACT_* codes. */
  abstract readonly code: string;
}

/** What a refusal says, whichever protocol carried it (a WireError is one). */
export interface ApiFailure {
  readonly code: string;
  readonly title: ErrorTitle;
  readonly body: string;
  readonly errorId?: string;
  readonly fields?: readonly FieldError[];
  readonly retryAfterSec?: number;
}

export class PlatosApiError extends PlatosError {
  override readonly name = "PlatosApiError";
  readonly code: string;
  readonly status: number;
  readonly title: ErrorTitle;
  readonly errorId: string;
  readonly fields: readonly FieldError[];
  readonly retryAfterSec: number | undefined;
  /** e.g. `PUT /api/v1/environments/:environmentId/variables/:key` — the template, so no ids or values leak. */
  readonly operation: string;

  /** `answer` says how the refusal came, e.g. `409 TENANCY_SLUG_TAKEN` or `domain error slug_taken`. */
  constructor(operation: string, status: number, failure: ApiFailure, answer = `${status} ${failure.code}`) {
    const fieldText = (failure.fields ?? []).map((f) => `${f.field}: ${f.message} (${f.code})`).join("; ");
    super(`${operation} failed with ${answer}: ${failure.body}${fieldText ? ` [${fieldText}]` : ""}${failure.errorId ? ` (errorId ${failure.errorId})` : ""}`);
    this.operation = operation;
    this.status = status;
    this.code = failure.code;
    this.title = failure.title;
    this.errorId = failure.errorId ?? "";
    this.fields = failure.fields ?? [];
    this.retryAfterSec = failure.retryAfterSec;
  }
}

export type TransportErrorCode = "TRANSPORT_DEADLINE_EXCEEDED" | "TRANSPORT_CONNECTION_FAILED" | "CONTRACT_RESPONSE_INVALID" | "CONTRACT_STATUS_UNEXPECTED";

/** No usable answer: sockets, deadlines, or a reply that breaks the contract. */
export class PlatosTransportError extends PlatosError {
  override readonly name = "PlatosTransportError";
  constructor(
    readonly code: TransportErrorCode,
    readonly operation: string,
    readonly detail: string,
    readonly attempts: number,
  ) {
    super(`${operation}: ${detail}`);
  }
}

export function fromResponse(operation: string, status: number, wire: WireError): PlatosApiError {
  return new PlatosApiError(operation, status, wire);
}

/**
 * A refusal that came without a WireError (the platform gateway's JSON-RPC errors and `{error}` results): its
 * status is the one its title stands for, so the guards below treat it like the same refusal over V1.
 */
export function fromRefusal(operation: string, answer: string, failure: ApiFailure): PlatosApiError {
  return new PlatosApiError(operation, STATUS_OF_TITLE[failure.title], failure, answer);
}

export function isPlatosError(err: unknown): err is PlatosApiError | PlatosTransportError {
  return typeof err === "object" && err !== null && (err as { brand?: unknown }).brand === BRAND;
}

export function isApiError(err: unknown): err is PlatosApiError {
  return isPlatosError(err) && (err as { status?: unknown }).status !== undefined;
}

const hasTitle = (title: ErrorTitle) => (err: unknown) => isApiError(err) && err.title === title;

export const isNotFound = hasTitle("not_found");
export const isConflict = hasTitle("conflict");
export const isInvalidInput = hasTitle("invalid_input");
export const isUnauthenticated = hasTitle("unauthenticated");
export const isForbidden = hasTitle("forbidden");
export const isRateLimited = hasTitle("rate_limited");
export const isUnavailable = hasTitle("unavailable");

export function hasCode(err: unknown, code: string): boolean {
  return isPlatosError(err) && err.code === code;
}
