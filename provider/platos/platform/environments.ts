/**
 * Environments on the platform surface: environments.list/create/delete through the configured token, which
 * reaches its whole project (and only that project). Platos names an environment after its slug and cannot rename
 * one, and refuses to delete `prod`/`production` or an environment still in use: those refusals say the way out.
 * Every platform rule about environments is here: what `limits` says at preview (slug form, no rename), and what
 * each operation refuses at its step.
 */
import { isApiError, isConflict, isForbidden, isNotFound, isUnauthenticated } from "../../client/errors";
import { PLATFORM_ENVIRONMENT_SLUG_PATTERN, type PlatformEnvironment } from "../../client/platform/tools";
import type { DeclaredEnvironment, EnvironmentOperations, PlatosEnvironment } from "../api";
import { ignoringGone } from "../gone";
import { isProtocolLimit, limitFailure, ProtocolLimitError } from "../limits";
import type { CoreApiClient } from "./core-api";
import { once } from "./once";
import { mayHaveRun, sendLookingFirst } from "./retry-rule";
import type { TokenScopes } from "./scopes";

const RENAME_LIMIT = {
  limitation: "real Platos names a new environment after its slug and cannot rename one (no MCP tool or core-api route does)",
  wayOut: "leave `name` unset (or equal to the slug); to take over an environment Platos already names otherwise, declare that name with `adopt: true`",
};

/** Said at preview: an environment named other than its slug (no rename), or a slug Platos refuses. */
const SLUG_LIMIT = {
  limitation: `Platos environment slugs are 1 to 31 characters: a lowercase letter or digit, then lowercase letters, digits or dashes (${PLATFORM_ENVIRONMENT_SLUG_PATTERN.source})`,
  wayOut: "choose a slug of that form (at most 31 characters, no capitals, spaces or symbols other than dashes)",
};

/**
 * Whether the declared name (the slug when unset) needs a rename: Platos names a new environment after its slug,
 * keeps whatever name an existing one has (a project's first environment is named at project creation), and renames
 * none. An adopted environment's name is only known at the step, which checks it.
 */
function wouldRename({ slug, name, adopt }: Partial<DeclaredEnvironment>, prior: Partial<DeclaredEnvironment> | undefined): boolean {
  if (slug === undefined) return false;
  const declared = name ?? slug;
  if (prior !== undefined && prior.slug === slug && prior.name !== undefined) return declared !== prior.name;
  return declared !== slug && adopt !== true;
}

/** An existing environment whose name is not the declared one: the way out is to declare its name. */
const keepNameLimit = (current: PlatosEnvironment) => ({
  limitation: `environment "${current.slug}" is named "${current.name}" in Platos, and real Platos cannot rename an environment`,
  wayOut: `declare \`name: "${current.name}"\``,
});

export interface ProjectEnvironments {
  /** The project's live environments, as the configured token sees them. */
  list(): Promise<PlatosEnvironment[]>;
  /** The project id `project` (id or slug) names: only the configured token's own project is reachable. */
  projectOf(project: string): Promise<string>;
  /** `step`, or `gone` when it fails because the environment itself no longer exists (its token is refused then). */
  unlessEnvironmentGone<T>(environmentId: string, step: () => Promise<T>, gone: T): Promise<T>;
}

export function projectEnvironments(scopes: TokenScopes, core: CoreApiClient | undefined): ProjectEnvironments {
  // A provider process serves one operation: the projects it may name are read once.
  const projects = core && once(() => core.projects.list());
  const project: ProjectEnvironments = {
    async list() {
      const [{ projectId }, { environments }] = await Promise.all([scopes.scope(), scopes.pinned("environments.list", {})]);
      return environments.map((environment: PlatformEnvironment) => ({
        id: environment.id,
        projectId,
        slug: environment.slug,
        name: environment.name,
        createdAt: environment.createdAt,
        updatedAt: environment.updatedAt,
      }));
    },
    async projectOf(ref) {
      const { projectId } = await scopes.scope();
      if (ref === projectId) return projectId;
      // Without core-api a slug cannot be checked: the token's project is the only one reachable anyway.
      const named = projects ? (await projects()).find((p) => p.id === ref || p.slug === ref) : undefined;
      if (!projects || named?.id === projectId) return projectId;
      throw new ProtocolLimitError({
        limitation: `project "${ref}" is not the project of platos:token, and a Platform MCP token reaches only its own project`,
        wayOut: `use a plt_mcp_ token pinned to an environment of project "${ref}" (one provider configuration per project)`,
      });
    },
    async unlessEnvironmentGone(environmentId, step, gone) {
      try {
        return await step();
      } catch (err) {
        // A token of an archived environment still verifies on Platos (token.service.ts@d466e2f0): its tools then
        // refuse with access_denied, an internal error (providers.list_keys: -32603) or a `*_failed` code.
        const internal = isApiError(err) && err.title === "internal";
        const refused = isNotFound(err) || isForbidden(err) || isUnauthenticated(err) || isProtocolLimit(err) || internal;
        if (refused && !(await project.list()).some((environment) => environment.id === environmentId)) return gone;
        throw err;
      }
    },
  };
  return project;
}

