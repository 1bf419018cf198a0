/**
 * A SECRET rotated outside Pulumi (in the dashboard, or straight through the API) is kept. The provider writes a
 * secret only when the program's declared value, `secret` or the `rotation` counter changed since it last wrote
 * it: state already holds that last-written declared value (a Pulumi secret, as every secret output is), so diff
 * compares it with the program's and nothing more is stored. The server's `version` moving past `writtenVersion`
 * is how a rotation is told; refresh and preview say so, naming the variable, never its value.
 */
import { z } from "zod";
import { noticeOnce } from "../runtime/notices";

/** Change it (e.g. bump it by one) to write the declared secret value(s) although they did not change; absent counts as 0. */
export const RotationCounter = z.number().int().min(0).optional();

export interface VariableVersions {
  readonly project: string;
  readonly environment: string;
  readonly key: string;
  readonly kind: "PLAIN" | "SECRET";
  readonly version: number;
  readonly writtenVersion: number;
}

/** A PLAIN value's drift is in the value itself, and the declared value wins. */
export function rotatedOutside(variable: VariableVersions): boolean {
  // Both are numbers in any state this provider wrote; the check keeps a malformed one from reading as a rotation.
  return variable.kind === "SECRET" && typeof variable.writtenVersion === "number" && variable.version !== variable.writtenVersion;
}

/** An absent counter is 0, so adding `rotation: 0` to an existing variable writes nothing. */
export function withRotationCounted<T extends Record<string, unknown>>(raw: T): T {
  return { ...raw, rotation: raw.rotation ?? 0 };
}

export type RotationOutcome = "kept" | "overwritten";

const OUTCOMES: Record<RotationOutcome, string> = {
  kept: "`pulumi up` keeps it; to write the declared value again, change it or bump `rotation`",
  overwritten: "its declared inputs changed, so this update writes the declared value over it",
};

/** `declaredBy` says which resource owns the variable, e.g. "EnvironmentVariables key". */
export function sayRotatedOutside(variable: VariableVersions, outcome: RotationOutcome, declaredBy = "EnvironmentVariable"): void {
  const which = `${declaredBy} ${variable.key} in environment "${variable.environment}" of project "${variable.project}"`;
  noticeOnce(
    `Platos: ${which} was rotated outside Pulumi (Platos holds version ${variable.version}, Pulumi last wrote version ${variable.writtenVersion}): ${OUTCOMES[outcome]}.`,
  );
}
