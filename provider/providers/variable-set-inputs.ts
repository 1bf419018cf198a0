/**
 * The inputs of `platos:EnvironmentVariables` and their check. The two maps are checked entry by entry with the
 * wire schemas of one variable (VariableKey, VariableValue), so every bad entry is reported at once, named by map
 * and key; a value unknown during preview leaves the rest of its map checkable. No failure ever holds a value.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import { Slug, VariableKey, VariableValue, type VariableKind } from "../client/schemas";
import { DeclaredBy } from "./declared-by";
import { Adopt, ProjectRef } from "./environment";
import { checkInputs, failure, isUnknown, UNKNOWN, type Checked, type Raw } from "./inputs";
import { RotationCounter } from "./secret-rotation";
import type { ProductionRule } from "../rules/production";
import { testModeFailuresAt, type DeclaredValue } from "./variable-test-mode";

export const VariableSetScalars = z.object({
  project: ProjectRef,
  /** Slug of the environment the variables belong to. */
  environment: Slug,
  /** Bumping it writes every declared secret again (a secret rotated outside Pulumi is otherwise kept). */
  rotation: RotationCounter,
  adopt: Adopt,
  declaredBy: DeclaredBy,
});

/** The maps of key → value, and the kind each one writes. */
export const VALUE_MAPS = { variables: "PLAIN", secrets: "SECRET" } as const satisfies Record<string, VariableKind>;
export type ValueMap = keyof typeof VALUE_MAPS;
const MAP_NAMES = Object.keys(VALUE_MAPS) as ValueMap[];

export type ValuesByKey = Readonly<Record<string, string>>;

export type VariableSetInputs = z.infer<typeof VariableSetScalars> & { readonly [M in ValueMap]: ValuesByKey };

/** A map as check found it: its entries (values may be the unknown sentinel), or the sentinel for a map unknown as a whole. */
type CheckedMap = { readonly value: ValuesByKey | typeof UNKNOWN; readonly failures: dynamic.CheckFailure[] };

function isMap(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw);
}

function checkMap(name: ValueMap, raw: unknown): CheckedMap {
  if (raw === undefined) return { value: {}, failures: [] };
  if (raw === UNKNOWN) return { value: UNKNOWN, failures: [] };
  if (!isMap(raw)) return { value: {}, failures: [failure(name, `${name} must be a map of variable key to value`)] };
  const failures = Object.entries(raw).flatMap(([key, value]) => {
    const property = `${name}.${key}`;
    const keyIssues = VariableKey.safeParse(key).error?.issues ?? [];
    const keyFailures = keyIssues.map((issue) => failure(property, `${name} key ${JSON.stringify(key)} ${issue.message}`));
    if (isUnknown(value)) return keyFailures;
    if (typeof value !== "string") return [...keyFailures, failure(property, `${property} must be a string`)];
    const valueIssues = VariableValue.safeParse(value).error?.issues ?? [];
    return [...keyFailures, ...valueIssues.map((issue) => failure(property, `${property} ${issue.message}`))];
  });
  return { value: raw as ValuesByKey, failures };
}

/** A key is PLAIN or SECRET, never both. */
function clashFailures(variables: CheckedMap["value"], secrets: CheckedMap["value"]): dynamic.CheckFailure[] {
  if (variables === UNKNOWN || secrets === UNKNOWN) return [];
  return Object.keys(secrets)
    .filter((key) => Object.hasOwn(variables, key))
    .map((key) => failure(`secrets.${key}`, `${key} is in both variables and secrets: a key is either PLAIN or SECRET, so declare it in one of them`));
}

function testModeFailures(
  maps: Record<ValueMap, CheckedMap>,
  where: Pick<DeclaredValue, "environment" | "declaredBy">,
  rule: ProductionRule,
): dynamic.CheckFailure[] {
  return MAP_NAMES.flatMap((name) => {
    const values = maps[name].value;
    if (values === UNKNOWN) return [];
    return Object.entries(values).flatMap(([key, value]) => testModeFailuresAt(`${name}.${key}`, { key, value, ...where }, rule));
  });
}

/** The guard over a set's keys as `create` and `update` are given them (known values). */
export function variableSetTestModeFailures(
  inputs: Pick<VariableSetInputs, "variables" | "secrets" | "environment" | "declaredBy">,
  rule: ProductionRule,
): dynamic.CheckFailure[] {
  const where = { environment: inputs.environment, declaredBy: inputs.declaredBy };
  return MAP_NAMES.flatMap((name) =>
    Object.entries(inputs[name] ?? {}).flatMap(([key, value]) => testModeFailuresAt(`${name}.${key}`, { key, value, ...where }, rule)),
  );
}

export function checkVariableSet(news: Raw, rule: ProductionRule): Checked<VariableSetInputs> {
  const { variables, secrets, ...scalars } = news;
  const checked = checkInputs(VariableSetScalars, scalars);
  const maps = { variables: checkMap("variables", variables), secrets: checkMap("secrets", secrets) };
  const failures = [
    ...checked.failures,
    ...maps.variables.failures,
    ...maps.secrets.failures,
    ...clashFailures(maps.variables.value, maps.secrets.value),
    ...testModeFailures(maps, { environment: news.environment, declaredBy: news.declaredBy }, rule),
  ];
  return { inputs: { ...checked.inputs, variables: maps.variables.value, secrets: maps.secrets.value } as VariableSetInputs, failures };
}

/** The keys declared PLAIN, once the `variables` map is known (its values need not be). */
export function plainKeysOf(inputs: VariableSetInputs): string[] | undefined {
  return isMap(inputs.variables) ? Object.keys(inputs.variables) : undefined;
}
