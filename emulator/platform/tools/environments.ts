/** environments.list/create/delete: they act on the token's project (any environment of it), not only its own. */
import { PLATFORM_ENVIRONMENT_SLUG_PATTERN, PROTECTED_ENVIRONMENT_SLUGS, type PlatformEnvironment } from "../../../provider/client/platform/tools";
import { SLUG_PATTERN, type Environment } from "../../../provider/client/schemas";
import { isRefusal } from "../../store/refusals";
import type { ToolHandlers } from "./context";

const listed = (environment: Environment): PlatformEnvironment => ({
  id: environment.id,
  slug: environment.slug,
  name: environment.name,
  createdAt: environment.createdAt,
  updatedAt: environment.updatedAt,
  archivedAt: null,
});

/** Platos's rule, and this repo's (which every V1 reply is checked against): `a--b` and `a-` pass only the first. */
const validSlug = (slug: string): boolean => PLATFORM_ENVIRONMENT_SLUG_PATTERN.test(slug) && SLUG_PATTERN.test(slug);

export const environmentTools: ToolHandlers<"environments.list" | "environments.create" | "environments.delete"> = {
  "environments.list": async (_args, { store, token }) => {
    const environments = (await store.environments.live(token.scope.projectId)).map(listed).sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    return { environments, count: environments.length };
  },

  "environments.create": async (args, { store, token }) => {
    const slug = args.slug.trim().toLowerCase();
    if (!validSlug(slug)) return { error: "slug_invalid" };
    const created = await store.environments.create(token.scope.projectId, { slug, name: slug });
    if (isRefusal(created)) return { error: "slug_taken", slug };
    const { id, name, createdAt } = created;
    return { id, slug, name, createdAt };
  },

  "environments.delete": async ({ environmentId }, { store, token }) => {
    const found = await store.environments.findById(environmentId);
    if (!found || found.environment.projectId !== token.scope.projectId) return { error: "not_found", environmentId };
    if (found.archived) return { archived: false, alreadyArchived: true };
    if (PROTECTED_ENVIRONMENT_SLUGS.includes(found.environment.slug.toLowerCase())) return { error: "production_env_protected" };
    const agents = await store.agents.countActiveBound(environmentId);
    if (agents > 0) return { error: "env_in_use", reason: "env_in_use_by_agents", count: agents };
    return (await store.environments.archive(environmentId)) ? { archived: true } : { archived: false, alreadyArchived: true };
  },
};
