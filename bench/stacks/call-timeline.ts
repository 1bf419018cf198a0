/**
 * Calls made during one operation, each with when it started and ended. Calls overlap (the program registers
 * resources concurrently), so "time inside" a kind of call is the union of its intervals: the wall time during
 * which at least one was in flight.
 */
export interface TimedCall {
  /** E.g. `Check`, `Create`, `Analyze`. */
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
}

export class CallTimeline {
  readonly calls: TimedCall[] = [];

  async time<T>(name: string, call: () => Promise<T>): Promise<T> {
    const startMs = performance.now();
    try {
      return await call();
    } finally {
      this.calls.push({ name, startMs, endMs: performance.now() });
    }
  }
}

/** Milliseconds during which at least one of `calls` was in flight. */
export function busyMs(calls: readonly TimedCall[]): number {
  const sorted = [...calls].sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let open: { startMs: number; endMs: number } | undefined;
  for (const { startMs, endMs } of sorted) {
    if (open && startMs <= open.endMs) {
      open.endMs = Math.max(open.endMs, endMs);
      continue;
    }
    if (open) total += open.endMs - open.startMs;
    open = { startMs, endMs };
  }
  return total + (open ? open.endMs - open.startMs : 0);
}
