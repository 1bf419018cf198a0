/**
 * Text PostgreSQL cannot store: its `text` type refuses U+0000, and a lone UTF-16 surrogate has no UTF-8 encoding.
 * Either would reach the store and fail there as a 500; the request boundary refuses it instead (400 on the REST
 * surfaces, -32602 on the platform gateway), before anything is written.
 */

/** A string PostgreSQL cannot hold, where it was found, and why. */
export interface UnstorableText {
  /** Dotted path inside the checked value (`config.prompt`, `tags[1]`); "" for the value itself. */
  readonly path: string;
  readonly message: string;
}

const NUL = "\u0000";
/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function problemOf(text: string): string | undefined {
  if (text.includes(NUL)) return "must not contain U+0000 (NUL): PostgreSQL text cannot store it";
  if (LONE_SURROGATE.test(text)) return "must not contain an unpaired UTF-16 surrogate: it has no UTF-8 encoding";
  return undefined;
}

const join = (path: string, name: string): string => (path === "" ? name : `${path}.${name}`);

/** Every unstorable string in a parsed JSON value (object keys included), in document order. */
export function findUnstorableText(value: unknown, path = ""): UnstorableText[] {
  if (typeof value === "string") {
    const message = problemOf(value);
    return message ? [{ path, message }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => findUnstorableText(item, `${path}[${index}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([name, item]) => {
    const keyProblem = problemOf(name);
    // A bad property name is reported at its object: the name itself cannot be shown.
    return keyProblem ? [{ path, message: `has a property name that ${keyProblem}` }] : findUnstorableText(item, join(path, name));
  });
}
