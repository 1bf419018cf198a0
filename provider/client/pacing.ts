/**
 * Paces the requests of one API URL and credential, shared by every call of the process, so that a burst of calls
 * fits the server's rate limit instead of spending requests on 429s (Platos counts refused requests against its
 * daily quota too). It learns as it goes:
 * - From a 429 and its Retry-After, all Platos tells a client: nothing leaves until the refused window reopens,
 *   and the requests the server accepted in the period that ended with the refusal, over the time from that
 *   period's first request to the reopening, give the rate the server allows. From then on requests leave at
 *   least that far apart, so a fixed window sees no more than its limit.
 * - From rate headers, when a server sends them (rate-limit-headers.ts): once the budget left in the window is
 *   spent, counting the requests already sent that the answer could not know of, nothing leaves until the reset.
 * It also caps the requests in flight, so that calls which must wait wait here, where a refusal can still hold
 * them back, rather than in a socket queue.
 */
import { createHash } from "node:crypto";
import { readWindowBudget, type ResponseHeaders } from "./rate-limit-headers";

export interface Ticket {
  readonly seq: number;
  readonly period: number;
}

/** How a wait for a turn ended. */
export type Turn =
  | { readonly kind: "go"; readonly ticket: Ticket }
  /** `reopensAt`: the server's window reopens after the caller's limit, so waiting was pointless. */
  | { readonly kind: "gave-up"; readonly reopensAt?: number };

/** What came back for a ticket; no status when no HTTP answer came. */
export interface Answer {
  readonly status?: number;
  readonly headers?: ResponseHeaders;
  /** Retry-After, or the error body's retryAfterSec. */
  readonly retryAfterSec?: number;
}

/** Room for error in a learned spacing: Retry-After comes in whole seconds and arrival times jitter. */
const SPACING_MARGIN = 1.05;
/** A 429 that says nothing about when to come back holds everything this long. */
const BLIND_REFUSAL_PAUSE_MS = 1_000;
/** After this long with nothing sent, a server's count has most likely restarted: measure afresh. */
const IDLE_RESTART_MS = 60_000;
/** setTimeout's limit; a longer wait has no timer and simply waits. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

interface Waiter {
  readonly giveUpAt: number;
  readonly resolve: (turn: Turn) => void;
  timer?: NodeJS.Timeout;
}

/** The requests sent since the last refusal (or since the first request), and what the server made of them. */
interface Period {
  readonly id: number;
  readonly startedAt: number;
  /** The spacing in force while it ran: a refusal under it means the server allows no more than that. */
  readonly spacingMs: number;
  /** Answered with anything but 429: the server counted them and let them through. */
  accepted: number;
  /** Set by the refusal that ends the period. */
  reopensAt?: number;
}

