/**
 * The diff every Platos resource shares: fields in `replaceOn` force a delete-first replacement (natural keys are
 * unique on the server, so the twin could not be created first); the other compared fields update in place.
 * An unknown value counts as a change, and as a possible replacement when it is a replace trigger.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { isDeepStrictEqual } from "node:util";
import { isUnknown } from "./inputs";

export interface DiffPlan<T> {
  readonly replaceOn: readonly (keyof T & string)[];
  readonly updateOn: readonly (keyof T & string)[];
}

export function planDiff<T>(plan: DiffPlan<T>, olds: Record<string, unknown>, news: Record<string, unknown>, extraChanges: readonly string[] = []): dynamic.DiffResult {
  const differs = (field: keyof T & string) => isUnknown(news[field]) || !isDeepStrictEqual(olds[field], news[field]);
  const replaces = plan.replaceOn.filter(differs);
  const changed = [...new Set([...replaces, ...plan.updateOn.filter(differs), ...extraChanges])];
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0,
  };
}