/**
 * What environments.delete refuses, in its order (apps/agent/src/admin/environment.service.ts@25c50f75,
 * `deleteEnvironment`): `prod`/`production`, then active agents bound to the environment, then open threads. It never
 * refuses for variables or provider keys: those are archived with the environment. `deleteContents` lifts none of
 * these refusals.
 */
function deleteRefusal(err: unknown): Error {
  const code = (err as { code?: unknown }).code;
  if (code === "production_env_protected") {
    return new ProtocolLimitError(
      {
        limitation: "Platos refuses to delete an environment whose slug is prod or production",
        wayOut:
          "set `retainOnDelete: true` (or `retain: true`) on the Environment resource (Pulumi then leaves it in Platos), or archive it in the Platos dashboard",
      },
      { cause: err },
    );
  }
  if (code === "env_in_use") {
    return new ProtocolLimitError(
      {
        limitation: `Platos refuses to delete an environment that agents or open threads still use (${(err as Error).message}), even with \`deleteContents: true\``,
        wayOut:
          "delete its agents (or declare them in this stack, which deletes them first) and archive its threads, or set `retainOnDelete: true` (or `retain: true`) on the Environment resource to leave it in Platos",
      },
      { cause: err },
    );
  }
  return err as Error;
}

export function platformEnvironments(scopes: TokenScopes, project: ProjectEnvironments): EnvironmentOperations {
  const get = async (environmentId: string) => (await project.list()).find((environment) => environment.id === environmentId);
  const bySlug = async (slug: string) => (await project.list()).find((environment) => environment.slug === slug);
  return {
    limits: async (inputs, prior) => [
      ...(inputs.slug !== undefined && !PLATFORM_ENVIRONMENT_SLUG_PATTERN.test(inputs.slug) ? [limitFailure("slug", SLUG_LIMIT)] : []),
      ...(wouldRename(inputs, prior) ? [limitFailure("name", RENAME_LIMIT)] : []),
    ],
    async findBySlug(projectRef, slug) {
      await project.projectOf(projectRef);
      return bySlug(slug);
    },
    get,
    async create(projectRef, request) {
      const projectId = await project.projectOf(projectRef);
      if (request.name !== undefined && request.name !== request.slug) throw new ProtocolLimitError(RENAME_LIMIT);
      const send = async (): Promise<PlatosEnvironment> => {
        const created = await scopes.pinned("environments.create", { slug: request.slug });
        return { ...created, projectId, updatedAt: created.createdAt };
      };
      // A lost answer: if the create ran, the environment is there (sending it again would only answer
      // slug_taken). slug_taken after a resend: an earlier send ran after all, late.
      const outcome = await sendLookingFirst(
        send,
        () => bySlug(request.slug),
        (err, sends) => mayHaveRun(err) || (sends > 1 && isConflict(err)),
      );
      return "found" in outcome ? outcome.found : outcome.answered;
    },
    async rename(environmentId, name) {
      const current = await get(environmentId);
      if (current?.name === name) return current;
      throw new ProtocolLimitError(current ? keepNameLimit(current) : RENAME_LIMIT);
    },
    delete: (environmentId) =>
      ignoringGone(async () => {
        try {
          await scopes.pinned("environments.delete", { environmentId });
        } catch (err) {
          throw deleteRefusal(err);
        }
      }),
  };
}
