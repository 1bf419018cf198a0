/** The calls the floor makes, one request each (or the fewest the protocol allows), on either protocol. */
import type { Protocol } from "../../../provider/platos";
import type { FloorHttp } from "./http";
import { platformFloorCalls } from "./platform";
import { v1FloorCalls } from "./v1";

export interface FloorTokens {
  /** V1 routes (and, on the platform, the core-api variable routes the operator token reaches). */
  readonly api: string;
  /** Mints `plt_mcp_` tokens for environments (platform). */
  readonly admin: string;
  /** A `plt_mcp_` token pinned to another environment of the project: environments.* (platform). */
  readonly pinned?: string;
}

export interface FloorCalls {
  createEnvironment(slug: string): Promise<string>;
  putVariable(environmentId: string, key: string, value: string, secret: boolean): Promise<void>;
  /** Returns the agent's id, which the platform's destroy needs. */
  createAgent(environmentId: string, slug: string, name: string, model: string): Promise<string>;
  /** One listing of the project's environments. */
  listEnvironments(): Promise<void>;
  listVariables(environmentId: string): Promise<void>;
  listAgents(environmentId: string): Promise<void>;
  /** Deletes the environment and what it holds. */
  destroyEnvironment(environmentId: string, agentIds: readonly string[]): Promise<void>;
}

export type FloorCallsFactory = (http: FloorHttp, tokens: FloorTokens) => FloorCalls;

/** The floor's calls on each protocol, one entry per protocol. */
export const FLOOR_CALLS = {
  platform: platformFloorCalls,
  v1: () => v1FloorCalls,
} as const satisfies Record<Protocol, () => FloorCallsFactory>;
