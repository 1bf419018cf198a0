/**
 * approvals.get/resolve over the approval rows of the token's environment. approvals.resolve is ungated, so a
 * token holding `approvals.*` can approve its own calls, as in Platos. Its result shape and `{error}` codes are
 * the emulator's own (docs/api.md). The record is also what the emulator's approval route answers.
 */
import type { ApprovalRecord } from "../../../provider/client/platform/tools";
import type { Approval } from "../../store/approvals";
import { isRefusal } from "../../store/refusals";
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

export const approvalTools: ToolHandlers<"approvals.get" | "approvals.resolve"> = {
  "approvals.get": async ({ approvalId }, { store, token }) => {
    const approval = await store.approvals.find(approvalId);
    if (!approval || approval.environmentId !== token.scope.environmentId) throw new Error("approval not found");
    return approvalRecord(approval);
  },

  "approvals.resolve": async ({ approvalId, ...resolution }, { store, token }) => {
    const outcome = await store.approvals.resolve(approvalId, { ...resolution, respondedBy: token.mintedBy }, token.scope.environmentId);
    if (outcome === undefined) return { error: "not_found" };
    if (!isRefusal(outcome)) return approvalRecord(outcome);
    return outcome.refused === "not_pending" ? { error: "not_pending", status: outcome.status } : { error: "edited_args_required" };
  },
};
