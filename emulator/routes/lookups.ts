/**
 * Loads what a path names and checks the caller may reach it. For a scoped token, out of scope and "does not
 * exist" look the same (403), so a token learns nothing about other environments; only a thing the caller may
 * reach can be 404.
 */
import type { Environment } from "../../provider/client/schemas";
import { canReachEnvironment, canReachProject, type Principal } from "../access";
import { forbidden, PlatosError } from "../errors";
import type { Store } from "../store";
import type { ProjectRecord } from "../store/projects";

export async function reachableProject(store: Store, principal: Principal, ref: string): Promise<ProjectRecord> {
  const project = await store.projects.findByRef(ref);
  if (!canReachProject(principal, project?.id)) throw forbidden();
  if (!project) throw new PlatosError("TENANCY_NOT_FOUND", "project not found");
  return project;
}

/** A live environment the caller may reach. */
export async function reachableEnvironment(store: Store, principal: Principal, environmentId: string): Promise<Environment> {
  const found = await store.environments.findById(environmentId);
  if (!canReachEnvironment(principal, found?.environment)) throw forbidden();
  if (!found || found.archived) throw new PlatosError("TENANCY_NOT_FOUND", "environment not found");
  return found.environment;
}

/**
 * An environment as core-api's operator gate decides it: a missing or archived environment is refused exactly as
 * one the operator may not reach, 403 TENANCY_ENVIRONMENT_FORBIDDEN, so the answer never says which
 * (packages/contexts/tenancy/domain/errors.ts@4bb33d19 L20-L46).
 */
export async function operatorEnvironment(store: Store, principal: Principal, environmentId: string): Promise<Environment> {
  const found = await store.environments.findById(environmentId);
  if (!found || found.archived || !canReachEnvironment(principal, found.environment)) {
    throw new PlatosError("TENANCY_ENVIRONMENT_FORBIDDEN", "Operator is not authorized for this environment");
  }
  return found.environment;
}
