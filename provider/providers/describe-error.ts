import { redact, redactError } from "../runtime/redact";

/**
 * Failures name the action and the natural key; the API error underneath carries code, status and errorId, and
 * stays reachable as `cause`. This is where an error leaves the provider for the engine (and the user's CI log):
 * it and its whole cause chain are redacted first, so no credential a server echoed goes with it (runtime/redact.ts).
 */
export function describeFailure(action: string, err: unknown): Error {
  redactError(err);
  const detail = err instanceof Error ? err.message : redact(String(err));
  return redactError(new Error(`${action}: ${detail}`, { cause: err }));
}

/** Runs one step of a resource, naming the action on any failure. */
export async function describing<T>(action: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw describeFailure(action, err);
  }
}

export function alreadyExists(what: string): Error {
  return new Error(`${what} already exists. Set \`adopt: true\` on the resource to take over the existing object, or choose another name.`);
}

/** The notice for an object taken as this resource's own create, whose answer an earlier run lost. */
export function tookOverInterruptedCreate(what: string, evidence: string): string {
  return `${what} already existed: taken as this resource's own create, whose answer an interrupted run lost (${evidence})`;
}
