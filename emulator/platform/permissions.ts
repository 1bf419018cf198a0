/**
 * What a `plt_mcp_` token may call (PlatosMCPTokenService.allows) and the state the permission gateway resolves
 * for a call. No organization policies exist here, so nothing resolves to `block`.
 */
import type { ApprovalFloor, ToolSpec } from "../../provider/client/platform/tools";
import type { McpTokenRecord } from "../store/mcp-tokens";

/** `*`, the exact name, or `prefix.*` (which matches `prefix` and any name under `prefix.`); nothing else globs. */
export function allows(permissions: readonly string[], tool: string): boolean {
  for (const pattern of permissions) {
    if (pattern === "*" || pattern === tool) return true;
    if (pattern.endsWith(".*")) {
      const prefix = pattern.slice(0, -2);
      if (tool === prefix || tool.startsWith(`${prefix}.`)) return true;
    }
  }
  return false;
}

const READ_SUFFIXES = [".list", ".get", ".search", ".census", ".whoami", ".list_accessible_scopes", ".test_credentials", ".test", ".validate_handler"];
const READ_INFIXES = [".list_", ".get_"];
const READ_NAMES = [
  /^monitoring\./,
  /^events\.recent$/,
  /^events\.subscribe$/,
  /^audit\./,
  /^tool_calls\./,
  /^reflection\./,
  /^macros\.list$/,
  /^macros\.replay_log$/,
];

/** A read by name; anything else is mutating for the admin-tier escalation. */
function isReadTool(name: string): boolean {
  return (
    READ_SUFFIXES.some((suffix) => name.endsWith(suffix)) ||
    READ_INFIXES.some((infix) => name.includes(infix)) ||
    READ_NAMES.some((pattern) => pattern.test(name))
  );
}

export interface GatewayDecision {
  readonly state: ApprovalFloor;
  readonly reason: string;
}

/** The most restrictive of the tier-1 floor and, for admin-tier tokens, the escalation of mutating calls. */
export function decide(token: Pick<McpTokenRecord, "tier">, name: string, spec: Pick<ToolSpec, "approvalFloor">): GatewayDecision {
  if (spec.approvalFloor === "require_approval") return { state: "require_approval", reason: "tier-1 require_approval" };
  if (token.tier === "admin" && !isReadTool(name)) return { state: "require_approval", reason: "admin-tier mutating call" };
  return { state: "auto_allow", reason: "tier-1 auto_allow" };
}
