/**
 * A short-lived cache shared by every resource in the provider process (one process serves one Pulumi
 * operation). A refresh of N variables (or agents, or provider keys) of one environment costs one list call, and
 * slug → id lookups are made once. Writes made through this process update the cache, so it never contradicts them.
 */
import type { PlatosAgent, PlatosApi, PlatosEnvironment, PlatosProviderKey, PlatosVariable } from "../platos";
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
  private readonly providerKeys = new Map<string, Entry<Map<string, PlatosProviderKey>>>();
  private readonly agents = new Map<string, Entry<Map<string, PlatosAgent>>>();

  constructor(
    private readonly api: PlatosApi,
    private readonly ttlMs: number = numberFromEnv("PLATOS_READ_CACHE_TTL_MS", DEFAULT_TTL_MS),
  ) {}

  /** The live environment `slug` of `project` (id or slug), or undefined. */
  environment(project: string, slug: string): Promise<PlatosEnvironment | undefined> {
    return this.remember(this.environments, environmentKey(project, slug), () => this.api.environments.findBySlug(project, slug));
  }

  /** The environment this process just made or took over: later lookups of the operation need not ask. */
  rememberEnvironment(project: string, slug: string, environment: PlatosEnvironment): void {
    this.environments.set(environmentKey(project, slug), { value: Promise.resolve(environment), expires: Date.now() + this.ttlMs });
  }

  forgetEnvironment(project: string, slug: string): void {
    this.environments.delete(environmentKey(project, slug));
  }

  /** Every variable of an environment, by key; none when the environment is gone. */
  variablesOf(environmentId: string): Promise<Map<string, PlatosVariable>> {
    return this.listed(this.variables, environmentId, () => this.api.variables.list(environmentId), (variable) => variable.key);
  }

  async rememberVariable(variable: PlatosVariable): Promise<void> {
    await this.edit(this.variables, variable.environmentId, (variables) => variables.set(variable.key, variable));
  }

  async forgetVariable(environmentId: string, key: string): Promise<void> {
    await this.edit(this.variables, environmentId, (variables) => variables.delete(key));
  }

  /** Every provider key of an environment, by id; none when the environment is gone. */
  providerKeysOf(environmentId: string): Promise<Map<string, PlatosProviderKey>> {
    return this.listed(this.providerKeys, environmentId, () => this.api.providerKeys.list(environmentId), (key) => key.id);
  }

  /** After a provider key write: one key's default flag may have cleared another's, so the whole list is read again. */
  forgetProviderKeys(environmentId: string): void {
    this.providerKeys.delete(environmentId);
  }

  /** Every agent of an environment, by id; none when the environment is gone. */
  agentsOf(environmentId: string): Promise<Map<string, PlatosAgent>> {
    return this.listed(this.agents, environmentId, () => this.api.agents.list(environmentId), (agent) => agent.id);
  }

  async rememberAgent(agent: PlatosAgent): Promise<void> {
    await this.edit(this.agents, agent.environmentId, (agents) => agents.set(agent.id, agent));
  }

  async forgetAgent(environmentId: string, agentId: string): Promise<void> {
    await this.edit(this.agents, environmentId, (agents) => agents.delete(agentId));
  }

  /** An environment's collection, by the key `keyOf` gives each item. */
  private listed<T>(map: Map<string, Entry<Map<string, T>>>, environmentId: string, list: () => Promise<T[]>, keyOf: (item: T) => string): Promise<Map<string, T>> {
    return this.remember(map, environmentId, async () => new Map((await list()).map((item) => [keyOf(item), item])));
  }

  /** Changes a live cached collection in place; an expired or absent one is left to be read again. */
  private async edit<T>(map: Map<string, Entry<Map<string, T>>>, environmentId: string, change: (items: Map<string, T>) => void): Promise<void> {
    const entry = map.get(environmentId);
    if (entry && entry.expires > Date.now()) change(await entry.value);
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
