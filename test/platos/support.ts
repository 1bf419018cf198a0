/** Reaching an emulator on either protocol: emulator/stack-access.ts, as the main job does, named for the tests. */
import type { Protocol } from "../../provider/platos";
import { STACK_TOKEN_PERMISSIONS } from "../../provider/platos/platform/scopes";
import { mintStackToken, stackAccess, type StackAccess, type StackAccessOptions } from "../../emulator/stack-access";
import type { RunningEmulator } from "../helpers/emulator";

export { stackConfig } from "../../emulator/stack-access";
export type Access = StackAccess;

export const PROTOCOLS: readonly Protocol[] = ["v1", "platform"];

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
