/**
 * The JSON-RPC 2.0 framing of Platos's platform gateway (`POST /mcp/platform`; docs/api.md, "The platform
 * surface"): requests, responses, the error codes and the data each error code carries. The client parses replies
 * with these and the emulator builds them with these.
 */
import { z } from "zod";

export const JSONRPC_VERSION = "2.0";
/** The gateway's one path: no `/api` prefix and no version. */
export const PLATFORM_PATH = "/mcp/platform";
/** The header a call resends to learn the outcome of its approval. */
export const APPROVAL_ID_HEADER = "X-Platos-Approval-Id";
/** Requests to `/mcp*` with a larger (or no) Content-Length are refused with 413 before anything else runs. */
export const PLATFORM_BODY_CAP_BYTES = 2 * 1024 * 1024;
export const MCP_PROTOCOL_VERSION = "2025-06-18";

export const RPC_ERRORS = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  TOOL_BLOCKED: -32000,
  PERMISSION_DENIED: -32001,
  AWAITING_APPROVAL: -32002,
  /** Reserved by Platos; nothing emits it. */
  RATE_LIMITED: -32099,
} as const;
export type RpcErrorName = keyof typeof RPC_ERRORS;
export type RpcErrorCode = (typeof RPC_ERRORS)[RpcErrorName];

export const RpcId = z.union([z.string(), z.number(), z.null()]);
export type RpcId = z.infer<typeof RpcId>;

/** What the gateway accepts: an object with `jsonrpc: "2.0"` and a string `method` (batches are refused). */
export const RpcRequest = z.looseObject({
  jsonrpc: z.literal(JSONRPC_VERSION),
  id: RpcId.optional(),
  method: z.string(),
  params: z.unknown().optional(),
});
export type RpcRequest = z.infer<typeof RpcRequest>;

export const ToolCallParams = z.looseObject({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()).optional(),
});
export type ToolCallParams = z.infer<typeof ToolCallParams>;

export const RpcError = z.object({
  code: z.number().int(),
  message: z.string(),
  data: z.unknown().optional(),
});
export type RpcError = z.infer<typeof RpcError>;

export const RpcSuccess = z.object({ jsonrpc: z.literal(JSONRPC_VERSION), id: RpcId, result: z.unknown() });
export const RpcFailure = z.object({ jsonrpc: z.literal(JSONRPC_VERSION), id: RpcId, error: RpcError });
export const RpcResponse = z.union([RpcSuccess, RpcFailure]);
export type RpcResponse = z.infer<typeof RpcResponse>;

/** A `tools/call` result: the tool's return value as JSON text in the first content item. */
export const ToolCallResult = z.looseObject({
  content: z.array(z.looseObject({ type: z.literal("text"), text: z.string() })).min(1),
});
export type ToolCallResult = z.infer<typeof ToolCallResult>;

export const InitializeResult = z.looseObject({
  protocolVersion: z.string(),
  capabilities: z.looseObject({}),
  serverInfo: z.looseObject({ name: z.string(), version: z.string() }),
});

export const ListedTool = z.looseObject({
  name: z.string(),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()),
  category: z.string(),
  _meta: z.object({ "platos.dev/tool": z.object({ v: z.literal(1), schemaHash: z.string(), admin: z.boolean() }) }),
});
export const ToolsListResult = z.object({ tools: z.array(ListedTool) });

// ---- error data --------------------------------------------------------------------------------------------

/** `-32602` for tool arguments: which ones broke which rule; `source` is set when the operator's edit broke it. */
export const InvalidArgumentsData = z.object({
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  source: z.literal("edited_args").optional(),
});
export type InvalidArgumentsData = z.infer<typeof InvalidArgumentsData>;

/** `-32000`: the permission gateway resolved `block`. */
export const ToolBlockedData = z.object({ tier: z.number().int(), reason: z.string() });

export const ApprovalStatus = z.enum(["pending", "approved", "rejected", "timed_out", "approved_with_edits"]);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/** `-32002`: what the gate says about the call's approval; `status` tells the client what to do next. */
export const AwaitingApprovalData = z.looseObject({
  approvalId: z.string().optional(),
  status: z.enum(["pending", "rejected", "timed_out", "not_found", "tool_mismatch"]),
  expiresAt: z.string().optional(),
  dashboardUrl: z.string().optional(),
  retryHeader: z.literal(APPROVAL_ID_HEADER).optional(),
  retryMeta: z.object({ platosApprovalId: z.string() }).optional(),
  tier: z.number().int().optional(),
  reason: z.string().nullable().optional(),
  respondedBy: z.string().nullable().optional(),
});
export type AwaitingApprovalData = z.infer<typeof AwaitingApprovalData>;

// ---- HTTP-level refusals (before JSON-RPC) -----------------------------------------------------------------

/** 401 and 400 from the gateway controller: Nest's default exception body. */
export const GatewayRefusal = z.object({ statusCode: z.number().int(), message: z.string() });
/** 413 from the body cap. */
export const PayloadTooLarge = z.object({ error: z.literal("payload_too_large"), limit: z.number().int() });

export const GATEWAY_MESSAGES = {
  bearerRequired: "Authorization: Bearer <PLATOS_MCP_TOKEN> required",
  invalidToken: "invalid or expired MCP token",
  notJsonRpc: "body must be a JSON-RPC 2.0 request with `method`",
} as const;

/** The message of each JSON-RPC error the router builds, so client and emulator agree on the wording. */
export const RPC_MESSAGES = {
  methodNotSupported: (method: string) => `method '${method}' not supported`,
  nameRequired: "tools/call: `name` is required",
  toolNotAllowed: (tool: string) => `token does not allow tool '${tool}'`,
  toolNotFound: (tool: string) => `tool '${tool}' not found`,
  adminTierRequired: (tool: string) => `tool '${tool}' requires an admin-tier MCP token`,
  invalidArguments: (tool: string) => `invalid arguments for tool '${tool}'`,
  blocked: (tool: string, tier: number) => `tool '${tool}' blocked by tier-${tier} policy`,
  approvalRequired: (tool: string) => `approval required for tool '${tool}'`,
  // A resend's answer by the approval's state (mcp-router.ts@ceea22d7 L478-L534).
  approvalNotFound: (id: string) => `approval ${id} not found in this scope`,
  approvalRejected: (id: string) => `approval ${id} was rejected`,
  approvalExpired: (id: string) => `approval ${id} expired before resolution`,
  approvalPending: (id: string) => `approval ${id} still pending`,
  internal: "internal error",
} as const;
