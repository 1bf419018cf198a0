/** The provider process's shared client and read cache, one per API URL and token. */
import { createClient, type PlatosClient } from "../client";
import { ReadCache } from "./read-cache";
import { providerSettings } from "./settings";

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
      maxConcurrency: Number(process.env.PLATOS_MAX_CONCURRENCY ?? 8),
      operationTimeoutMs: Number(process.env.PLATOS_OPERATION_TIMEOUT_MS ?? 120_000),
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
