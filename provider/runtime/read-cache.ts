/**
 * A short-lived cache shared by every resource in the provider process (one process serves one Pulumi
 * operation). A refresh of N variables of one environment costs one list call, and slug → id lookups are made
 * once. Writes made through this process update the cache, so it never contradicts them.
 */
import type { PlatosApi, PlatosEnvironment, PlatosVariable } from "../platos";
import { numberFromEnv } from "./settings";

const DEFAULT_TTL_MS = 2_000;

const environmentKey = (project: string, slug: string) => `${project}\u0000${slug}`;

interface Entry<T> {
  readonly value: Promise<T>;
  readonly expires: number;
}

export class ReadCache {
  private readonly environments = new Map<string, Entry<PlatosEnvironment | undefined>>();
  private readonly variables = new Map<string, Entry<Map<string, PlatosVariable>>>();

  constructor(
    private readonly api: PlatosApi,
    private readonly ttlMs: number = numberFromEnv("PLATOS_READ_CACHE_TTL_MS", DEFAULT_TTL_MS),
  ) {}

  /** The live environment `slug` of `project` (id or slug), or undefined. */
  environment(project: string, slug: string): Promise<PlatosEnvironment | undefined> {
    return this.remember(this.environments, environmentKey(project, slug), () => this.api.environments.findBySlug(project, slug));
  }

  forgetEnvironment(project: string, slug: string): void {
    this.environments.delete(environmentKey(project, slug));
  }

  /** Every variable of an environment, by key; none when the environment is gone. */
  variablesOf(environmentId: string): Promise<Map<string, PlatosVariable>> {
    return this.remember(this.variables, environmentId, async () => {
      const all = await this.api.variables.list(environmentId);
      return new Map(all.map((variable) => [variable.key, variable]));
    });
  }

  async rememberVariable(variable: PlatosVariable): Promise<void> {
    const entry = this.variables.get(variable.environmentId);
    if (entry && entry.expires > Date.now()) (await entry.value).set(variable.key, variable);
  }

  async forgetVariable(environmentId: string, key: string): Promise<void> {
    const entry = this.variables.get(environmentId);
    if (entry && entry.expires > Date.now()) (await entry.value).delete(key);
  }

  private remember<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit && hit.expires > Date.now()) return hit.value;
    const value = load();
    map.set(key, { value, expires: Date.now() + this.ttlMs });
    value.catch(() => map.delete(key));
    return value;
  }
}
