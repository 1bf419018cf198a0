/**
 * The fields of each resource's inputs, of an agent definition and of a bulk variable's version record, written out in plain TypeScript. They are what
 * the published declarations show: derived from the zod schemas they would import zod's own types, which do not
 * compile in a project without `esModuleInterop` (Pulumi's default TypeScript template). `npm run typecheck`
 * proves each one equal to its schema's input type (test/types/public-types.ts).
 */

export interface EnvironmentInputShape {
  /** Project id or slug. */
  project: string;
  /** The environment's natural key within the project; changing it replaces the environment. */
  slug: string;
  /** Display name; defaults to the slug. */
  name?: string | undefined;
  /** Take over an existing environment with this slug instead of failing. */
  adopt?: boolean | undefined;
  /** Leave the environment in Platos when the resource is deleted; defaults to true for an adopted environment. */
  retain?: boolean | undefined;
  /** Let a delete take with it what this stack does not declare or cannot check (on real Platos, bound agents still stop it). */
  deleteContents?: boolean | undefined;
}

export interface VariableInputShape {
  project: string;
  /** Slug of the environment the variable belongs to. */
  environment: string;
  key: string;
  value: string;
  /** SECRET kind: write-only on the server, secret in Pulumi state. */
  secret?: boolean | undefined;
  /** Bump to write the declared value again (a secret rotated outside Pulumi is otherwise kept). */
  rotation?: number | undefined;
  adopt?: boolean | undefined;
}

export interface VariableSetInputShape {
  project: string;
  environment: string;
  /** Bump to write every secret again. */
  rotation?: number | undefined;
  adopt?: boolean | undefined;
}

export interface ProviderKeyInputShape {
  project: string;
  environment: string;
  provider: string;
  label: string;
  /**
   * The name of the key's credential: on the V1 contract the SECRET variable of the same environment that holds the
   * material; on real Platos a provider credential added in its dashboard under this name.
   */
  variable: string;
  isDefault?: boolean | undefined;
  adopt?: boolean | undefined;
  variableProject?: string | undefined;
  variableEnvironment?: string | undefined;
  variableSecret?: boolean | undefined;
}

export type JsonObject = Record<string, unknown>;

export interface PromptBlock {
  key: string;
  content: string;
  enabled?: boolean | undefined;
}

export type MetaToolName =
  | "find_tools"
  | "execute_tools"
  | "remember"
  | "recall"
  | "forget"
  | "list_memories"
  | "relate"
  | "memory_extract"
  | "spawn_bgo"
  | "spawn_task"
  | "agent_batch";

/** The versioned behaviour of an agent; a change to any field makes a new immutable server version. */
export interface AgentBehaviourShape {
  model: string;
  systemPrompt: string | null;
  promptBlocks: PromptBlock[];
  toolsBlockConfig: JsonObject | null;
  metaTools: Partial<Record<MetaToolName, boolean>>;
  memoryConfig: JsonObject | null;
  featureFlags: Record<string, boolean>;
  outputSchema: JsonObject | null;
  maxSteps: number;
  contextLimit: number;
}

export type AgentInputShape = {
  project: string;
  /** Slug of the environment the agent belongs to. */
  environment: string;
  /** The agent's natural key in its environment; changing it replaces the agent. */
  slug: string;
  name: string;
  model: string;
  isActive?: boolean | undefined;
  adopt?: boolean | undefined;
} & { [K in Exclude<keyof AgentBehaviourShape, "model">]?: AgentBehaviourShape[K] | undefined };

/** An agent's portable definition: what `new Agent(...)` needs besides project and environment. */
export type AgentDefinitionShape = AgentBehaviourShape & {
  slug: string;
  name: string;
  isActive: boolean;
};

/** Per key of an EnvironmentVariables: the server's kind and version as last seen, and the version Pulumi wrote. */
export interface KeyVersion {
  readonly kind: "PLAIN" | "SECRET";
  /** The server's version as last read or written. */
  readonly version: number;
  /** The version this provider last wrote: a SECRET whose `version` moved past it was rotated outside Pulumi. */
  readonly writtenVersion: number;
}
