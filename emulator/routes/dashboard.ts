/**
 * The emulator's own routes for what a person does in Platos's dashboard: answer an approval of the platform
 * gateway, and add a provider key with its material (the dashboard's Add key, which real Platos serves as the agent
 * app's `POST /api/v1/agent/providers/keys/byok` to a dashboard-signed session: providers.controller.ts@2235b98b).
 * Admin token only: here the admin token stands in for the dashboard's session. The key carries its `credentialId`,
 * as the agent app's toView renders it (provider-key.service.ts L406-L432). The agent app's own route is served too
 * (routes/agent-provider-keys.ts), to a session `POST /emulator/agent-sessions` opens.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { CoreRouteSpec } from "../../provider/client/platform/core-api";
import { ApprovalRecord, TOOLS } from "../../provider/client/platform/tools";
import { ItemEnvelope, ProviderId, ProviderKeyLabel, ProviderKeyResource, VariableKey } from "../../provider/client/schemas";
import { principalName, requireAdmin } from "../access";
import { defineSpecRoute } from "./define";
import { item } from "./envelopes";
import { reachableEnvironment } from "./lookups";
import { unlessRefused } from "./refusals";

const resolveSchema = TOOLS["approvals.resolve"].inputSchema.properties;

const ResolveApprovalRequest = z.strictObject({
  status: z.enum(resolveSchema.status.enum),
  comment: z.string().optional(),
  editedArgs: z.record(z.string(), z.unknown()).optional(),
});

/** The BYOK body: the key, and the material its credential holds (1 to 16384 characters, as Platos takes it). */
const AddKeyWithMaterialRequest = z.strictObject({
  provider: ProviderId,
  label: ProviderKeyLabel,
  envVarName: VariableKey,
  plaintext: z.string().min(1).max(16_384),
  isDefault: z.boolean().optional(),
});

/** The key as the agent app's toView renders it: the resource and the credential holding its material. */
const DashboardProviderKey = ProviderKeyResource.extend({ credentialId: z.string().nullable() });

export const emulatorRoutes = {
  resolveApproval: {
    method: "POST",
    path: "/emulator/approvals/:approvalId/resolve",
    success: [200],
    body: ResolveApprovalRequest,
    response: ItemEnvelope(ApprovalRecord),
  },
  addProviderKeyWithMaterial: {
    method: "POST",
    path: "/emulator/environments/:environmentId/provider-keys",
    success: [201],
    body: AddKeyWithMaterialRequest,
    response: ItemEnvelope(DashboardProviderKey),
  },
} as const satisfies Record<string, CoreRouteSpec>;

/**
 * secrets.ts@1e98abda `linkProviderKeyInTransaction`: the credential of that name is made for the provider, or its
 * material rotated when it is already the provider's (another provider's name is credential_unavailable), and the
 * key is added on it, in one transaction.
 */
export function dashboardKeyRoutes(api: FastifyInstance): void {
  defineSpecRoute(api, emulatorRoutes.addProviderKeyWithMaterial, async ({ params, body, principal, store }) => {
    requireAdmin(principal);
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const key = unlessRefused(
      await store.providerCredentials.linkKey(environment.id, { ...body, isDefault: body.isDefault ?? false }, principalName(principal)),
    );
    return { status: 201 as const, body: item(key) };
  });
}
