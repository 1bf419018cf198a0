import { isNotFound } from "../client";

/** Failures name the action and the natural key; the API error underneath carries code, status and errorId. */
export function describeFailure(action: string, err: unknown): Error {
  const detail = err instanceof Error ? err.message : String(err);
  return new Error(`${action}: ${detail}`);
}

export function alreadyExists(what: string): Error {
  return new Error(`${what} already exists. Set \`adopt: true\` on the resource to take over the existing object, or choose another name.`);
}

/** A read that finds the object gone answers undefined (refresh then drops it from state). */
export async function readUnlessGone<T>(action: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw describeFailure(action, err);
  }
}

/** Deleting an object that is already gone succeeds. */
export async function deleteUnlessGone(action: string, remove: () => Promise<void>): Promise<void> {
  try {
    await remove();
  } catch (err) {
    if (!isNotFound(err)) throw describeFailure(action, err);
  }
}
