/**
 * Credentials never leave the provider in an error: every credential this process sends (platos:token,
 * platos:operatorToken, and each `plt_mcp_` token it minted) is remembered here, and `redact` replaces each, and
 * anything shaped like a credential, with `[token]`. A server that reflects the Authorization header into its error
 * would otherwise put the token into the message the user sees, and so into CI logs.
 *
 * Shapes: Platos mints `plt_mcp_` + base64url of 32 random bytes (apps/agent/src/mcp-platform/token.service.ts@28b7cfa6,
 * `mint`); other Platos bearers share the `plt_` prefix (`plt_ent_`, the V1 contract's `plt_`); the operator session
 * token is opaque, so only its configured value finds it; a session-token JWT is `eyJ…`.`…`.`…`.
 */

export const REDACTED = "[token]";

/**
 * Values shorter than this are not searched for: they would replace ordinary words ("operator" in every message once
 * a test used it as a token). Real tokens are far longer: a `plt_mcp_` token is 51 characters, a session longer.
 */
const MIN_CREDENTIAL_LENGTH = 16;

const credentials = new Set<string>();

/** Remembers a credential this process holds, so `redact` finds it verbatim wherever a server echoes it. */
export function rememberCredential(value: string | undefined): void {
  if (value !== undefined && value.length >= MIN_CREDENTIAL_LENGTH) credentials.add(value);
}

const LOOKS_LIKE_CREDENTIAL: readonly [RegExp, string][] = [
  [/\bBearer\s+(?![<[])[^\s"',;)\]}]+/gi, `Bearer ${REDACTED}`],
  [/\bplt_[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
];

/** `text` with every remembered credential, and anything that looks like one, replaced by `[token]`. */
export function redact(text: string, extra: readonly string[] = []): string {
  let out = text;
  // Longest first: a credential that contains another is replaced whole.
  const known = [...credentials, ...extra.filter((value) => value.length >= MIN_CREDENTIAL_LENGTH)].sort((a, b) => b.length - a.length);
  for (const value of known) if (out.includes(value)) out = out.split(value).join(REDACTED);
  for (const [pattern, replacement] of LOOKS_LIKE_CREDENTIAL) out = out.replace(pattern, replacement);
  return out;
}

/** How deep a cause chain is followed; a cycle stops earlier. */
const MAX_CAUSES = 16;

/**
 * Redacts an error in place before it leaves the provider: its message and stack (the stack repeats the message),
 * every string it carries (a transport error's `detail`), its field errors' messages (server text), and the same for
 * each error of its cause chain. In place, so the typed errors keep their class and guards (`isConflict`).
 */
export function redactError<E>(err: E, extra: readonly string[] = []): E {
  const seen = new Set<unknown>();
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && !seen.has(current) && depth < MAX_CAUSES; depth++) {
    seen.add(current);
    scrub(current, extra);
    current = current.cause;
  }
  return err;
}

function scrub(error: Error, extra: readonly string[]): void {
  const fields = error as unknown as Record<string, unknown>;
  for (const name of new Set([...Object.getOwnPropertyNames(error), "message", "stack"])) {
    const value = fields[name];
    if (typeof value === "string") fields[name] = redact(value, extra);
    else if (Array.isArray(value)) fields[name] = value.map((entry) => scrubbedEntry(entry, extra));
  }
}

/** A field error `{field, code, message}` from a server: its strings redacted. */
function scrubbedEntry(entry: unknown, extra: readonly string[]): unknown {
  if (typeof entry === "string") return redact(entry, extra);
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return entry;
  return Object.fromEntries(Object.entries(entry).map(([key, value]) => [key, typeof value === "string" ? redact(value, extra) : value]));
}

/** For tests: a new provider process holds no credential yet. */
export function forgetCredentials(): void {
  credentials.clear();
}
