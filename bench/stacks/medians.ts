/**
 * The median of several runs' figures, field by field: numbers take their median, maps and objects are taken
 * apart key by key (a key a run lacks counts as absent there), anything else is the first run's.
 */
import { median } from "./markdown";

export function medianOf<T>(values: readonly T[]): T {
  const present = values.filter((value) => value !== undefined);
  const [first] = present;
  if (first === undefined) return undefined as T;
  if (typeof first === "number") return median(present as number[]) as T;
  if (first instanceof Map) {
    const maps = present as Map<unknown, unknown>[];
    const keys = [...new Set(maps.flatMap((map) => [...map.keys()]))];
    return new Map(keys.map((key) => [key, medianOf(maps.map((map) => map.get(key)))])) as T;
  }
  if (typeof first === "object" && first !== null && !Array.isArray(first)) {
    const objects = present as Record<string, unknown>[];
    const keys = [...new Set(objects.flatMap((object) => Object.keys(object)))];
    return Object.fromEntries(keys.map((key) => [key, medianOf(objects.map((object) => object[key]))])) as T;
  }
  return first;
}
