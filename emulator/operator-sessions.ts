/**
 * Operator sessions, as core-api authenticates them (issue #27 §1): each has an expiry, after which core-api answers
 * 401 SESSION_EXPIRED "Session expired" (identity-access domain/session.ts@3da129de evaluateOperatorSession,
 * domain/errors.ts@319dbf3d sessionExpired), and `GET /api/v1/identity/session` says when it lapses
 * (apps/core-api/src/transports/rest/identity-session.controller.ts@92f696bd). The admin token stands for a session
 * that lasts EMULATOR_ADMIN_SESSION_DAYS from the emulator's start; a test opens a shorter one with
 * `POST /emulator/operator-sessions`. Kept in memory: a restarted emulator forgets them, as a test wants.
 */
import { randomUUID } from "node:crypto";
import { hashToken, newApiToken } from "./crypto";
import { PlatosError } from "./errors";

/** Beyond the provider's 14-day warning, so a test's admin token warns of nothing. */
const EMULATOR_ADMIN_SESSION_DAYS = 30;

export interface OperatorSession {
  readonly sessionId: string;
  readonly expiresAt: Date;
}

export class OperatorSessions {
  private readonly byHash = new Map<string, OperatorSession>();
  readonly admin: OperatorSession;

  constructor(private readonly now: () => Date = () => new Date()) {
    this.admin = { sessionId: randomUUID(), expiresAt: new Date(now().getTime() + EMULATOR_ADMIN_SESSION_DAYS * 86_400_000) };
  }

  /** A new session token that lapses in `ttlSeconds`. */
  open(ttlSeconds: number): { token: string; session: OperatorSession } {
    const token = newApiToken();
    const session = { sessionId: randomUUID(), expiresAt: new Date(this.now().getTime() + ttlSeconds * 1000) };
    this.byHash.set(hashToken(token), session);
    return { token, session };
  }

  /** The live session `token` opened; undefined if it opened none; SESSION_EXPIRED once it lapsed. */
  live(token: string): OperatorSession | undefined {
    const session = this.byHash.get(hashToken(token));
    if (session && session.expiresAt <= this.now()) throw new PlatosError("SESSION_EXPIRED", "Session expired");
    return session;
  }
}
