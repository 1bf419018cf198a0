/**
 * Reaching an emulator on either protocol. On the platform protocol Platos makes a project's first environment
 * with the project: here it is made through the V1 route, and a `plt_mcp_` token pinned to it is minted through
 * core-api with the emulator's admin token acting as the operator session.
 */
import { createClient } from "../../provider/client";
import type { Environment } from "../../provider/client/schemas";
import type { PlatosSettings, Protocol } from "../../provider/platos";
import { coreApiClient } from "../../provider/platos/platform/core-api";
import { MINTED_TOKEN_PERMISSIONS } from "../../provider/platos/platform/scopes";
import type { RunningEmulator } from "../helpers/emulator";

export const PROTOCOLS: readonly Protocol[] = ["v1", "platform"];

/** The permissions a platform team would give a stack's token: the tools the provider calls. */
export const STACK_TOKEN_PERMISSIONS = MINTED_TOKEN_PERMISSIONS;

export async function mintToken(emulator: RunningEmulator, environmentId: string, permissions: readonly string[] = STACK_TOKEN_PERMISSIONS): Promise<string> {
  const operator = coreApiClient({ apiUrl: emulator.url, token: emulator.adminToken });
  return (await operator.mintToken({ environmentId, name: "test stack", permissions: [...permissions] })).token;
}

export interface Access {
  readonly settings: PlatosSettings;
  /** On platform: the environment the token is pinned to. */
  readonly home?: Environment;
}

export interface AccessOptions {
  /** Where the provider sends its requests (a recorder in front of the emulator); the emulator's URL by default. */
  readonly apiUrl?: string;
  /** Platform: the slug of the environment the token is pinned to (made when missing). */
  readonly home?: string;
  /** Platform: give the admin token as platos:operatorToken (default true). */
  readonly operator?: boolean;
}

/** Settings that reach `emulator` on `protocol`: V1 with the admin token; platform with a pinned plt_mcp_ token. */
export async function accessFor(emulator: RunningEmulator, protocol: Protocol, options: AccessOptions = {}): Promise<Access> {
  const apiUrl = options.apiUrl ?? emulator.url;
  if (protocol === "v1") return { settings: { protocol, apiUrl, token: emulator.adminToken, operatorToken: undefined } };
  const admin = createClient({ apiUrl: emulator.url, token: emulator.adminToken });
  const slug = options.home ?? "home";
  const home = (await admin.environments.findBySlug("default", slug)) ?? (await admin.environments.create("default", { slug }));
  const token = await mintToken(emulator, home.id);
  return { settings: { protocol, apiUrl, token, operatorToken: options.operator === false ? undefined : emulator.adminToken }, home };
}

/** The same settings as stack config, for a provider's `configure`. */
export function stackConfig(settings: PlatosSettings): Record<string, string> {
  return {
    "platos:protocol": settings.protocol,
    "platos:apiUrl": settings.apiUrl,
    "platos:token": settings.token,
    ...(settings.operatorToken === undefined ? {} : { "platos:operatorToken": settings.operatorToken }),
  };
}

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
