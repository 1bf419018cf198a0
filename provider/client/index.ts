/** The typed Platos API client: `createClient({ apiUrl, token })`. */
import { agentsApi } from "./agents";
import { environmentsApi } from "./environments";
import { projectsApi } from "./projects";
import { providerKeysApi } from "./provider-keys";
import { tokensApi } from "./tokens";
import { createTransport } from "./route-caller";
import type { TransportConfig } from "./transport";
import { variablesApi } from "./variables";

export type ClientConfig = TransportConfig;

export function createClient(config: ClientConfig) {
  const transport = createTransport(config);
  return {
    projects: projectsApi(transport),
    environments: environmentsApi(transport),
    variables: variablesApi(transport),
    agents: agentsApi(transport),
    providerKeys: providerKeysApi(transport),
    tokens: tokensApi(transport),
  };
}
export type PlatosClient = ReturnType<typeof createClient>;

export { closeAllPools, TRANSPORT_DEFAULTS, type AttemptEvent } from "./transport";
export * from "./errors";
export * as schemas from "./schemas";
export type { Agent, AgentVersion, Environment, EnvironmentVariable, Project, ProviderKey } from "./schemas";
