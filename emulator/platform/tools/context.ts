import type { FastifyBaseLogger } from "fastify";
import type { ToolArgs, ToolName, ToolResult } from "../../../provider/client/platform/tools";
import type { Store } from "../../store";
import type { McpTokenRecord } from "../../store/mcp-tokens";

/** What a tool runs with: the store and the verified token, whose pinned scope is the call's scope. */
export interface ToolContext {
  readonly store: Store;
  readonly token: McpTokenRecord;
  readonly log: FastifyBaseLogger;
}

/** A tool's implementation. Domain failures are returned as `{error}` results; anything thrown becomes -32603. */
export type ToolHandler<N extends ToolName> = (args: ToolArgs<N>, context: ToolContext) => Promise<ToolResult<N>>;

export type ToolHandlers<N extends ToolName> = { readonly [K in N]: ToolHandler<K> };
