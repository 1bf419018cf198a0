/**
 * The approval gate's view of arguments. Platos redacts values under secret-looking keys (`abcd…<redacted>`, or
 * `<redacted>` for short or non-string values) and identifies a call by a hash of the result. The emulator keeps
 * that identity (as an HMAC, like its other fingerprints, so nothing of it is stored in clear), but what it shows
 * and stores in clear is redacted whole: not even a secret's first characters, and `value` too, since
 * environments.set_secret's value does not match Platos's key rule.
 */
import { canonicalJson } from "../../provider/client/canonical-json";

const SECRET_KEY = /(api[_-]?key|secret|token|password|passphrase|client[_-]?secret|signing[_-]?key|webhook[_-]?secret|authorization)/i;
const SHOWN_SECRET_KEY = new RegExp(`${SECRET_KEY.source}|^value$`, "i");

const REDACTED = "<redacted>";

/** Platos's rule, which keeps the first four characters: only ever hashed here. */
const redactAsPlatos = (value: unknown): unknown => (typeof value === "string" && value.length > 4 ? `${value.slice(0, 4)}…${REDACTED}` : REDACTED);

function redactWith(rule: RegExp, redact: (value: unknown) => unknown, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => redactWith(rule, redact, item));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, rule.test(key) ? redact(item) : redactWith(rule, redact, item)]),
    );
  }
  return value;
}

/** What identifies a call to the gate: its redacted arguments as canonical JSON (hashed by the store). */
export const callIdentity = (args: Record<string, unknown>): string => canonicalJson(redactWith(SECRET_KEY, redactAsPlatos, args));

/** Arguments as approvals.get shows them and the approval row keeps them in clear. */
export const shownArgs = (args: Record<string, unknown>): Record<string, unknown> =>
  redactWith(SHOWN_SECRET_KEY, () => REDACTED, args) as Record<string, unknown>;
