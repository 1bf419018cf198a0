/**
 * Who is calling and what they may reach; pure rules, no storage. The admin token reaches everything. A scoped
 * token reaches one project, and there only the environments it lists by slug ("*": all of them, and only then
 * may it create or delete environments).
 */
import type { Environment } from "../provider/client/schemas";
import { forbidden } from "./errors";
import type { TokenRecord } from "./store/tokens";

export type Principal = { readonly kind: "admin" } | ({ readonly kind: "token" } & TokenRecord);

export const ADMIN: Principal = { kind: "admin" };

/** The stable identity idempotency records are kept under. */
export const principalKey = (principal: Principal): string => (principal.kind === "admin" ? "admin" : `token:${principal.id}`);

/** What `lastUpdatedBy` shows. */
export const principalName = (principal: Principal): string => (principal.kind === "admin" ? "admin" : principal.name);

/** `through` on a project: how the caller reaches it. */
export const projectAccess = (principal: Principal): string => (principal.kind === "admin" ? "admin" : "token");

export const canReachProject = (principal: Principal, projectId: string | undefined): boolean =>
  principal.kind === "admin" || (projectId !== undefined && projectId === principal.projectId);

export const canReachEnvironment = (principal: Principal, environment: Pick<Environment, "projectId" | "slug"> | undefined): boolean =>
  principal.kind === "admin" ||
  (environment !== undefined &&
    canReachProject(principal, environment.projectId) &&
    (principal.environments === "*" || principal.environments.includes(environment.slug)));

export const canManageEnvironments = (principal: Principal, projectId: string): boolean =>
  principal.kind === "admin" || (canReachProject(principal, projectId) && principal.environments === "*");

/** The slugs a listing is narrowed to; undefined when the caller sees every environment. */
export const reachableSlugs = (principal: Principal): readonly string[] | undefined =>
  principal.kind === "admin" || principal.environments === "*" ? undefined : principal.environments;

export function requireAdmin(principal: Principal): void {
  if (principal.kind !== "admin") throw forbidden();
}
