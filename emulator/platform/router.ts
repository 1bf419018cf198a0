/**
 * The JSON-RPC router of `POST /mcp/platform` (mcp-router.ts in Platos): initialize, ping, logging/setLevel, tools/list
 * and tools/call (notifications never reach it: gateway.ts answers them 202). tools/call runs Platos's pipeline in its
 * order: name → permission (-32001, before existence) → existence (-32601) → admin tier (-32001) → arguments (-32602,
 * unstorable text too) → permission gateway and approval gate (-32000/-32002) → execute; a result is `content[0].text =
 * JSON.stringify(result)` and anything thrown is -32603 "internal error" with no data.
 */
import { createHash } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import {
  JSONRPC_VERSION,
  MCP_PROTOCOL_VERSION,
  RPC_ERRORS,
  RPC_MESSAGES,
  type InvalidArgumentsData,
  type RpcId,
  type RpcRequest,
  type RpcResponse,
} from "../../provider/client/platform/jsonrpc";
import { isToolName, TOOL_NAMES, TOOLS, type ToolName } from "../../provider/client/platform/tools";
import { canonicalJson } from "../../provider/client/canonical-json";
import { EMULATED_RELEASE_META_KEY, NEWEST_SUPPORTED } from "../../provider/platos/platform/release";
import type { Store } from "../store";
import type { McpTokenRecord } from "../store/mcp-tokens";
import { passGate, type GateSettings } from "./approval-gate";
import { allows, decide } from "./permissions";
import { findUnstorableText } from "../unstorable-text";
import { validateArgs } from "./schema-validator";
import { TOOL_HANDLERS } from "./tools";
import type { ToolContext } from "./tools/context";

export interface RouterSettings {
  readonly store: Store;
  /** Absent: gated calls are auto-approved (and logged), as in Platos without MCP_INTERACTIVE_APPROVALS. */
  readonly approvals?: GateSettings;
}

export interface CallContext {
  readonly token: McpTokenRecord;
  readonly approvalId: string | undefined;
  readonly log: FastifyBaseLogger;
}

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
const schemaHash = (name: ToolName): string => sha256(canonicalJson(TOOLS[name].inputSchema));

class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

const success = (id: RpcId, result: unknown): RpcResponse => ({ jsonrpc: JSONRPC_VERSION, id, result });
const failure = (id: RpcId, error: RpcFailure): RpcResponse => ({
  jsonrpc: JSONRPC_VERSION,
  id,
  error: { code: error.code, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) },
});

const visibleTools = (token: McpTokenRecord): ToolName[] =>
  TOOL_NAMES.filter((name) => allows(token.permissions, name) && (!TOOLS[name].requiresAdminTier || token.tier === "admin"));

/** Platos's OAuth scope set for the platform server (mcp-surface.ts@ceea22d7 `PLATFORM_MCP_SCOPES`). */
const PLATFORM_MCP_SCOPES = ["mcp:read", "mcp:write"];
/**
 * Digests as mcp-surface.ts@ceea22d7 derives them: the catalog's over the registered tools sorted by name, each
 * `{name, schemaHash, admin}` (`mcpCatalogDigest`); the scope set's over the sorted OAuth scopes, not the token's
 * permissions (`mcpScopeSetDigest`, router@ceea22d7 initialize). The catalog is this emulator's, so its digest is
 * not a real Platos's.
 */
const CATALOG_DIGEST = sha256(
  canonicalJson(
    TOOL_NAMES.map((name) => ({ name, schemaHash: schemaHash(name), admin: TOOLS[name].requiresAdminTier })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    ),
  ),
);
const SCOPE_SET_DIGEST = sha256(canonicalJson([...PLATFORM_MCP_SCOPES].sort()));

/**
 * The emulator answers as one Platos release, the newest supported line (release.ts `NEWEST_SUPPORTED`), and says
 * which under its own `_meta` key: the contract's readers ignore unknown `_meta` keys (mcp-surface.ts@ceea22d7).
 */
function initializeResult() {
  return {
    protocolVersion: MCP_PROTOCOL_VERSION,
    capabilities: { tools: {}, logging: {} },
    serverInfo: {
      name: "platos-platform-mcp",
      version: NEWEST_SUPPORTED.mcpServerVersion,
      _meta: {
        "platos.dev/contract": {
          major: NEWEST_SUPPORTED.mcpContractMajor,
          catalogDigest: CATALOG_DIGEST,
          scopeSetDigest: SCOPE_SET_DIGEST,
          rateTableVersion: null,
        },
        [EMULATED_RELEASE_META_KEY]: { release: NEWEST_SUPPORTED.gatewayRelease },
      },
    },
  };
}

/** The emulator's words: Platos's message for an unknown level is not in the source index. */
const UNKNOWN_LOGGING_LEVEL = "logging/setLevel: `level` must be one of debug, info, notice, warning, error, critical, alert, emergency";

/** The MCP logging levels (RFC 5424 severities, MCP 2025-06-18 `LoggingLevel`). */
const LOGGING_LEVELS: readonly string[] = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

/**
 * `logging/setLevel`: Platos advertises `capabilities.logging` and, from @015c89b3, answers a known level `{}` and an
 * unknown one -32602 (mcp-protocol-conformance.integration.test.ts@015c89b3 "honours the logging capability it
 * advertises"). No log messages are ever sent, so the level changes nothing here.
 */
function setLevel(params: unknown): Record<string, never> {
  const level = (params as { level?: unknown } | null | undefined)?.level;
  if (typeof level !== "string" || !LOGGING_LEVELS.includes(level)) throw new RpcFailure(RPC_ERRORS.INVALID_PARAMS, UNKNOWN_LOGGING_LEVEL);
  return {};
}

