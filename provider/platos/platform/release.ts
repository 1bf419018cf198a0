/**
 * Which Platos releases the platform adapter supports, and the one check that tells an unsupported one at preview.
 *
 * Platos has no numbered releases: apps/agent/package.json@6ac03029 is "0.0.1", `GET /api/health` answers
 * `version: env.PLATOS_VERSION || "0.0.1"` (apps/agent/src/health/health.controller.ts@f5be3399: whatever the operator
 * set), core-api stamps `X-Platos-Contract-Version: M0.1` on every answer of every line that has the header
 * (apps/core-api/src/transports/rest/envelope.ts@8b7a5c32, runtime/edge-middleware.ts@8b7a5c32), and the gateway's
 * `initialize` answers `serverInfo.version` "1.0.0" (apps/agent/src/http/mcp-surface.ts@ceea22d7) or "0.1.0"
 * (mcp-router.ts@bd71ddb1). None of these tells the unsupported lines apart: the one without an operator principal
 * also says "0.1.0", as the working bd71ddb1 line does (inferred: its controller passes the router no abort signal,
 * as mcp-router.ts@bd71ddb1 expects; the index holds no router of its own commit). So a release is named here by the
 * source line it runs, and an unsupported one is told by how it answers.
 *
 * The unsupported line: mcp-platform.controller.ts@c0fe48bd builds the tools' scope without `principal`, and
 * ProviderKeyService.authorize (providers/provider-key.service.ts@27416be9) refuses every call whose principal is
 * not "operator" by throwing ProviderKeyError("not_found"). providers.list_keys (tools/providers.ts@0d40c417) does not
 * catch it, so the router answers -32603 "internal error"; the writes answer `{error:"not_found"}`, which a delete
 * would read as "already gone". The supported lines set `principal: "operator"` (controller@bd71ddb1, @477b4e88).
 *
 * The check is one providers.list_keys with the token's own environment, once per process, and only where a
 * ProviderKey's preview already talks to the gateway (without an operator token: the reach check's platos.whoami);
 * with an operator token a preview sends nothing, so the line is told by the first list_keys a read or write makes
 * (provider-keys.ts). Any answer but -32603 (success, a permission refusal, no connection) passes: a Platos that
 * works is never blocked by it.
 *
 * The other unsupported line tells itself by its answers, at no cost: tools/settings.ts@f5be3399 serves environments
 * from the legacy RuntimeEnvironment table and secrets from the legacy SecretStore (admin/environment.service.ts@
 * f5be3399): environments.list items carry `type` and `shortcode` but no `name`, and set_secret answers `{ok, name}`
 * without the `version` drift is told from. An answer in that shape, which the current schema refuses, is reported
 * as that release (gateway.ts) instead of as a broken field. The line the adapter reads is tools/settings.ts@bd71ddb1.
 */
import { hasCode, isApiError } from "../../client/errors";
import type { ToolCaller } from "./approval";
import { once } from "./once";

/**
 * What the newest supported line says of itself, which the emulator answers as: core-api's build stamp
 * (envelope.ts@8b7a5c32 `CONTRACT_BUILD_ID`), the gateway's `serverInfo` contract (mcp-surface.ts@ceea22d7), and the
 * commit whose gateway wire the emulator follows. That is @015c89b3, the successor of controller@477b4e88: its
 * protocol suite (apps/agent/src/mcp-platform/mcp-protocol-conformance.integration.test.ts@015c89b3) fixed the 477b4e88
 * controller's answers to HTTP 200 for a request and 202 with no body for a notification, and serves
 * `logging/setLevel`. The adapter takes 200 and 201 alike, so both lines work with it.
 */
export const NEWEST_SUPPORTED = {
  coreApiContractBuild: "M0.1",
  mcpServerVersion: "1.0.0",
  mcpContractMajor: 1,
  gatewayRelease: "winsenlabs/platos@015c89b3ece2721615a0ebfc71569349dd95dac4",
} as const;

/** The `serverInfo._meta` key under which the emulator names the release it answers as (`{release}`). */
export const EMULATED_RELEASE_META_KEY = "platos-emulator/release";

/** What a release check found: nothing against this Platos, or what cannot work on it, the line found and the line needed. */
export type ReleaseFinding =
  { readonly supported: true } | { readonly supported: false; readonly cannot: string; readonly found: string; readonly needed: string };
