/**
 * The seam between the resources and Platos: the operations the resources need, whatever protocol carries them.
 * One adapter per protocol implements it (v1.ts: the uniform V1 REST contract; platform/: real Platos's MCP
 * gateway plus core-api). The resources, the read cache, getAgent, the import CLI and the bench talk only to this.
 *
 * Contract for every adapter: a read that finds the object gone answers undefined (a list: nothing), a delete of
 * an object already gone succeeds, and every other failure is one of the client's typed errors (client/errors.ts)
 * or a ProtocolLimitError (limits.ts), so `isNotFound`/`isConflict`/... mean the same on every protocol.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import type { TransportConfig } from "../client/transport";
// An agent's behaviour is Platos's own vocabulary (model, prompts, tools, memory, flags, limits), written once in
// the behaviour schemas; the objects, requests and error codes below are the port's, which each adapter translates to.
import type { Agent, AgentBehaviour, CreateAgent, UpdateAgent } from "../client/schemas";

export const PROTOCOLS = ["platform", "v1"] as const;
export const Protocol = z.enum(PROTOCOLS);
export type Protocol = z.infer<typeof Protocol>;

/** Where Platos is and the credentials to reach it. Never captured at program time, never written anywhere. */
export interface PlatosSettings {
  readonly protocol: Protocol;
  /** Base URL, without `/api/v1` or `/mcp/platform`: the V1 API, or on the platform protocol the agent app (MCP gateway). */
  readonly apiUrl: string;
  /**
   * Platform only: core-api's base URL (a deployable of its own on real Platos); `apiUrl` when absent, for a
   * deployment that serves both from one origin.
   */
  readonly coreApiUrl?: string;
  /** V1: a contract token. Platform: a `plt_mcp_` token pinned to one environment. */
  readonly token: string;
  /** Platform only: an operator session token for core-api (PLAIN variables, tokens for other environments). */
  readonly operatorToken: string | undefined;
}

/** The setting that says where core-api is, as messages name it (it falls back to platos:apiUrl). */
export const CORE_API_URL_SETTING = "platos:coreApiUrl (else platos:apiUrl)";

/** Where core-api calls go. */
export const coreApiUrlOf = (settings: Pick<PlatosSettings, "apiUrl" | "coreApiUrl">): string => settings.coreApiUrl ?? settings.apiUrl;

/** An environment of a project. */
export type PlatosEnvironment = {
  readonly id: string;
  readonly projectId: string;
  readonly slug: string;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
};

/** A new environment: its slug, and a display name (the slug when absent). */
export type CreateEnvironmentRequest = { readonly slug: string; readonly name?: string };

export type VariableKind = "PLAIN" | "SECRET";

/** A variable as every protocol can report it. */
export type PlatosVariable = {
  readonly environmentId: string;
  readonly key: string;
  readonly kind: VariableKind;
  /** Always null for a SECRET: secret values are write-only. */
  readonly value: string | null;
  readonly version: number;
  /** Null where the protocol does not report it (the platform's MCP secret write answers only the version). */
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
};

/** A variable's new value; `secret: true` makes it a SECRET. */
export type PutVariableRequest = { readonly value: string; readonly secret?: boolean };

/** An agent as seen in one environment. The platform's AgentRecord has no version number: null there. */
export type PlatosAgent = Omit<Agent, "versionNumber"> & { readonly versionNumber: number | null };

export type CreateAgentRequest = CreateAgent & { readonly slug: string };

export interface EnvironmentOperations {
  /**
   * What this protocol cannot honour of these inputs, said at `check` (so at preview, before any write): each failure
   * names the field, the Platos limitation and the way out. A hook sees only the inputs known so far.
   */
  /** `prior`: the inputs the environment was last deployed with; absent for a new one. */
  limits(inputs: Partial<DeclaredEnvironment>, prior?: Partial<DeclaredEnvironment>): Promise<CheckFailure[]>;
  /** The live environment `slug` of `project` (id or slug), or undefined. */
  findBySlug(project: string, slug: string): Promise<PlatosEnvironment | undefined>;
  get(environmentId: string): Promise<PlatosEnvironment | undefined>;
  /** A taken slug fails with a conflict (`isConflict`). */
  create(project: string, request: CreateEnvironmentRequest): Promise<PlatosEnvironment>;
  rename(environmentId: string, name: string): Promise<PlatosEnvironment>;
  delete(environmentId: string): Promise<void>;
}

