/**
 * Turning raw engine inputs into validated ones. During preview a computed input arrives as the engine's unknown
 * sentinel: such fields are let through unchecked, and any failure about them is dropped.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { z } from "zod";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(isUnknown);
  return false;
}

export type Raw = Record<string, unknown>;

export interface Checked<T> {
  /** The validated inputs, defaults filled in; unknown fields carried as the sentinel. */
  readonly inputs: T;
  readonly failures: dynamic.CheckFailure[];
}

export function checkInputs<S extends z.ZodObject>(schema: S, news: Raw): Checked<z.infer<S>> {
  const unknownFields = new Set(Object.keys(news).filter((field) => isUnknown(news[field])));
  const known = Object.fromEntries(Object.entries(news).filter(([field]) => !unknownFields.has(field) && field !== "__provider"));
  const parsed = schema.safeParse(known);
  if (parsed.success) {
    const carried = Object.fromEntries([...unknownFields].map((field) => [field, UNKNOWN]));
    return { inputs: { ...parsed.data, ...carried }, failures: [] };
  }
  const failures = parsed.error.issues
    .filter((issue) => !unknownFields.has(String(issue.path[0])))
    .map((issue) => ({ property: issue.path.length > 0 ? issue.path.map(String).join(".") : "(inputs)", reason: reasonOf(issue, known) }));
  // No failures left means every one was about an unknown field: the inputs pass as they are until known.
  return { inputs: news as z.infer<S>, failures };
}

/** zod leaves `issue.input` out unless asked, so whether a field is missing is read from the inputs themselves. */
function valueAt(inputs: Raw, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((at, key) => (at !== null && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[key] : undefined), inputs);
}

function reasonOf(issue: z.core.$ZodIssue, inputs: Raw): string {
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "inputs";
  if (issue.code === "invalid_type" && valueAt(inputs, issue.path) === undefined) return `${field} is required`;
  if (issue.code === "invalid_type") return `${field} must be a ${issue.expected}`;
  if (issue.code === "unrecognized_keys") return `${field} has unknown fields: ${issue.keys.join(", ")}`;
  return `${field} ${issue.message}`;
}

/** A failure of a rule checked on top of the schema. */
export function failure(property: string, reason: string): dynamic.CheckFailure {
  return { property, reason };
}

/** The fields whose values are known: what a rule can judge during preview. */
export function knownFields<T extends object>(inputs: T): Partial<T> {
  return Object.fromEntries(Object.entries(inputs).filter(([, value]) => !isUnknown(value))) as Partial<T>;
}

/**
 * The given (not undefined) ones of `fields`: the inputs a resource keeps in its outputs as the program wrote them
 * (`adopt`, `declaredBy`, delete choices…), so a refresh can hand them back unchanged.
 */
export function givenFields<T extends object, K extends keyof T>(inputs: T, fields: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(fields.filter((field) => inputs[field] !== undefined).map((field) => [field, inputs[field]])) as Partial<Pick<T, K>>;
}

/**
 * The fields only a resource's outputs have (what the server reports, the dashboard link), each named once: the
 * type `Record<keyof ServerFields, true>` makes the compiler hold the list to the type both ways.
 */
export type OutputOnly<Fields> = { readonly [K in keyof Required<Fields>]: true };

/** The inputs a refresh hands back: the outputs without the output-only fields. */
export function inputsOf<T extends object, K extends keyof T>(outputs: T, outputOnly: { readonly [F in K]: true }): Omit<T, K> {
  return Object.fromEntries(Object.entries(outputs).filter(([field]) => !(field in outputOnly))) as Omit<T, K>;
}
