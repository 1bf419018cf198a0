/**
 * The approval gate for calls the permission gateway resolved to `require_approval`, when interactive approvals
 * are on. A first call makes (or finds) a pending row and answers -32002; the same call resent with
 * X-Platos-Approval-Id learns the row's state (each state in Platos's words, a pending resend with less data than the
 * first answer: mcp-router.ts@ceea22d7), and once the row is approved it runs with the resend's arguments (or the
 * operator's edits), exactly once: later retries get the cached result. Platos claims no row before running it, so
 * two overlapping resends could both run there; the emulator's claim is stricter.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { APPROVAL_ID_HEADER, RPC_MESSAGES, type AwaitingApprovalData } from "../../provider/client/platform/jsonrpc";
import type { ToolName } from "../../provider/client/platform/tools";
import type { Store } from "../store";
import type { Approval } from "../store/approvals";
import type { McpTokenRecord } from "../store/mcp-tokens";
import { callIdentity, shownArgs } from "./redact";

export const DEFAULT_APPROVAL_TTL_SECONDS = 3600;
const CONSUMED_RESULT_WAIT_MS = 10_000;
const POLL_MS = 20;

export interface GateSettings {
  readonly ttlSeconds: number;
  /** Where a person approves: `<origin>/orgs/…/approvals/<id>`. */
  readonly dashboardOrigin: string;
}

/** What the gate decided: answer -32002 with `message` and `data`, run the call with `args` (then `finish`), or answer a cached result. */
export type GateOutcome =
  | { readonly kind: "awaiting"; readonly message: string; readonly data: AwaitingApprovalData }
  | { readonly kind: "run"; readonly args: Record<string, unknown>; readonly edited: boolean; readonly approvalId: string }
  | { readonly kind: "cached"; readonly result: unknown };

const dashboardUrl = (settings: GateSettings, token: McpTokenRecord, approvalId: string): string =>
  `${settings.dashboardOrigin}/orgs/${token.scope.organizationId}/projects/${token.scope.projectId}/env/${token.scope.environmentId}/approvals/${approvalId}`;

function pendingData(settings: GateSettings, token: McpTokenRecord, approval: Approval, reason: string): AwaitingApprovalData {
  return {
    approvalId: approval.id,
    status: "pending",
    expiresAt: approval.expiresAt.toISOString(),
    dashboardUrl: dashboardUrl(settings, token, approval.id),
    retryHeader: APPROVAL_ID_HEADER,
    retryMeta: { platosApprovalId: approval.id },
    tier: 1,
    reason,
  };
}

/** A consumed row whose result is not cached yet is still running on another retry: wait for it a little. */
async function cachedResult(store: Store, approval: Approval): Promise<unknown> {
  const deadline = Date.now() + CONSUMED_RESULT_WAIT_MS;
  for (let current: Approval | undefined = approval; current; current = await store.approvals.find(approval.id)) {
    if (current.result) return current.result.value;
    if (!current.consumedAt || Date.now() >= deadline) break;
    await sleep(POLL_MS);
  }
  throw new Error("the approved call is still running or failed; retry");
}

export async function passGate(
  store: Store,
  settings: GateSettings,
  call: { token: McpTokenRecord; name: ToolName; args: Record<string, unknown>; approvalId: string | undefined; reason: string },
): Promise<GateOutcome> {
  const { token, name, args, approvalId } = call;
  if (approvalId === undefined) {
    const approval = await store.approvals.pending({
      environmentId: token.scope.environmentId,
      toolName: name,
      identity: callIdentity(args),
      redactedArgs: shownArgs(args),
      args,
      ttlSeconds: settings.ttlSeconds,
    });
    return { kind: "awaiting", message: RPC_MESSAGES.approvalRequired(name), data: pendingData(settings, token, approval, call.reason) };
  }
  const approval = await store.approvals.find(approvalId);
  if (!approval || approval.environmentId !== token.scope.environmentId) {
    return { kind: "awaiting", message: RPC_MESSAGES.approvalNotFound(approvalId), data: { approvalId, status: "not_found" } };
  }
  switch (approval.status) {
    case "rejected":
      return {
        kind: "awaiting",
        message: RPC_MESSAGES.approvalRejected(approvalId),
        data: { approvalId, status: "rejected", reason: approval.comment, respondedBy: approval.respondedBy },
      };
    case "timed_out":
      return { kind: "awaiting", message: RPC_MESSAGES.approvalExpired(approvalId), data: { approvalId, status: "timed_out" } };
    case "pending": {
      const { dashboardUrl: _url, tier: _tier, reason: _reason, ...resent } = pendingData(settings, token, approval, call.reason);
      return { kind: "awaiting", message: RPC_MESSAGES.approvalPending(approvalId), data: resent };
    }
    default:
      break;
  }
  if (approval.toolName !== name) return { kind: "awaiting", message: RPC_MESSAGES.approvalRequired(name), data: { approvalId, status: "tool_mismatch" } };
  if (!(await store.approvals.claim(approval.id))) return { kind: "cached", result: await cachedResult(store, approval) };
  const edited = approval.status === "approved_with_edits" && approval.editedArgs !== null;
  return { kind: "run", args: edited ? (approval.editedArgs as Record<string, unknown>) : args, edited, approvalId: approval.id };
}
