/**
 * Peak RSS and CPU seconds of this process's children during one operation, by role (the provider host and the
 * policy pack the harness starts, the emulator). Polls /proc; a process's last sample is taken when the harness
 * is about to close it (`sampleNow`), so its peak and CPU time are read before it exits.
 */
import { commandLineOf, descendantsOf, resetPeakRss, sampleProcess } from "../proc";

export type ProcessRole = "provider host" | "policy pack" | "emulator";

const ROLE_PATTERNS: readonly [ProcessRole, RegExp][] = [
  ["provider host", /cmd\/dynamic-provider/],
  ["policy pack", /cmd\/run-policy-pack/],
  ["emulator", /emulator\/main\.ts/],
];

const SAMPLE_EVERY_MS = 25;

export interface RoleUsage {
  readonly peakRssBytes: number;
  readonly cpuSeconds: number;
}

interface Seen {
  readonly role: ProcessRole;
  /** CPU seconds when this window began (0 for a process started inside it). */
  readonly cpuAtStart: number;
  peakRssBytes: number;
  cpuSeconds: number;
}

export class ProcessSampler {
  private readonly seen = new Map<number, Seen>();
  private readonly timer: NodeJS.Timeout;
  /** False when a long-lived child's VmHWM could not be reset, so its peak covers its whole life. */
  readonly peakResetWorked: boolean;

  constructor() {
    let resetWorked = true;
    for (const pid of descendantsOf(process.pid)) {
      const role = roleOf(pid);
      if (!role) continue;
      resetWorked = resetPeakRss(pid) && resetWorked;
      const sample = sampleProcess(pid);
      if (sample) this.seen.set(pid, { role, cpuAtStart: sample.cpuSeconds, ...sample });
    }
    this.peakResetWorked = resetWorked;
    this.timer = setInterval(() => this.sampleNow(), SAMPLE_EVERY_MS);
  }

  readonly sampleNow = (): void => {
    for (const pid of descendantsOf(process.pid)) {
      let seen = this.seen.get(pid);
      if (!seen) {
        const role = roleOf(pid);
        if (!role) continue;
        seen = { role, cpuAtStart: 0, peakRssBytes: 0, cpuSeconds: 0 };
        this.seen.set(pid, seen);
      }
      const sample = sampleProcess(pid);
      if (!sample) continue;
      seen.peakRssBytes = Math.max(seen.peakRssBytes, sample.peakRssBytes);
      seen.cpuSeconds = sample.cpuSeconds;
    }
  };

  /** Per role: the highest peak of its processes and the CPU seconds they spent in the window. */
  stop(): Map<ProcessRole, RoleUsage> {
    this.sampleNow();
    clearInterval(this.timer);
    const usage = new Map<ProcessRole, RoleUsage>();
    for (const seen of this.seen.values()) {
      const before = usage.get(seen.role) ?? { peakRssBytes: 0, cpuSeconds: 0 };
      usage.set(seen.role, {
        peakRssBytes: Math.max(before.peakRssBytes, seen.peakRssBytes),
        cpuSeconds: before.cpuSeconds + seen.cpuSeconds - seen.cpuAtStart,
      });
    }
    return usage;
  }
}

function roleOf(pid: number): ProcessRole | undefined {
  const commandLine = commandLineOf(pid);
  return ROLE_PATTERNS.find(([, pattern]) => pattern.test(commandLine))?.[0];
}
