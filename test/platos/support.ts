/** Reaching an emulator on either protocol: local/stack-access.ts, as the main job does, named for the tests. */
import { randomUUID } from "node:crypto";
import { createClient } from "../../provider/client";
import { buildPath } from "../../provider/client/routes";
import type { ProviderKey } from "../../provider/client/schemas";
import type { Protocol } from "../../provider/platos";
import { emulatorRoutes } from "../../emulator/routes/dashboard";
import { STACK_TOKEN_PERMISSIONS } from "../../provider/platos/platform/scopes";
import { mintStackToken, stackAccess, type StackAccess, type StackAccessOptions } from "../../local/stack-access";
import type { RunningEmulator } from "../helpers/emulator";
import { testProtocol } from "../helpers/test-protocols";

export { stackConfig } from "../../local/stack-access";
export type Access = StackAccess;
export type AccessOptions = StackAccessOptions;

/** bench/api-calls.ts reads the protocols here; tests take them from provider/platos, where the list is. */
export { PROTOCOLS } from "../../provider/platos";

export { STACK_TOKEN_PERMISSIONS };

export const mintToken = (emulator: RunningEmulator, environmentId: string, permissions: readonly string[] = STACK_TOKEN_PERMISSIONS): Promise<string> =>
  mintStackToken(emulator, environmentId, { name: "test stack", permissions });

/** Settings that reach `emulator` on `protocol`: V1 with the admin token; platform with a pinned plt_mcp_ token. */
export const accessFor = (emulator: RunningEmulator, protocol: Protocol, options: StackAccessOptions = {}): Promise<Access> =>
  stackAccess(emulator, protocol, { tokenName: "test stack", ...options });

export const configSource = (config: Record<string, string>) => ({ get: (key: string) => config[key], require: (key: string) => config[key]! });

/** Answers a pending approval as an operator would in the dashboard (the emulator's admin route). */
export async function resolveApproval(emulator: RunningEmulator, approvalId: string, status: "approved" | "rejected", comment?: string): Promise<void> {
  const reply = await fetch(`${emulator.url}/emulator/approvals/${approvalId}/resolve`, {
    method: "POST",
    headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ status, ...(comment ? { comment } : {}) }),
  });
  if (reply.status !== 200) throw new Error(`resolving approval ${approvalId}: HTTP ${reply.status} ${await reply.text()}`);
}

/** The approval id in the provider's announcement line. */
export const announcedApprovalId = (line: string): string => /\(approval ([^)]+)\)/.exec(line)![1]!;

/**
 * Key material for a provider key named `name`, the way each protocol keeps it. V1: the SECRET variable of that name.
 * Platform: a provider credential, made as a person makes one in Platos's dashboard (Add key, the emulator's stand-in
 * route); the key that flow adds is deleted again, which leaves the credential (Platos keeps a credential when its
 * key goes), so a test's own keys are the environment's only ones.
 */
export async function provideKeyMaterial(
  emulator: RunningEmulator,
  protocol: Protocol,
  environmentId: string,
  material: { readonly name: string; readonly provider: string; readonly value: string },
): Promise<void> {
  const admin = createClient({ apiUrl: emulator.v1Url, token: emulator.adminToken });
  if (testProtocol(protocol).keyCredential === "variable") {
    await admin.variables.put(environmentId, material.name, { value: material.value, secret: true });
    return;
  }
  const dashboardKey = await addKeyInDashboard(emulator, environmentId, {
    provider: material.provider,
    label: `dashboard-${randomUUID()}`,
    envVarName: material.name,
    plaintext: material.value,
  });
  await admin.providerKeys.delete(environmentId, dashboardKey.id);
}

/** Adds a provider key with its material as a person does in Platos's dashboard (the emulator's stand-in route); the key carries its credentialId. */
export async function addKeyInDashboard(
  emulator: RunningEmulator,
  environmentId: string,
  body: { provider: string; label: string; envVarName: string; plaintext: string; isDefault?: boolean },
): Promise<ProviderKey & { readonly credentialId: string | null }> {
  const reply = await fetch(`${emulator.url}${buildPath(emulatorRoutes.addProviderKeyWithMaterial.path, { environmentId })}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (reply.status !== 201) throw new Error(`adding a key in the dashboard: HTTP ${reply.status} ${await reply.text()}`);
  return ((await reply.json()) as { data: ProviderKey & { credentialId: string | null } }).data;
}
