/**
 * The emulator's own route for a person (or a test) to answer an approval of the platform gateway, in place of
 * Platos's dashboard. Admin token only.
 */
import type { FastifyInstance } from "fastify";
import { principalName, requireAdmin } from "../access";
import { PlatosError } from "../errors";
import { approvalRecord } from "../platform/tools/approvals";
import { emulatorRoutes } from "./dashboard";
import { defineSpecRoute } from "./define";
import { item } from "./envelopes";
import { unlessRefused } from "./refusals";

export function approvalRoutes(api: FastifyInstance): void {
  defineSpecRoute(api, emulatorRoutes.resolveApproval, async ({ params, body, principal, store }) => {
    requireAdmin(principal);
    const approval = unlessRefused(await store.approvals.resolve(params.approvalId, { ...body, respondedBy: principalName(principal) }));
    if (!approval) throw new PlatosError("APPROVAL_NOT_FOUND", "no approval with this id");
    return { status: 200 as const, body: item(approvalRecord(approval)) };
  });
}
