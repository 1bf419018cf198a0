/**
 * How a protocol says what it cannot do: at `check` time as a failure on the field, and at a step (when the
 * value was unknown at preview, or only the server can tell) as a ProtocolLimitError. Both read
 * "<limitation>. Way out: <way out>", so the user learns what Platos refuses and what to do instead.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";

export interface Limitation {
  /** What Platos cannot do, e.g. "real Platos cannot rename an environment". */
  readonly limitation: string;
  /** What the user can do instead, e.g. "leave `name` unset". */
  readonly wayOut: string;
}

const sentence = ({ limitation, wayOut }: Limitation) => `${limitation}. Way out: ${wayOut}`;

/** The property is reported beside the reason (Pulumi prints "property 'secret' … has a problem: <reason>"), so the reason does not repeat it. */
export function limitFailure(property: string, limit: Limitation): CheckFailure {
  return { property, reason: sentence(limit) };
}

const BRAND = "platos.protocol-limit";

/** A step the configured protocol cannot carry out. `cause` is the API's refusal, when there was one. */
export class ProtocolLimitError extends Error {
  override readonly name = "ProtocolLimitError";
  readonly brand = BRAND;
  readonly code = "PROTOCOL_LIMIT";

  constructor(
    readonly limit: Limitation,
    options?: { cause?: unknown },
  ) {
    super(sentence(limit), options);
  }
}

export function isProtocolLimit(err: unknown): err is ProtocolLimitError {
  return typeof err === "object" && err !== null && (err as { brand?: unknown }).brand === BRAND;
}
