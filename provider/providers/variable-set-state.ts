/**
 * What an EnvironmentVariables resource keeps in state, and the keys it owns. `versions` has one entry per owned
 * key (the server's kind and version as last seen, and the version this provider last wrote): its keys are what
 * the resource owns, so refresh, update and delete look at those keys only. The value maps hold each declared
 * value in the map it was declared in, and only there: `secrets` never holds a key the program's `secrets` input
 * does not, so the engine's per-key secret marking (and `additionalSecretOutputs`) covers every value in it.
 */
import type { VariableKind } from "../client/schemas";
import type { KeyVersion } from "../resources/public-shapes";
import type { PlatosVariable } from "../platos";
import type { DashboardLink } from "../runtime/dashboard-links";
import { VALUE_MAPS, type ValueMap, type VariableSetInputs } from "./variable-set-inputs";
import { givenFields } from "./inputs";

export type { KeyVersion } from "../resources/public-shapes";

export type VariableSetOutputs = VariableSetInputs & {
  readonly environmentId: string;
  readonly versions: Readonly<Record<string, KeyVersion>>;
} & DashboardLink;

/** A key as the program declares it: the map it is in says its kind. */
export interface DeclaredKey {
  readonly key: string;
  readonly kind: VariableKind;
  readonly value: string;
}

/** A key the resource owns: its version record, and its declared value when state holds one. */
export interface OwnedKey {
  readonly version: KeyVersion;
  readonly declared?: DeclaredKey;
}

/** The map a key of each kind is declared in: VALUE_MAPS the other way round. */
export const MAP_OF = Object.fromEntries(Object.entries(VALUE_MAPS).map(([map, kind]) => [kind, map])) as Record<VariableKind, ValueMap>;

const mapEntries = (inputs: Partial<Pick<VariableSetInputs, ValueMap>>) =>
  (Object.keys(VALUE_MAPS) as ValueMap[]).flatMap((map) =>
    Object.entries(inputs[map] ?? {}).map(([key, value]): DeclaredKey => ({ key, kind: VALUE_MAPS[map], value })),
  );

/** Every declared key; a key in both maps (refused by check) counts as SECRET. */
export function declaredKeys(inputs: Partial<Pick<VariableSetInputs, ValueMap>>): Map<string, DeclaredKey> {
  return new Map(mapEntries(inputs).map((declared) => [declared.key, declared]));
}

export function ownedKeysOf(outputs: Partial<VariableSetOutputs>): Map<string, OwnedKey> {
  const declared = declaredKeys(outputs);
  return new Map(
    Object.entries(outputs.versions ?? {}).map(([key, version]) => [key, { version, ...(declared.has(key) ? { declared: declared.get(key) } : {}) }]),
  );
}

/** The record of a version this provider takes as its own: one it just wrote, or one adopted holding the declared value. */
export const ownedVersion = (variable: PlatosVariable): KeyVersion => ({ kind: variable.kind, version: variable.version, writtenVersion: variable.version });

/**
 * The owned keys as Platos holds them now: a key gone from Platos is no longer owned (the next up writes it again
 * if it is still declared); a PLAIN value is Platos's (the declared value wins on the next up); a SECRET keeps the
 * declared value, since Platos never returns one, and its rotation shows as `version` past `writtenVersion`.
 */
export function refreshedKeys(owned: ReadonlyMap<string, OwnedKey>, live: ReadonlyMap<string, PlatosVariable>): Map<string, OwnedKey> {
  const refreshed = new Map<string, OwnedKey>();
  for (const [key, { version, declared }] of owned) {
    const variable = live.get(key);
    if (!variable) continue;
    const seen: KeyVersion = { kind: variable.kind, version: variable.version, writtenVersion: version.writtenVersion };
    const value = declared?.kind === "PLAIN" && variable.kind === "PLAIN" ? (variable.value ?? declared.value) : declared?.value;
    refreshed.set(key, { version: seen, ...(declared && value !== undefined ? { declared: { ...declared, value } } : {}) });
  }
  return refreshed;
}

export function toOutputs(inputs: VariableSetInputs, environmentId: string, owned: ReadonlyMap<string, OwnedKey>, link: DashboardLink): VariableSetOutputs {
  const maps: Record<ValueMap, Record<string, string>> = { variables: {}, secrets: {} };
  const versions: Record<string, KeyVersion> = {};
  for (const [key, { version, declared }] of [...owned].sort(([a], [b]) => a.localeCompare(b))) {
    versions[key] = version;
    if (declared) maps[MAP_OF[declared.kind]][key] = declared.value;
  }
  return {
    project: inputs.project,
    environment: inputs.environment,
    ...maps,
    ...givenFields(inputs, ["rotation", "adopt", "declaredBy"]),
    environmentId,
    versions,
    ...link,
  };
}

/** The inputs a refresh hands back, so later diffs start from what Platos holds. */
export function inputsOf({ environmentId: _e, versions: _v, dashboardUrl: _d, ...inputs }: VariableSetOutputs): VariableSetInputs {
  return inputs;
}
