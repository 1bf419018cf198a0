/**
 * Create meets an object already holding its natural key. Without `adopt` it may take the object only as its own
 * create whose answer an interrupted run lost (before the provider heard it, or before the engine recorded it): this
 * machine's create journal shows a send of the identical create by this very stack and resource, made when the object
 * was, and the object holds what that create fixed.
 */
import { isDeepStrictEqual } from "node:util";
import { ownCreateEvidence, type EvidenceOptions, type JournalledCreate } from "../runtime/create-journal";
import { noticeOnce } from "../runtime/notices";
import { alreadyExists, tookOverInterruptedCreate } from "./describe-error";

/** The object found: when it was made, and what it holds (compared field by field with the journalled request). */
export type FoundObject = { readonly createdAt: string | null };

/**
 * Whether the object holds what the request fixed. Each request field the object reports under the same name
 * must be equal (an agent's slug, name, model and behaviour; a provider key's provider, label, credential and
 * default flag); a variable's `secret` is its `kind`, and only a PLAIN value can be read back; an environment's
 * `name` is its slug when the request gave none; an agent's `isActive` is not compared.
 */
function holdsRequest(create: JournalledCreate, found: FoundObject): boolean {
  const object = found as Readonly<Record<string, unknown>>;
  const request = { ...create.request };
  if (create.kind === "variable") {
    if (object.kind !== (request.secret ? "SECRET" : "PLAIN")) return false;
    if (request.secret) delete request.value;
    delete request.secret;
  }
  if (create.kind === "environment") request.name ??= request.slug;
  // Platos makes every agent active (agent-crud.service.ts@a9710c92 `create`: `isActive: true`); an inactive one is
  // switched off by a second call, which the interrupted run may never have sent. Taking over sets it as declared.
  if (create.kind === "agent") delete request.isActive;
  return Object.entries(request).every(([field, value]) => value === undefined || !(field in object) || isDeepStrictEqual(object[field], value));
}

/** Whether the object found is this create's own; says so in a notice when it is. */
export async function isOwnInterruptedCreate(create: JournalledCreate, found: FoundObject, what: string, options?: EvidenceOptions): Promise<boolean> {
  const evidence = await ownCreateEvidence(create, found.createdAt, options);
  const own = evidence !== undefined && holdsRequest(create, found);
  if (own) noticeOnce(tookOverInterruptedCreate(what, evidence));
  return own;
}

/** A variable's create as the journal knows it, the same for EnvironmentVariable and EnvironmentVariables. */
export function variableCreate(declaredBy: string | undefined, environmentId: string, key: string, value: string, secret: boolean): JournalledCreate {
  return { kind: "variable", declaredBy, request: { environmentId, key, value, secret } };
}

/** Fails as "already exists" unless the object found is this create's own. */
async function requireOwnInterruptedCreate(create: JournalledCreate, found: FoundObject, what: string): Promise<void> {
  if (!(await isOwnInterruptedCreate(create, found, what))) throw alreadyExists(what);
}

/**
 * Takes over the object `found`: with `adopt`, or as this resource's own interrupted create. The journal entry stays:
 * this take-over's answer can be lost the same way, and the next run then takes the object over again.
 */
export async function takeOver<T>(
  adopt: boolean | undefined,
  create: JournalledCreate,
  found: FoundObject,
  what: string,
  update: () => Promise<T>,
): Promise<T> {
  if (!adopt) await requireOwnInterruptedCreate(create, found, what);
  return update();
}
