/**
 * `POST /mcp/platform` (mcp-platform.controller.ts in Platos), outside the V1 API's hooks: no `/api` prefix, no
 * rate limit, its own auth. Bearer (401 if missing) → verify the `plt_mcp_` token (401 if unknown, expired or
 * revoked) → JSON-RPC shape (400; batches refused) → router. A request's answer is the JSON-RPC object with HTTP 200;
 * a notification (a message without `id`) is answered 202 with no body and runs nothing, as Platos's line @015c89b3
 * answers (mcp-protocol-conformance.integration.test.ts@015c89b3, "answers requests 200 … and NEVER answers a
 * notification"). Refusals before the router are Nest's default body `{"statusCode","message"}`. Injected faults
 * apply here too.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { MCP_TOKEN_PREFIX } from "../../provider/client/platform/core-api";
import { GATEWAY_MESSAGES, PLATFORM_BODY_CAP_BYTES, PLATFORM_PATH, RpcRequest } from "../../provider/client/platform/jsonrpc";
import { hashToken } from "../crypto";
import { PlatosError } from "../errors";
import { dropAfterResponse, faultsBeforeHandler, type FaultConfig, type Random } from "../plugins/faults";
import type { GateSettings } from "./approval-gate";
import { handleRpc } from "./router";

export interface GatewayOptions {
  /** Absent: calls with a require_approval floor are auto-approved. */
  readonly approvals?: { readonly ttlSeconds: number; readonly dashboardOrigin?: string };
  readonly faults: FaultConfig;
  readonly random: Random;
}

const BEARER = /^bearer (.*)$/is;
const APPROVAL_ID = "x-platos-approval-id";

function refuse(reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  return reply.code(statusCode).type("application/json; charset=utf-8").send({ statusCode, message });
}

const ownOrigin = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;

function gateSettings(options: GatewayOptions, request: FastifyRequest): GateSettings | undefined {
  return options.approvals && { ttlSeconds: options.approvals.ttlSeconds, dashboardOrigin: options.approvals.dashboardOrigin ?? ownOrigin(request) };
}

export function platformGateway(app: FastifyInstance, options: GatewayOptions): void {
  app.register(async (gateway) => {
    gateway.setErrorHandler((error, request, reply) => {
      if (error instanceof PlatosError) {
        if (error.retryAfterSec !== undefined) reply.header("retry-after", String(error.retryAfterSec));
        return refuse(reply, error.status, error.message);
      }
      const status = (error as { statusCode?: unknown }).statusCode;
      // Never echo a parser message: it may quote the body.
      if (typeof status === "number" && status >= 400 && status < 500) return refuse(reply, 400, GATEWAY_MESSAGES.notJsonRpc);
      request.log.error({ err: error }, "unhandled gateway error");
      return refuse(reply, 500, "Internal server error");
    });
    faultsBeforeHandler(gateway, options.faults, options.random);
    dropAfterResponse(gateway, options.faults, options.random);

    gateway.post(PLATFORM_PATH, { bodyLimit: PLATFORM_BODY_CAP_BYTES }, async (request, reply) => {
      // extractBearer (mcp-platform.controller.ts@0d40c417): `bearer ` in any case, the rest trimmed; nothing left is
      // the same refusal as no header.
      const bearer = BEARER.exec(request.headers.authorization ?? "")?.[1]?.trim();
      if (!bearer) return refuse(reply, 401, GATEWAY_MESSAGES.bearerRequired);
      const token = bearer.startsWith(MCP_TOKEN_PREFIX) ? await gateway.store.mcpTokens.verify(hashToken(bearer)) : undefined;
      if (!token) return refuse(reply, 401, GATEWAY_MESSAGES.invalidToken);
      const parsed = Array.isArray(request.body) ? undefined : RpcRequest.safeParse(request.body);
      if (!parsed?.success) return refuse(reply, 400, GATEWAY_MESSAGES.notJsonRpc);
      // JSON-RPC 2.0 §4.1: a message without `id` is a notification, and the server never answers one.
      if (!Object.prototype.hasOwnProperty.call(request.body, "id")) return reply.code(202).send();
      const approvalId = request.headers[APPROVAL_ID];
      const response = await handleRpc({ store: gateway.store, approvals: gateSettings(options, request) }, parsed.data, {
        token,
        approvalId: typeof approvalId === "string" && approvalId.length > 0 ? approvalId : undefined,
        log: request.log,
      });
      return reply.code(200).type("application/json; charset=utf-8").send(response);
    });
  });
}
