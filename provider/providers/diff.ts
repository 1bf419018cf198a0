/**
 * The diff every Platos resource shares: fields in `replaceOn` force a replacement, the other compared fields
 * update in place. An unknown value counts as a change, and as a possible replacement when it is a replace trigger.
 *
 * Replacements create the new object first and delete the old one last (the engine defers that delete to the end
 * of the update, after every dependent has moved), as the Platos docs advise for a rename: the old environment
 * keeps its variables until the new one has them. A replacement always changes the natural key (project +
 * environment + key or slug), so the new object never collides with the old one; on real Platos, where agent slugs
 * are project-wide, a create under a taken slug fails with the old agent still in place, which deleting first would
 * not have avoided (a deleted agent's slug stays taken there).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { isDeepStrictEqual } from "node:util";
import { isUnknown } from "./inputs";

export interface DiffPlan<T> {
  readonly replaceOn: readonly (keyof T & string)[];
  readonly updateOn: readonly (keyof T & string)[];
}

export function planDiff<T>(
  plan: DiffPlan<T>,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  extraChanges: readonly string[] = [],
): dynamic.DiffResult {
  const differs = (field: keyof T & string) => isUnknown(news[field]) || !isDeepStrictEqual(olds[field], news[field]);
  const replaces = plan.replaceOn.filter(differs);
  const changed = [...new Set([...replaces, ...plan.updateOn.filter(differs), ...extraChanges])];
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: false,
  };
}
