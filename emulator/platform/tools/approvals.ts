/**
 * approvals.get/resolve over the approval rows of the token's environment. approvals.resolve is ungated, so a
 * token holding `approvals.*` can approve its own calls, as in Platos. Its result shape and `{error}` codes are
 * the emulator's own (docs/api.md).
 */
import type { ApprovalRecord } from "../../../provider/client/platform/tools";
import type { Store } from "../../store";
import type { Approval, Resolution } from "../../store/approvals";
import type { ToolHandlers } from "./context";
import { shownArgs } from "../redact";

export function approvalRecord(approval: Approval): ApprovalRecord {
  return {
    id: approval.id,
    toolName: approval.toolName,
    status: approval.status,
    environmentId: approval.environmentId,
    redactedArgs: approval.redactedArgs,
    editedArgs: approval.editedArgs && shownArgs(approval.editedArgs),
    comment: approval.comment,
    respondedBy: approval.respondedBy,
    expiresAt: approval.expiresAt.toISOString(),
    consumedAt: approval.consumedAt,
    createdAt: approval.createdAt,
  };
}

export type ResolveOutcome = { readonly approval: Approval } | { readonly error: "not_found" | "edited_args_required" } | { readonly error: "not_pending"; readonly status: string };

/** Resolves a pending approval; `environmentId` narrows it to one environment's rows (a token's). */
export async function resolveApproval(store: Store, approvalId: string, resolution: Resolution, environmentId?: string): Promise<ResolveOutcome> {
  const approval = await store.approvals.find(approvalId);
  if (!approval || (environmentId !== undefined && approval.environmentId !== environmentId)) return { error: "not_found" };
  if (resolution.status === "approved_with_edits" && resolution.editedArgs === undefined) return { error: "edited_args_required" };
  const resolved = await store.approvals.resolve(approvalId, resolution);
  return resolved ? { approval: resolved } : { error: "not_pending", status: approval.status };
}

export const approvalTools: ToolHandlers<"approvals.get" | "approvals.resolve"> = {
  "approvals.get": async ({ approvalId }, { store, token }) => {
    const approval = await store.approvals.find(approvalId);
    if (!approval || approval.environmentId !== token.scope.environmentId) throw new Error("approval not found");
    return approvalRecord(approval);
  },

  "approvals.resolve": async ({ approvalId, ...resolution }, { store, token }) => {
    const outcome = await resolveApproval(store, approvalId, { ...resolution, respondedBy: token.mintedBy }, token.scope.environmentId);
    return "approval" in outcome ? approvalRecord(outcome.approval) : outcome;
  },
};