function toolsListResult(token: McpTokenRecord) {
  return {
    tools: visibleTools(token).map((name) => ({
      name,
      description: TOOLS[name].description,
      inputSchema: TOOLS[name].inputSchema,
      category: "platos.platform",
      _meta: { "platos.dev/tool": { v: 1, schemaHash: schemaHash(name), admin: TOOLS[name].requiresAdminTier } },
    })),
  };
}

/** Text the store cannot hold is an argument problem too, in the validator's `(root)` path style. */
const unstorableArguments = (args: unknown) => findUnstorableText(args).map(({ path, message }) => ({ path: path === "" ? "(root)" : path, message }));

function invalidArguments(name: string, args: unknown, source?: "edited_args"): RpcFailure | undefined {
  const schemaErrors = isToolName(name) ? validateArgs(args, TOOLS[name].inputSchema) : [];
  const errors = [...schemaErrors, ...unstorableArguments(args)];
  if (errors.length === 0) return undefined;
  const data: InvalidArgumentsData = { errors, ...(source ? { source } : {}) };
  return new RpcFailure(RPC_ERRORS.INVALID_PARAMS, RPC_MESSAGES.invalidArguments(name), data);
}

const textResult = (result: unknown) => ({ content: [{ type: "text", text: typeof result === "string" ? result : JSON.stringify(result) }] });

async function execute(name: ToolName, args: Record<string, unknown>, context: ToolContext): Promise<unknown> {
  const handler = TOOL_HANDLERS[name] as (args: Record<string, unknown>, context: ToolContext) => Promise<unknown>;
  try {
    return await handler(args, context);
  } catch (err) {
    context.log.error({ err, tool: name }, "tool failed");
    throw new RpcFailure(RPC_ERRORS.INTERNAL_ERROR, RPC_MESSAGES.internal);
  }
}

async function callTool(settings: RouterSettings, params: unknown, call: CallContext): Promise<unknown> {
  // router@ceea22d7: `params?.name` must be a non-empty string; `params?.arguments ?? {}` is what is validated and
  // run, so `arguments: null` is `{}` and any other non-object is refused by the schema's root type.
  const given = (typeof params === "object" && params !== null ? params : {}) as { name?: unknown; arguments?: unknown };
  const name = given.name;
  if (typeof name !== "string" || name.length === 0) throw new RpcFailure(RPC_ERRORS.INVALID_PARAMS, RPC_MESSAGES.nameRequired);
  const { token } = call;
  if (!allows(token.permissions, name)) throw new RpcFailure(RPC_ERRORS.PERMISSION_DENIED, RPC_MESSAGES.toolNotAllowed(name));
  if (!isToolName(name)) throw new RpcFailure(RPC_ERRORS.METHOD_NOT_FOUND, RPC_MESSAGES.toolNotFound(name));
  const spec = TOOLS[name];
  if (spec.requiresAdminTier && token.tier !== "admin") throw new RpcFailure(RPC_ERRORS.PERMISSION_DENIED, RPC_MESSAGES.adminTierRequired(name));
  const invalid = invalidArguments(name, given.arguments ?? {});
  if (invalid) throw invalid;
  // The schemas of every tool here have root type "object", so valid arguments are an object.
  const args = (given.arguments ?? {}) as Record<string, unknown>;

  const context: ToolContext = { store: settings.store, token, log: call.log };
  const decision = decide(token, name, spec);
  if (decision.state !== "require_approval") return textResult(await execute(name, args, context));
  if (!settings.approvals) {
    call.log.info({ tool: name, tokenId: token.id }, "approval gate off: call auto-approved");
    return textResult(await execute(name, args, context));
  }
  const outcome = await passGate(settings.store, settings.approvals, { token, name, args, approvalId: call.approvalId, reason: decision.reason });
  if (outcome.kind === "awaiting") throw new RpcFailure(RPC_ERRORS.AWAITING_APPROVAL, outcome.message, outcome.data);
  if (outcome.kind === "cached") return textResult(outcome.result);
  const invalidEdit = outcome.edited ? invalidArguments(name, outcome.args, "edited_args") : undefined;
  try {
    if (invalidEdit) throw invalidEdit;
    const result = await execute(name, outcome.args, context);
    await settings.store.approvals.complete(outcome.approvalId, result);
    return textResult(result);
  } catch (err) {
    await settings.store.approvals.release(outcome.approvalId);
    throw err;
  }
}

async function dispatch(settings: RouterSettings, request: RpcRequest, call: CallContext): Promise<unknown> {
  switch (request.method) {
    case "initialize":
      return initializeResult();
    // A notification method sent as a request (with an id) is answered, as router@ceea22d7 answers it.
    case "ping":
    case "notifications/ping":
    case "notifications/initialized":
      return {};
    case "logging/setLevel":
      return setLevel(request.params);
    case "tools/list":
      return toolsListResult(call.token);
    case "tools/call":
      return callTool(settings, request.params, call);
    default:
      throw new RpcFailure(RPC_ERRORS.METHOD_NOT_FOUND, RPC_MESSAGES.methodNotSupported(request.method));
  }
}

/** One request in, one response object out (`id` null when the request's is null). */
export async function handleRpc(settings: RouterSettings, request: RpcRequest, call: CallContext): Promise<RpcResponse> {
  const id = request.id ?? null;
  try {
    return success(id, await dispatch(settings, request, call));
  } catch (err) {
    if (err instanceof RpcFailure) return failure(id, err);
    call.log.error({ err, method: request.method }, "platform request failed");
    return failure(id, new RpcFailure(RPC_ERRORS.INTERNAL_ERROR, RPC_MESSAGES.internal));
  }
}