export class Pacer {
  private readonly waiting: Waiter[] = [];
  private inFlight = 0;
  private sent = 0;
  private lastSentAt = 0;
  private blockedUntil = 0;
  private spacingMs = 0;
  private nextSendAt = 0;
  private current: Period | undefined;
  /** The period the last refusal ended; its late answers still refine what it taught. */
  private ended: Period | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly maxInFlight: number) {}

  /** Waits for a turn to send: a place in flight, the server's window open, the spacing kept. Retries go first. */
  take(giveUpAt: number, options: { readonly retry?: boolean } = {}): Promise<Turn> {
    if (this.blockedUntil > giveUpAt) return Promise.resolve({ kind: "gave-up", reopensAt: this.blockedUntil });
    return new Promise((resolve) => {
      const waiter: Waiter = { giveUpAt, resolve };
      const delay = giveUpAt - Date.now();
      if (delay < LONGEST_TIMER_MS) {
        waiter.timer = setTimeout(
          () => this.drop(waiter, { kind: "gave-up", ...(this.blockedUntil > Date.now() ? { reopensAt: this.blockedUntil } : {}) }),
          Math.max(0, delay),
        );
      }
      if (options.retry) this.waiting.unshift(waiter);
      else this.waiting.push(waiter);
      this.pump();
    });
  }

  /** Every ticket is settled exactly once, whatever became of its request. */
  settle(ticket: Ticket, answer: Answer): void {
    this.inFlight--;
    const now = Date.now();
    const budget = answer.headers ? readWindowBudget(answer.headers, now) : undefined;
    // Requests sent after this one reached the server after it, so they spent budget this answer still shows.
    if (budget && budget.remaining - (this.sent - ticket.seq) <= 0) this.block(budget.resetAt);
    const period = this.current?.id === ticket.period ? this.current : this.ended?.id === ticket.period ? this.ended : undefined;
    if (period && answer.status !== undefined && answer.status !== 429) period.accepted++;
    if (answer.status === 429) {
      const reopensAt = answer.retryAfterSec !== undefined ? now + answer.retryAfterSec * 1000 : (budget?.resetAt ?? now + BLIND_REFUSAL_PAUSE_MS);
      this.block(reopensAt);
      if (period && period === this.current) {
        period.reopensAt = reopensAt;
        this.ended = period;
        this.current = undefined;
      }
    }
    if (period && period === this.ended) this.learnSpacing(period);
    this.pump();
  }

  /**
   * What the server accepted in the ended period, spread over the time until its window reopened. Recomputed as
   * the period's late answers arrive, before it reopens; never below the spacing that still met a refusal.
   */
  private learnSpacing(period: Period): void {
    if (period.reopensAt === undefined || period.accepted === 0) return;
    const measured = ((period.reopensAt - period.startedAt) / period.accepted) * SPACING_MARGIN;
    this.spacingMs = Math.max(period.spacingMs, measured);
  }

  private block(until: number): void {
    if (until <= this.blockedUntil) return;
    this.blockedUntil = until;
    for (const waiter of [...this.waiting]) {
      if (waiter.giveUpAt < until) this.drop(waiter, { kind: "gave-up", reopensAt: until });
    }
  }

  private drop(waiter: Waiter, turn: Turn): void {
    const index = this.waiting.indexOf(waiter);
    if (index < 0) return;
    this.waiting.splice(index, 1);
    clearTimeout(waiter.timer);
    if (this.waiting.length === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    waiter.resolve(turn);
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiting.length > 0 && this.inFlight < this.maxInFlight) {
      const now = Date.now();
      const at = Math.max(this.blockedUntil, this.nextSendAt);
      if (at > now) {
        this.timer = setTimeout(() => this.pump(), at - now);
        return;
      }
      const waiter = this.waiting.shift()!;
      clearTimeout(waiter.timer);
      waiter.resolve({ kind: "go", ticket: this.send(now) });
    }
  }

  private send(now: number): Ticket {
    if (!this.current || (this.inFlight === 0 && now - this.lastSentAt > IDLE_RESTART_MS)) {
      this.current = { id: this.sent + 1, startedAt: now, spacingMs: this.spacingMs, accepted: 0 };
    }
    this.inFlight++;
    this.sent++;
    this.lastSentAt = now;
    this.nextSendAt = now + this.spacingMs;
    return { seq: this.sent, period: this.current.id };
  }
}

const pacers = new Map<string, Pacer>();

/** The process's pacer for an API URL and credential; the key holds a digest of the token, never the token. */
export function pacerFor(apiUrl: string, token: string, maxInFlight: number): Pacer {
  const key = `${new URL(apiUrl).href} ${createHash("sha256").update(token).digest("hex")}`;
  let pacer = pacers.get(key);
  if (!pacer) {
    pacer = new Pacer(maxInFlight);
    pacers.set(key, pacer);
  }
  return pacer;
}

/** Forgets what every pacer learned; for tests and short-lived CLIs, with closeAllPools. */
export function forgetPacers(): void {
  pacers.clear();
}
