/**
 * One `plt_mcp_` token's view of the platform gateway: `tools/call` as JSON-RPC 2.0 over `POST {apiUrl}/mcp/platform`
 * (stateless: no initialize, no session), on the client's shared Http (pools, deadlines, retries by
 * retry-rule.ts). Unwraps `content[0].text`, checks the result against the tool's schema, and turns domain
 * errors, JSON-RPC errors and HTTP refusals into typed errors. -32002 is not an error here: it comes back as an
 * approval answer, for approval.ts. An answer in the shape of a known unsupported Platos release is reported as that
 * release (release.ts), not as a broken field.
 */
import { z } from "zod";
import { PlatosTransportError } from "../../client/errors";
import {
  APPROVAL_ID_HEADER,
  AwaitingApprovalData,
  JSONRPC_VERSION,
  PLATFORM_PATH,
  RPC_ERRORS,
  RpcResponse,
  ToolCallResult,
} from "../../client/platform/jsonrpc";
import { isDomainError, parseToolResult, type ToolArgs, type ToolName, type ToolSuccess } from "../../client/platform/tools";
import { contractBroken, parseReply, parseValue, safeJson, type Http, type HttpReply, type ReplyReading } from "../../client/transport";
import { domainFailure, httpFailure, rpcFailure } from "./errors";
import { releaseAnswering, unsupportedRelease } from "./release";
import { mayResend } from "./retry-rule";

export type ToolAnswer<N extends ToolName> =
  { readonly kind: "result"; readonly value: ToolSuccess<N> } | { readonly kind: "approval"; readonly approval: AwaitingApprovalData };

export interface GatewaySession {
  send<N extends ToolName>(name: N, args: ToolArgs<N>, approvalId?: string): Promise<ToolAnswer<N>>;
}

const RateLimitedData = z.looseObject({ retryAfterSeconds: z.number().optional() });

let nextRequestId = 1;

function readRpc(operation: string, apiUrl: string, reply: HttpReply): ReplyReading<RpcResponse> {
  if (reply.status !== 201 && reply.status !== 200) {
    return {
      kind: "failed",
      outcome: { kind: "response", status: reply.status },
      failure: httpFailure(operation, reply.status, reply.text, apiUrl),
      retryAfterSec: reply.retryAfterSec,
    };
  }
  const response = parseReply(operation, RpcResponse, reply.text);
  if ("error" in response && response.error.code === RPC_ERRORS.RATE_LIMITED) {
    const retryAfterSec = RateLimitedData.safeParse(response.error.data).data?.retryAfterSeconds;
    return { kind: "failed", outcome: { kind: "response", status: 429 }, failure: rpcFailure(operation, response.error), retryAfterSec };
  }
  return { kind: "done", value: response };
}

function decodeResult<N extends ToolName>(operation: string, name: N, result: unknown): ToolSuccess<N> {
  const [content] = parseValue(operation, ToolCallResult, result).content;
  const value = safeJson(content!.text);
  if (value === undefined) throw new PlatosTransportError("CONTRACT_RESPONSE_INVALID", operation, "the tool result's text is not JSON", 1);
  let decoded;
  try {
    decoded = parseToolResult(name, value);
  } catch (err) {
    if (err instanceof z.ZodError) {
      const release = releaseAnswering(name, value);
      throw release ? new PlatosTransportError("CONTRACT_RESPONSE_INVALID", operation, unsupportedRelease(release), 1) : contractBroken(operation, err);
    }
    throw err;
  }
  if (isDomainError(decoded)) throw domainFailure(operation, decoded);
  return decoded as ToolSuccess<N>;
}

export function gatewaySession(http: Http, apiUrl: string): GatewaySession {
  return {
    async send(name, args, approvalId) {
      const operation = `tools/call ${name}`;
      const response = await http.exchange({
        method: "POST",
        path: PLATFORM_PATH,
        body: { jsonrpc: JSONRPC_VERSION, id: nextRequestId++, method: "tools/call", params: { name, arguments: args } },
        headers: approvalId === undefined ? {} : { [APPROVAL_ID_HEADER]: approvalId },
        operation,
        label: name,
        read: (reply) => readRpc(operation, apiUrl, reply),
        mayRetry: (failure) => mayResend(name, approvalId !== undefined, failure),
      });
      if ("result" in response) return { kind: "result", value: decodeResult(operation, name, response.result) };
      if (response.error.code === RPC_ERRORS.AWAITING_APPROVAL) {
        return { kind: "approval", approval: parseValue(operation, AwaitingApprovalData, response.error.data) };
      }
      throw rpcFailure(operation, response.error);
    },
  };
}
