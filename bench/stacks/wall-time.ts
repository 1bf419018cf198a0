/**
 * An operation's wall time, split at the moments its session noted: host start, policy pack start, then the
 * time a provider method was in flight, a policy call without one, and neither, then shutdown.
 */
import { busyMs, type TimedCall } from "./call-timeline";
import type { SessionMoments } from "./timed-host";

export interface WallTimeSplit {
  /** Spawn until the host printed its port, plus Configure. */
  readonly hostStartMs: number;
  /** Spawn until GetAnalyzerInfo and Configure answered. */
  readonly policyPackStartMs: number;
  /** A provider method (Check, Diff, Create, Read, Update, Delete) in flight. */
  readonly providerCallsMs: number;
  /** A policy Analyze in flight and no provider method. */
  readonly policyCallsMs: number;
  /** Neither: the program run under the SDK, the harness's engine steps, the state file. */
  readonly programAndEngineMs: number;
  /** Closing the host and the pack. */
  readonly shutdownMs: number;
}

interface Timeline {
  readonly startedMs: number;
  readonly endedMs: number;
  readonly moments: SessionMoments;
  readonly providerCalls: readonly TimedCall[];
  readonly policyCalls: readonly TimedCall[];
}

/** Splits [started, ended] at the session's moments; a moment never reached (a failed start) takes the one before it. */
export function splitWallTime({ startedMs, endedMs, moments, providerCalls, policyCalls }: Timeline): WallTimeSplit {
  const hostReady = moments.hostConfiguredMs ?? startedMs;
  const packReady = moments.policyPackStartedMs ?? hostReady;
  const closing = moments.closingMs ?? endedMs;
  const providerMs = busyMs(providerCalls);
  const eitherMs = busyMs([...providerCalls, ...policyCalls]);
  return {
    hostStartMs: hostReady - startedMs,
    policyPackStartMs: packReady - hostReady,
    providerCallsMs: providerMs,
    policyCallsMs: eitherMs - providerMs,
    programAndEngineMs: Math.max(0, closing - packReady - eitherMs),
    shutdownMs: endedMs - closing,
  };
}

export function sumSplits(splits: readonly WallTimeSplit[]): WallTimeSplit {
  const sum = (pick: (s: WallTimeSplit) => number) => splits.reduce((total, s) => total + pick(s), 0);
  return {
    hostStartMs: sum((s) => s.hostStartMs),
    policyPackStartMs: sum((s) => s.policyPackStartMs),
    providerCallsMs: sum((s) => s.providerCallsMs),
    policyCallsMs: sum((s) => s.policyCallsMs),
    programAndEngineMs: sum((s) => s.programAndEngineMs),
    shutdownMs: sum((s) => s.shutdownMs),
  };
}