export interface VariableOperations {
  /**
   * What this protocol cannot honour of these inputs, said at `check` (so at preview, before any write): each failure
   * names the field, the Platos limitation and the way out. A hook sees only the inputs known so far.
   */
  limits(inputs: Partial<DeclaredVariable>): Promise<CheckFailure[]>;
  /** The same, for an EnvironmentVariables resource. */
  setLimits(inputs: Partial<DeclaredVariableSet>): Promise<CheckFailure[]>;
  /** Every variable of the environment; none when the environment is gone. */
  list(environmentId: string): Promise<PlatosVariable[]>;
  /** Creates the variable or writes a new version of it. */
  put(environmentId: string, key: string, request: PutVariableRequest): Promise<PlatosVariable>;
  delete(environmentId: string, key: string): Promise<void>;
}

/** The agent configuration a protocol may hold otherwise than it was written. */
export type AgentConfig = Pick<AgentBehaviour, "systemPrompt" | "promptBlocks" | "toolsBlockConfig" | "memoryConfig">;

export interface AgentOperations {
  /**
   * What this protocol cannot honour of these inputs, said at `check` (so at preview, before any write): each failure
   * names the field, the Platos limitation and the way out. A hook sees only the inputs known so far.
   */
  /** `prior`: the inputs the agent was last deployed with (as `held` gives them); absent for a new one. */
  limits(inputs: Partial<DeclaredAgent>, prior?: Partial<DeclaredAgent>): Promise<CheckFailure[]>;
  /**
   * The configuration as this protocol holds it once a create writes it (real Platos derives a prompt from prompt
   * blocks, gives every tools config a mode, reads an empty memory config back as null): what a diff compares with
   * what it read back. Unknown values (preview) are left as they are.
   */
  held<T extends Partial<AgentConfig>>(declared: T): T;
  list(environmentId: string): Promise<PlatosAgent[]>;
  findBySlug(environmentId: string, slug: string): Promise<PlatosAgent | undefined>;
  get(environmentId: string, agentId: string): Promise<PlatosAgent | undefined>;
  /** Makes exactly the slug asked for, or fails: an adapter never leaves an agent under another slug behind. */
  create(environmentId: string, request: CreateAgentRequest): Promise<PlatosAgent>;
  /**
   * Only the fields in `changes` change; a change to a behaviour field makes a new version. `declared`: the whole
   * configuration as `held` gives it, for a protocol that derives one field from another on update (real Platos
   * re-derives the prompt from prompt blocks sent without it) to send what was declared instead.
   */
  update(environmentId: string, agentId: string, changes: UpdateAgent, declared: Partial<AgentConfig>): Promise<PlatosAgent>;
  /** `slug`: the agent's, where the caller knows it (the platform adapter notes that Platos keeps it taken). */
  delete(environmentId: string, agentId: string, slug?: string): Promise<void>;
}

/** A provider key as every protocol reports it (the V1 resource and the platform's list_keys record both carry these fields). */
export type PlatosProviderKey = {
  readonly id: string;
  readonly environmentId: string;
  readonly provider: string;
  readonly label: string;
  /** The name of the key's credential. */
  readonly envVarName: string;
  readonly isDefault: boolean;
  readonly createdBy: string | null;
  /** Null until Platos records a use of the key. */
  readonly lastUsedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
};

export type CreateProviderKeyRequest = { readonly provider: string; readonly label: string; readonly envVarName: string; readonly isDefault?: boolean };

/** Only the fields given change: `envVarName` rotates the key to another credential. A key's provider never changes. */
export type UpdateProviderKeyRequest = { readonly envVarName?: string; readonly label?: string; readonly isDefault?: boolean };

/** The code of the refusal to delete a key an agent still pins, on every protocol. */
export const PROVIDER_KEY_PINNED = "PROVIDER_KEY_PINNED";
/** The code of the refusal to point a key at something other than a SECRET variable of its environment, on every protocol. */
export const PROVIDER_KEY_CREDENTIAL_UNAVAILABLE = "PROVIDER_KEY_CREDENTIAL_UNAVAILABLE";

