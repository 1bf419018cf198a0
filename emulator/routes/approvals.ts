/**
 * The emulator's own route for a person (or a test) to answer an approval of the platform gateway, in place of
 * Platos's dashboard. Admin token only.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { CoreRouteSpec } from "../../provider/client/platform/core-api";
import { ApprovalRecord, TOOLS } from "../../provider/client/platform/tools";
import { ItemEnvelope } from "../../provider/client/schemas";
import { principalName, requireAdmin } from "../access";
import { PlatosError } from "../errors";
import { approvalRecord, resolveApproval } from "../platform/tools/approvals";
import { defineSpecRoute } from "./define";
import { item } from "./envelopes";

const resolveSchema = TOOLS["approvals.resolve"].inputSchema.properties;

export const ResolveApprovalRequest = z.strictObject({
  status: z.enum(resolveSchema.status.enum),
  comment: z.string().optional(),
  editedArgs: z.record(z.string(), z.unknown()).optional(),
});

export const emulatorRoutes = {
  resolveApproval: {
    method: "POST",
    path: "/emulator/approvals/:approvalId/resolve",
    success: [200],
    body: ResolveApprovalRequest,
    response: ItemEnvelope(ApprovalRecord),
  },
} as const satisfies Record<string, CoreRouteSpec>;

export function approvalRoutes(api: FastifyInstance): void {
  defineSpecRoute(api, emulatorRoutes.resolveApproval, async ({ params, body, principal, store }) => {
    requireAdmin(principal);
    const outcome = await resolveApproval(store, params.approvalId, { ...body, respondedBy: principalName(principal) });
    if ("approval" in outcome) return { status: 200 as const, body: item(approvalRecord(outcome.approval)) };
    if (outcome.error === "not_pending") throw new PlatosError("APPROVAL_NOT_PENDING", `the approval is ${outcome.status}, not pending`);
    if (outcome.error === "not_found") throw new PlatosError("APPROVAL_NOT_FOUND", "no approval with this id");
    throw new PlatosError("TRANSPORT_REQUEST_INVALID", "approved_with_edits needs editedArgs", [
      { field: "editedArgs", code: "required", message: "is required with approved_with_edits" },
    ]);
  });
}
