/**
 * Create meets an object already holding its natural key. Without `adopt` it may take the object only as its own
 * create whose answer an interrupted run lost, which this machine's create journal shows for this very stack and
 * resource.
 */
import { ownCreateEvidence, settleCreate, type EvidenceOptions, type JournalledCreate } from "../runtime/create-journal";
import { noticeOnce } from "../runtime/notices";
import { alreadyExists, tookOverInterruptedCreate } from "./describe-error";

/** Whether the object made at `madeAt` is this create's own; says so in a notice when it is. */
export async function isOwnInterruptedCreate(create: JournalledCreate, madeAt: string | null, what: string, options?: EvidenceOptions): Promise<boolean> {
  const evidence = await ownCreateEvidence(create, madeAt, options);
  if (evidence !== undefined) noticeOnce(tookOverInterruptedCreate(what, evidence));
  return evidence !== undefined;
}

/** A variable's create as the journal knows it, the same for EnvironmentVariable and EnvironmentVariables. */
export function variableCreate(declaredBy: string | undefined, environmentId: string, key: string, value: string, secret: boolean): JournalledCreate {
  return { kind: "variable", declaredBy, request: { environmentId, key, value, secret } };
}

/** Fails as "already exists" unless the object made at `madeAt` is this create's own. */
async function requireOwnInterruptedCreate(create: JournalledCreate, madeAt: string | null, what: string): Promise<void> {
  if (!(await isOwnInterruptedCreate(create, madeAt, what))) throw alreadyExists(what);
}

/** Takes over an object `existing`: with `adopt`, or as this resource's own interrupted create, which is then settled. */
export async function takeOver<T>(adopt: boolean | undefined, create: JournalledCreate, madeAt: string | null, what: string, update: () => Promise<T>): Promise<T> {
  if (!adopt) await requireOwnInterruptedCreate(create, madeAt, what);
  const taken = await update();
  if (!adopt) await settleCreate(create);
  return taken;
}
