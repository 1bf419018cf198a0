/**
 * A short-lived cache shared by every resource in the provider process (one process serves one Pulumi
 * operation). A refresh of N variables (or agents, or provider keys) of one environment costs one list call, and
 * slug → id lookups are made once. Writes made through this process update the cache, so it never contradicts them.
 */
import type { PlatosAgent, PlatosApi, PlatosEnvironment, PlatosProviderKey, PlatosVariable } from "../platos";
import type { EnvironmentCollection } from "../registry";
import { numberFromEnv } from "./settings";

const DEFAULT_TTL_MS = 2_000;

const environmentKey = (project: string, slug: string) => `${project}\u0000${slug}`;

interface Entry<T> {
  readonly value: Promise<T>;
  readonly expires: number;
}

/** The item of each per-environment collection the registry names: a collection missing here fails `tsc`. */
interface CollectionItems {
  readonly variables: PlatosVariable;
  readonly agents: PlatosAgent;
  readonly providerKeys: PlatosProviderKey;
}
export type ItemOf<C extends EnvironmentCollection> = CollectionItems[C];

/** How to list a collection of one environment, and what identifies an item in it. */
export interface Collection<T> {
  list(api: PlatosApi, environmentId: string): Promise<T[]>;
  keyOf(item: T): string;
}

export const COLLECTIONS: { readonly [C in EnvironmentCollection]: Collection<ItemOf<C>> } = {
  variables: { list: (api, environmentId) => api.variables.list(environmentId), keyOf: (variable) => variable.key },
  agents: { list: (api, environmentId) => api.agents.list(environmentId), keyOf: (agent) => agent.id },
  providerKeys: { list: (api, environmentId) => api.providerKeys.list(environmentId), keyOf: (key) => key.id },
};

const collectionKey = (collection: EnvironmentCollection, environmentId: string) => `${collection}\u0000${environmentId}`;

export class ReadCache {
  private readonly environments = new Map<string, Entry<PlatosEnvironment | undefined>>();
  /** Each environment's collections, by collectionKey; an entry holds a `Map<key, ItemOf<collection>>`. */
  private readonly collections = new Map<string, Entry<Map<string, unknown>>>();

  constructor(
    private readonly api: PlatosApi,
    private readonly ttlMs: number = numberFromEnv("PLATOS_READ_CACHE_TTL_MS", DEFAULT_TTL_MS),
  ) {}

  /** The live environment `slug` of `project` (id or slug), or undefined. */
  environment(project: string, slug: string): Promise<PlatosEnvironment | undefined> {
    return this.cached(this.environments, environmentKey(project, slug), () => this.api.environments.findBySlug(project, slug));
  }

  /** The environment this process just made or took over: later lookups of the operation need not ask. */
  rememberEnvironment(project: string, slug: string, environment: PlatosEnvironment): void {
    this.environments.set(environmentKey(project, slug), { value: Promise.resolve(environment), expires: Date.now() + this.ttlMs });
  }

  forgetEnvironment(project: string, slug: string): void {
    this.environments.delete(environmentKey(project, slug));
  }

  /** Every item of one collection of an environment, by its key; none when the environment is gone. */
  listOf<C extends EnvironmentCollection>(collection: C, environmentId: string): Promise<Map<string, ItemOf<C>>> {
    const { list, keyOf }: Collection<ItemOf<C>> = COLLECTIONS[collection];
    const load = async () => new Map((await list(this.api, environmentId)).map((item) => [keyOf(item), item] as const));
    return this.cached(this.collections, collectionKey(collection, environmentId), load) as Promise<Map<string, ItemOf<C>>>;
  }

  /** An item this process wrote, so that later lookups of the operation see it. */
  async remember<C extends EnvironmentCollection>(collection: C, item: ItemOf<C> & { readonly environmentId: string }): Promise<void> {
    const { keyOf }: Collection<ItemOf<C>> = COLLECTIONS[collection];
    await this.edit(collection, item.environmentId, (items) => items.set(keyOf(item), item));
  }

  /** An item this process deleted. */
  async forget(collection: EnvironmentCollection, environmentId: string, key: string): Promise<void> {
    await this.edit(collection, environmentId, (items) => items.delete(key));
  }

  /** The whole collection is read again next time (a provider key write may change the other keys' default flag). */
  forgetAll(collection: EnvironmentCollection, environmentId: string): void {
    this.collections.delete(collectionKey(collection, environmentId));
  }

  /** Changes a live cached collection in place; an expired or absent one is left to be read again. */
  private async edit(collection: EnvironmentCollection, environmentId: string, change: (items: Map<string, unknown>) => void): Promise<void> {
    const entry = this.collections.get(collectionKey(collection, environmentId));
    if (entry && entry.expires > Date.now()) change(await entry.value);
  }

  private cached<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit && hit.expires > Date.now()) return hit.value;
    const value = load();
    map.set(key, { value, expires: Date.now() + this.ttlMs });
    value.catch(() => map.delete(key));
    return value;
  }
}
