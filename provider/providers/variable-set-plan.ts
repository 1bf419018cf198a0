/**
 * Which keys an update of an EnvironmentVariables resource writes and deletes, from state and the declared maps
 * alone (diff asks Platos nothing). A declared key is written when it is new to the resource (or gone from Platos
 * since), its value or kind differs from what state holds, or, for a SECRET, the `rotation` counter changed. So a
 * PLAIN value drifted on the server is set back (state holds the server's value after a refresh), while a SECRET
 * rotated outside Pulumi is kept unless its declared value changed (secret-rotation.ts). An owned key no longer
 * declared is deleted; keys the resource does not own are never looked at.
 */
import { isUnknown } from "./inputs";
import { rotatedOutside, withRotationCounted, type RotationOutcome } from "./secret-rotation";
import type { VariableSetInputs } from "./variable-set-inputs";
import { declaredKeys, MAP_OF, type DeclaredKey, type KeyVersion, type VariableSetOutputs } from "./variable-set-state";

export interface RotatedKey {
  readonly key: string;
  readonly version: KeyVersion;
  /** Whether this plan writes the declared value over the outside rotation. */
  readonly outcome: RotationOutcome;
}

export interface KeyPlan {
  readonly writes: readonly DeclaredKey[];
  readonly deletes: readonly string[];
  readonly rotated: readonly RotatedKey[];
}

/** The plan, or undefined while a whole map is unknown (preview): then anything may change. */
export function planKeys(olds: Partial<VariableSetOutputs>, news: VariableSetInputs): KeyPlan | undefined {
  if ([news.variables, news.secrets].some((map) => typeof map !== "object")) return undefined;
  const declared = declaredKeys(news);
  const versions = olds.versions ?? {};
  const rotationChanged = withRotationCounted(olds).rotation !== withRotationCounted(news).rotation;

  const needsWrite = ({ key, kind, value }: DeclaredKey): boolean => {
    const version = versions[key];
    if (version === undefined || isUnknown(value) || version.kind !== kind) return true;
    if (olds[MAP_OF[kind]]?.[key] !== value) return true;
    return kind === "SECRET" && rotationChanged;
  };

  const writes = [...declared.values()].filter(needsWrite);
  const deletes = Object.keys(versions).filter((key) => !declared.has(key));
  return { writes, deletes, rotated: rotatedKeys(olds, news, new Set(writes.map((write) => write.key))) };
}

/** The declared SECRETs whose version in `state` moved past the one last written, and whether `written` overwrites them. */
export function rotatedKeys(state: Partial<VariableSetOutputs>, news: VariableSetInputs, written: ReadonlySet<string>): RotatedKey[] {
  return Object.keys(news.secrets).flatMap((key): RotatedKey[] => {
    const version = state.versions?.[key];
    if (version === undefined) return [];
    const seen = { project: news.project, environment: news.environment, key, ...version };
    return rotatedOutside(seen) ? [{ key, version, outcome: written.has(key) ? "overwritten" : "kept" }] : [];
  });
}

export const isEmptyPlan = (plan: KeyPlan): boolean => plan.writes.length === 0 && plan.deletes.length === 0;
