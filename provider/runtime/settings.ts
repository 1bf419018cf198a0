/**
 * Where the provider finds the API and its credentials: the stack config handed to `configure` (`platos:apiUrl`,
 * secret `platos:token`), else PLATOS_API_URL / PLATOS_TOKEN read at call time. Never captured at program time,
 * so no credential is serialised into state.
 */
import { DEFAULT_PROD_PATTERN } from "../rules/test-mode";

export interface ProviderSettings {
  readonly apiUrl: string;
  readonly token: string;
}

export interface ConfigSource {
  get(key: string): string | undefined;
}

export const CONFIG_KEYS = {
  apiUrl: "platos:apiUrl",
  token: "platos:token",
  prodPattern: "platos:prodEnvironmentPattern",
} as const;

let fromConfig: Partial<Record<keyof typeof CONFIG_KEYS, string>> = {};

/** Called by each resource provider's `configure` with the engine's stack config. */
export function configureFrom(config: ConfigSource): void {
  fromConfig = {
    apiUrl: config.get(CONFIG_KEYS.apiUrl) ?? fromConfig.apiUrl,
    token: config.get(CONFIG_KEYS.token) ?? fromConfig.token,
    prodPattern: config.get(CONFIG_KEYS.prodPattern) ?? fromConfig.prodPattern,
  };
}

/** For tests: forget what `configure` said. */
export function resetConfiguration(): void {
  fromConfig = {};
}

export function providerSettings(): ProviderSettings {
  const apiUrl = fromConfig.apiUrl ?? process.env.PLATOS_API_URL;
  const token = fromConfig.token ?? process.env.PLATOS_TOKEN;
  if (!apiUrl) {
    throw new Error(`Platos API URL is not set: run \`pulumi config set ${CONFIG_KEYS.apiUrl} <url>\` or set PLATOS_API_URL`);
  }
  if (!token) {
    throw new Error(`Platos API token is not set: run \`pulumi config set --secret ${CONFIG_KEYS.token} <token>\` or set PLATOS_TOKEN`);
  }
  return { apiUrl, token };
}

/** Environment slugs treated as production by the provider's own guard. */
export function prodPattern(): string {
  return fromConfig.prodPattern ?? process.env.PLATOS_PROD_ENVIRONMENT_PATTERN ?? DEFAULT_PROD_PATTERN;
}

/** A positive integer setting from the environment, or the fallback; a malformed value names the variable. */
export function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}
