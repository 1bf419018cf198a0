/**
 * The emulator's own route for a person (or a test) to answer an approval of the platform gateway, in place of
 * Platos's dashboard. Admin token only.
 */
import type { FastifyInstance } from "fastify";
import { principalName, requireAdmin } from "../access";
import { PlatosError } from "../errors";
import { approvalRecord, resolveApproval } from "../platform/tools/approvals";
import { emulatorRoutes } from "./dashboard";
import { defineSpecRoute } from "./define";
import { item } from "./envelopes";

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