export interface ProviderKeyOperations {
  /**
   * What this protocol cannot honour of these inputs, said at `check` (so at preview, before any write): each failure
   * names the field, the Platos limitation and the way out. A hook sees only the inputs known so far.
   */
  /** `prior`: the inputs the key was last deployed with; absent for a new key. */
  limits(inputs: Partial<DeclaredProviderKey>, prior?: Partial<DeclaredProviderKey>): Promise<CheckFailure[]>;
  /** Whether a key's credential is the environment variable of its name (V1), not something kept apart (Platos). */
  readonly credentialsAreVariables: boolean;
  /** What to do when Platos has no credential `envVarName` for `provider` (PROVIDER_KEY_CREDENTIAL_UNAVAILABLE). */
  credentialWayOut(provider: string, envVarName: string): string;
  /** Every provider key of the environment, oldest first; none when the environment is gone. */
  list(environmentId: string): Promise<PlatosProviderKey[]>;
  get(environmentId: string, keyId: string): Promise<PlatosProviderKey | undefined>;
  /**
   * `envVarName` must name the key's credential in the same environment, as the protocol keeps one (else
   * PROVIDER_KEY_CREDENTIAL_UNAVAILABLE); a provider and label already taken fail with a conflict (`isConflict`).
   */
  create(environmentId: string, request: CreateProviderKeyRequest): Promise<PlatosProviderKey>;
  /** Only the fields given change: `envVarName` rotates the key to another variable. */
  update(environmentId: string, keyId: string, changes: UpdateProviderKeyRequest): Promise<PlatosProviderKey>;
  /** A key an agent still pins is refused with PROVIDER_KEY_PINNED, whose message names the agents. */
  delete(environmentId: string, keyId: string): Promise<void>;
}

/** The inputs of each resource that a protocol's limits may depend on; a hook sees only the ones known so far. */
export interface DeclaredEnvironment {
  readonly project: string;
  readonly slug: string;
  readonly name?: string;
  readonly adopt?: boolean;
}
export interface DeclaredVariable {
  readonly project: string;
  readonly environment: string;
  readonly key: string;
  readonly secret: boolean;
}
/** An EnvironmentVariables resource: the keys it declares PLAIN (in `variables`), known only once the map is. */
export interface DeclaredVariableSet {
  readonly project: string;
  readonly environment: string;
  readonly plainKeys: readonly string[];
}
export interface DeclaredAgent extends Partial<AgentConfig> {
  readonly project: string;
  readonly environment: string;
  readonly slug: string;
}

export interface DeclaredProviderKey {
  readonly project: string;
  readonly environment: string;
  readonly provider: string;
  readonly label: string;
  /** The name of the key's credential (its envVarName). */
  readonly variable: string;
  /** The program named the credential by an EnvironmentVariable resource (the V1 contract's credential). */
  readonly linksVariable: boolean;
  readonly isDefault: boolean;
}

/** Transport tuning (the same on every protocol), and what a protocol adds (the platform's approval polling). */
export interface ApiTuning extends Omit<TransportConfig, "apiUrl" | "token"> {
  /** Platform: how often a call waiting for an operator's approval is resent. */
  readonly approvalPollMs?: number;
  /** Platform: where the one line announcing an approval goes; stderr by default. */
  readonly announce?: (line: string) => void;
}

/** Where a credential is read with, and how errors name its settings. */
export interface CredentialSource {
  readonly apiUrl: string;
  /** Undefined when the setting it needs is not set. */
  readonly token: string | undefined;
  readonly settingNames: { readonly apiUrl: string; readonly token: string };
}

/**
 * Everything the provider knows about one protocol outside its adapter: PROTOCOL_DESCRIPTORS (protocols.ts) holds
 * one per protocol, and nothing else switches on the protocol. A third protocol is one folder and one entry.
 */
export interface ProtocolDescriptor {
  /** How the platos:protocol setting's error describes it, e.g. "the uniform V1 REST contract". */
  readonly describe: string;
  /** Builds the adapter. */
  create(settings: PlatosSettings, tuning: ApiTuning): PlatosApi;
  /** What is wrong with platos:token for this protocol (the message follows "platos:token "), or undefined. */
  tokenProblem(token: string): string | undefined;
  /** What reads core-api's project and organization lists, for the dashboard's slugs. */
  slugSource(settings: PlatosSettings): CredentialSource;
  /** The tuning this protocol reads from the environment, `readNumber` giving a positive integer or the fallback. */
  tuningFromEnvironment(readNumber: (name: string, fallback: number) => number): ApiTuning;
}

export interface PlatosApi {
  readonly protocol: Protocol;
  readonly environments: EnvironmentOperations;
  readonly variables: VariableOperations;
  readonly agents: AgentOperations;
  readonly providerKeys: ProviderKeyOperations;
}
