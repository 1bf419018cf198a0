/**
 * Reading resource inputs the way a fail-closed policy needs them. During preview a computed input is the engine's
 * unknown sentinel; @pulumi/policy's proxy throws `UnknownValueError` on touching one, and the SDK turns that into
 * an *advisory* "can't run during preview", so a mandatory policy would pass a CI preview it cannot vouch for.
 * Every policy here reads through `readInput`, which turns unknowns into data, and reports them through `failClosed`.
 */
import { unknownCheckingProxy, UnknownValueError, type ReportViolation } from "@pulumi/policy";

/** One input at a dotted path: its value, or the fact that it is not known yet. */
export type Input = KnownInput | UnknownInput;
export interface KnownInput {
  readonly path: string;
  readonly known: true;
  readonly value: unknown;
}
export interface UnknownInput {
  readonly path: string;
  readonly known: false;
}

/**
 * Reads `props[path[0]][path[1]]...`. Works on the SDK's proxied props and on plain objects alike (the check is the
 * SDK's own proxy, so every unknown sentinel it knows is caught). A missing step gives a known `undefined`.
 */
export function readInput(props: object, path: readonly string[]): Input {
  const dotted = path.join(".");
  try {
    let node: unknown = unknownCheckingProxy(props);
    for (const key of path) node = isObject(node) ? node[key] : undefined;
    return { path: dotted, known: true, value: node };
  } catch (err) {
    if (err instanceof UnknownValueError) return { path: dotted, known: false };
    throw err;
  }
}

/** The input's value if it is a known string. */
export function knownString(input: Input): string | undefined {
  return input.known && typeof input.value === "string" ? input.value : undefined;
}

/**
 * The single place the pack fails closed: reports a violation (at the policy's own enforcement level) naming the
 * input that is unknown during preview and what could not be proven because of it.
 */
export function failClosed(reportViolation: ReportViolation, input: UnknownInput, unproven: string): void {
  reportViolation(
    `\`${input.path}\` is not known during preview (it is computed from another resource's output), so ${unproven}. ` +
      "This policy fails closed on unknown values: set the input from a literal or stack config so it is known at preview.",
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