export type UnsupportedRelease = Extract<ReleaseFinding, { supported: false }>;

/** The Platos lines this adapter supports, by their source: what the README's "Supported Platos releases" lists. */
export const SUPPORTED_GATEWAY =
  'a Platos whose Platform MCP gateway runs tools as the operator (`principal: "operator"`): mcp-platform.controller.ts@477b4e88 and its successor @015c89b3 (serverInfo.version "1.0.0"), or the earlier line @bd71ddb1 (serverInfo.version "0.1.0")';

export const UNSUPPORTED_GATEWAY =
  "a Platos whose Platform MCP gateway runs tools without an operator principal (mcp-platform.controller.ts@c0fe48bd): providers.list_keys answered -32603 for the token's own environment, as that line answers every provider-key call";

/** The one error an unsupported release gets: what cannot work, the line found, the line needed, the way out. */
export function unsupportedRelease(finding: UnsupportedRelease): string {
  return `this Platos release cannot ${finding.cannot}: found ${finding.found}; needs ${finding.needed}`;
}

export const PRINCIPALLESS: UnsupportedRelease = {
  supported: false,
  cannot: "manage provider keys",
  found: UNSUPPORTED_GATEWAY,
  needed:
    `${SUPPORTED_GATEWAY}. Upgrade Platos, or leave provider keys out of this stack and manage them in the Platos dashboard ` +
    "(a current Platos answers the same when the token's environment is archived or its minting user cannot operate it)",
};

export const SUPPORTED_SETTINGS = "tools/settings.ts@bd71ddb1 (environments with a `name`, environment variables with a `version`)";

const LEGACY_SETTINGS: UnsupportedRelease = {
  supported: false,
  cannot: "manage environments or environment variables",
  found:
    "tools/settings.ts@f5be3399, whose environments come from the legacy RuntimeEnvironment table (`type`, `shortcode`, no `name`) and whose set_secret answers without a `version`",
  needed: `${SUPPORTED_SETTINGS}. Upgrade Platos`,
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** tools/settings.ts@f5be3399's shapes (admin/environment.service.ts@f5be3399 `list`, `create`, `setSecret`). */
const LEGACY_SETTINGS_SHAPES: Readonly<Record<string, (value: Record<string, unknown>) => boolean>> = {
  "environments.list": (value) =>
    Array.isArray(value["environments"]) && value["environments"].some((row) => isRecord(row) && "shortcode" in row && "type" in row && !("name" in row)),
  "environments.create": (value) => "shortcode" in value && "type" in value && !("name" in value),
  "environments.list_secrets": (value) =>
    Array.isArray(value["secrets"]) && value["secrets"].some((row) => isRecord(row) && "isSecret" in row && !("hasSecret" in row)),
  "environments.set_secret": (value) => value["ok"] === true && typeof value["name"] === "string" && !("version" in value),
};

/** The unsupported release a tool's answer (one the current schema refused) is in the shape of, if it is a known one. */
export function releaseAnswering(tool: string, value: unknown): UnsupportedRelease | undefined {
  return isRecord(value) && LEGACY_SETTINGS_SHAPES[tool]?.(value) ? LEGACY_SETTINGS : undefined;
}

/**
 * The release check of one provider process. `finding()` asks Platos once and keeps what Platos answered; when no
 * answer came (no connection, a deadline), it passes and asks again next time.
 */
export function releaseCheck(pinned: ToolCaller): { finding(): Promise<ReleaseFinding> } {
  const answered = once(async (): Promise<ReleaseFinding> => {
    try {
      await pinned("providers.list_keys", {});
      return { supported: true };
    } catch (err) {
      if (hasCode(err, "RPC_INTERNAL_ERROR")) return PRINCIPALLESS;
      // Platos answered something else (a token without providers.list_keys, …): not this line, so no block.
      if (isApiError(err)) return { supported: true };
      throw err;
    }
  });
  return {
    async finding() {
      try {
        return await answered();
      } catch {
        // No answer is no signal: never block a Platos that may work.
        return { supported: true };
      }
    },
  };
}
export type ReleaseCheck = ReturnType<typeof releaseCheck>;
