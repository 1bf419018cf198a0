/** The provider process's shared client and read cache, one per API URL and token. */
import { createClient, TRANSPORT_DEFAULTS, type PlatosClient } from "../client";
import { ReadCache } from "./read-cache";
import { numberFromEnv, providerSettings } from "./settings";

export interface ProviderContext {
  readonly client: PlatosClient;
  readonly cache: ReadCache;
}

const contexts = new Map<string, ProviderContext>();

export function providerContext(): ProviderContext {
  const { apiUrl, token } = providerSettings();
  const key = `${apiUrl}\u0000${token}`;
  let context = contexts.get(key);
  if (!context) {
    const client = createClient({
      apiUrl,
      token,
      maxConcurrency: numberFromEnv("PLATOS_MAX_CONCURRENCY", TRANSPORT_DEFAULTS.maxConcurrency),
      operationTimeoutMs: numberFromEnv("PLATOS_OPERATION_TIMEOUT_MS", TRANSPORT_DEFAULTS.operationTimeoutMs),
    });
    context = { client, cache: new ReadCache(client) };
    contexts.set(key, context);
  }
  return context;
}

/** For tests: drop clients and caches. */
export function resetContexts(): void {
  contexts.clear();
}
