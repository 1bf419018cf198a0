import type { PlatosEnvironment } from "../platos";
import type { ProviderContext } from "../runtime/context";

/** The environment a variable or agent lives in, found by its natural key (project + slug). */
export async function requireEnvironment({ cache }: ProviderContext, project: string, slug: string): Promise<PlatosEnvironment> {
  const environment = await cache.environment(project, slug);
  if (!environment) {
    throw new Error(
      `environment "${slug}" was not found in project "${project}": declare it with an Environment resource (and pass its \`slug\` output so it is created first), or check the slug`,
    );
  }
  return environment;
}
