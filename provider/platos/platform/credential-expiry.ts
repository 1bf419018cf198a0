/**
 * A credential that says when it lapses (issue #27 §1): a warning once per provider process when it lapses within
 * EXPIRY_WARNING_DAYS, and an error that says it lapsed, when (if Platos said so earlier in the process) and which
 * setting to replace. Platos tells the lapse in two places, and the provider reads each only where it talks to
 * Platos anyway:
 * - the `plt_mcp_` token (platos:token): `expiresAt` in platos.whoami's answer
 *   (apps/agent/src/mcp-platform/tools/index.ts@9960ce1f L205-L222), which the adapter asks once per process;
 *   once lapsed, the gateway answers 401 "invalid or expired MCP token", as for a revoked or unknown token
 *   (mcp-platform.controller.ts@477b4e88 L485-L488), so the date is known only from an earlier whoami;
 * - the operator session (platos:operatorToken): `expiresAt` in `GET /api/v1/identity/session`
 *   (identity-session.controller.ts@92f696bd, resources.ts@6d3d834d), asked alongside the process's first core-api
 *   call; once lapsed, core-api answers 401 SESSION_EXPIRED "Session expired" (identity-access errors.ts@09f0f6e3
 *   L45-L47, session.ts@3da129de L160-L162).
 * Neither the token nor anything the server sent is quoted: the date is re-rendered from a parsed instant.
 */
import { hasCode, isUnauthenticated } from "../../client/errors";
import { MCP_TOKEN_MAX_TTL_SECONDS } from "../../client/platform/core-api";
import type { ToolSuccess } from "../../client/platform/tools";
import { noticeOnce } from "../../runtime/notices";
import type { ToolCaller } from "./approval";

/** How close a lapse is before every run says so. */
export const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ExpiringCredential {
  /** The stack setting that holds it: what to replace. */
  readonly setting: "platos:token" | "platos:operatorToken";
  readonly what: string;
  /** How to get a new one. */
  readonly renewal: string;
  /** Whether a refusal says, by itself, that this credential lapsed (core-api's SESSION_EXPIRED does; the gateway's 401 does not). */
  readonly lapsedRefusal?: (err: unknown) => boolean;
}

const configSet = (setting: string) => `\`pulumi config set --secret ${setting} <new token>\` (or update the CI secret it comes from)`;

export const MCP_TOKEN: ExpiringCredential = {
  setting: "platos:token",
  what: "Platform MCP token",
  renewal:
    `mint a new Platform MCP token for the same environment, in the Platos dashboard or with core-api's POST /mcp/platform/tokens ` +
    `(ttlSeconds up to ${MCP_TOKEN_MAX_TTL_SECONDS}, one year), then ${configSet("platos:token")}`,
};

export const OPERATOR_SESSION: ExpiringCredential = {
  setting: "platos:operatorToken",
  what: "operator session",
  renewal: `sign in to Platos again and take the new session token, then ${configSet("platos:operatorToken")}`,
  lapsedRefusal: (err) => hasCode(err, "SESSION_EXPIRED"),
};

/** `2026-11-02 21:00 UTC`. */
const dateOf = (instant: Date): string => `${instant.toISOString().slice(0, 16).replace("T", " ")} UTC`;

function inHowLong(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  return days === 0 ? "in less than a day" : days === 1 ? "in 1 day" : `in ${days} days`;
}

export interface ExpiryWatch {
  /** What Platos said of the credential's lapse (null: it does not lapse); warns once if that is near. */
  learnt(expiresAt: string | null): void;
  /** `err` with what its refusal of the credential means: lapsed (and when, if known) and how to renew. */
  explain<E>(err: E): E;
}

export function expiryWatch(credential: ExpiringCredential, now: () => Date = () => new Date()): ExpiryWatch {
  let expiresAt: Date | undefined;
  let warned = false;
  return {
    learnt(said) {
      const instant = said === null ? undefined : new Date(said);
      if (instant === undefined || Number.isNaN(instant.getTime())) return;
      expiresAt = instant;
      const left = instant.getTime() - now().getTime();
      if (warned || left <= 0 || left > EXPIRY_WARNING_DAYS * DAY_MS) return;
      warned = true;
      noticeOnce(
        `Platos: ${credential.setting} (the ${credential.what}) expires on ${dateOf(instant)}, ${inHowLong(left)}. Renew it before then: ${credential.renewal}`,
      );
    },
    explain(err) {
      if (!isUnauthenticated(err)) return err;
      const lapsed = expiresAt !== undefined && expiresAt.getTime() <= now().getTime();
      const error = err as Error;
      if (lapsed || credential.lapsedRefusal?.(err)) {
        const when = expiresAt === undefined ? "" : ` on ${dateOf(expiresAt)}`;
        error.message += `. ${credential.setting} (the ${credential.what}) expired${when}: replace it: ${credential.renewal}`;
      } else if (credential.lapsedRefusal === undefined) {
        error.message += `. If ${credential.setting} expired (Platos refuses an expired, revoked or unknown ${credential.what} alike), replace it: ${credential.renewal}`;
      }
      return err;
    },
  };
}

/** The configured token's caller: learns its lapse from platos.whoami's answer, and explains a refusal of it. */
export function watchedCaller(caller: ToolCaller, watch: ExpiryWatch): ToolCaller {
  return async (name, args) => {
    try {
      const answer = await caller(name, args);
      if (name === "platos.whoami") watch.learnt((answer as ToolSuccess<"platos.whoami">).expiresAt);
      return answer;
    } catch (err) {
      throw watch.explain(err);
    }
  };
}
