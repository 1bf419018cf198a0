/**
 * Applying an EnvironmentVariables plan: every write and delete is started at once (the client's pacer and
 * connection slots decide how many are in flight) and each one settles on its own, so a failure of one key leaves
 * the others done. What was done is kept: a step that failed part-way throws the engine's "partially failed" error
 * (an `id` and `properties`, ErrorResourceInitFailed on the wire), so state records the keys written and deleted and
 * the next `up` retries only the rest. A key new to the resource that another party created between the list and
 * the write (variable-set-race.ts) counts as failed and is not written into state. Messages name keys and
 * Platos's errors, never a value.
 */
import type { PlatosVariable } from "../platos";
import { providerContext } from "../runtime/context";
import { watchingResends } from "../runtime/resend-watch";
import { overtakenReason, overtookAnotherCreate } from "./variable-set-race";
import { ownedVersion, type DeclaredKey, type OwnedKey, type VariableSetOutputs } from "./variable-set-state";

export interface KeyFailure {
  readonly key: string;
  readonly action: "write" | "delete";
  readonly reason: string;
}

export interface KeyOutcomes {
  readonly written: ReadonlyMap<string, PlatosVariable>;
  readonly deleted: ReadonlySet<string>;
  readonly failed: readonly KeyFailure[];
  /** Keys believed absent that another party created before this write overwrote them (also in `failed`). */
  readonly overtaken: ReadonlySet<string>;
}

/** The keys the provider listed as absent just before writing them, and where they are (for messages). */
export interface AbsentKeys {
  readonly keys: ReadonlySet<string>;
  readonly where: string;
}

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function applyKeyChanges(
  environmentId: string,
  writes: readonly DeclaredKey[],
  deletes: readonly string[],
  absent: AbsentKeys = { keys: new Set(), where: "" },
): Promise<KeyOutcomes> {
  const { api, cache } = providerContext();
  const written = new Map<string, PlatosVariable>();
  const deleted = new Set<string>();
  const overtaken = new Set<string>();
  const failed: KeyFailure[] = [];
  const write = async ({ key, kind, value }: DeclaredKey) => {
    try {
      const sent = await watchingResends(() => api.variables.put(environmentId, key, { value, secret: kind === "SECRET" }));
      const variable = sent.value;
      await cache.remember("variables", variable);
      if (overtookAnotherCreate(variable, absent.keys.has(key), sent.resent)) {
        overtaken.add(key);
        failed.push({ key, action: "write", reason: overtakenReason(key, absent.where, variable.version) });
        return;
      }
      written.set(key, variable);
    } catch (err) {
      failed.push({ key, action: "write", reason: reasonOf(err) });
    }
  };
  const remove = async (key: string) => {
    try {
      await api.variables.delete(environmentId, key);
      await cache.forget("variables", environmentId, key);
      deleted.add(key);
    } catch (err) {
      failed.push({ key, action: "delete", reason: reasonOf(err) });
    }
  };
  await Promise.all([...writes.map(write), ...deletes.map(remove)]);
  failed.sort((a, b) => a.key.localeCompare(b.key));
  return { written, deleted, failed, overtaken };
}

/**
 * The owned keys after the changes: a written key holds its new version and declared value; a failed write keeps
 * what state had (but no value declared in the other map); a deleted key is gone, and one whose delete failed stays
 * owned, without a value, so the next update deletes it again.
 */
export function settledKeys(
  before: ReadonlyMap<string, OwnedKey>,
  writes: readonly DeclaredKey[],
  deletes: readonly string[],
  outcomes: KeyOutcomes,
): Map<string, OwnedKey> {
  const owned = new Map(before);
  for (const declared of writes) {
    const variable = outcomes.written.get(declared.key);
    const prior = owned.get(declared.key);
    if (variable) owned.set(declared.key, { version: ownedVersion(variable), declared });
    else if (prior && prior.declared?.kind !== declared.kind) owned.set(declared.key, { version: prior.version });
  }
  for (const key of deletes) {
    const prior = owned.get(key);
    if (outcomes.deleted.has(key)) owned.delete(key);
    else if (prior) owned.set(key, { version: prior.version });
  }
  return owned;
}

export function describeKeyFailures(action: string, failed: readonly KeyFailure[], attempted: number): string {
  const each = failed.map(({ key, action: what, reason }) => `${key} (${what}): ${reason}`).join("; ");
  return `${action}: ${failed.length} of ${attempted} key changes failed: ${each}`;
}

/** The engine's partial failure: the resource exists with `properties`, and the step failed for `reasons`. */
export interface PartialFailure extends Error {
  readonly id: string;
  readonly properties: VariableSetOutputs;
  readonly reasons: string[];
}

export function partialFailure(action: string, id: string, properties: VariableSetOutputs, failed: readonly KeyFailure[], attempted: number): PartialFailure {
  const message = `${describeKeyFailures(action, failed, attempted)}. The other keys are done and recorded in state; run \`pulumi up\` again to retry these`;
  return Object.assign(new Error(message), { id, properties, reasons: [message] });
}
