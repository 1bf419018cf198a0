/** What Linux's /proc tells about a process: resident memory, its peak, CPU time, command line, children. */
import { readFileSync, writeFileSync } from "node:fs";

/** Clock ticks per second of /proc/PID/stat's times (USER_HZ, 100 on every Linux architecture Node runs on). */
const TICKS_PER_SECOND = 100;

const readOrUndefined = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined; // the process has exited
  }
};

export interface ProcessSample {
  /** VmRSS: the resident set now, in bytes. */
  readonly rssBytes: number;
  /** VmHWM: the highest resident set since start or since `resetPeakRss`, in bytes. */
  readonly peakRssBytes: number;
  /** User plus system CPU seconds since the process started. */
  readonly cpuSeconds: number;
}

export function sampleProcess(pid: number): ProcessSample | undefined {
  const status = readOrUndefined(`/proc/${pid}/status`);
  const stat = readOrUndefined(`/proc/${pid}/stat`);
  if (status === undefined || stat === undefined) return undefined;
  const kib = (field: string) => new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
  const [rssKib, peakKib] = [kib("VmRSS"), kib("VmHWM")];
  // Fields after the command name (which may hold spaces): state is the 3rd field, utime and stime the 14th and 15th.
  const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (rssKib === undefined || peakKib === undefined) return undefined;
  return {
    rssBytes: Number(rssKib) * 1024,
    peakRssBytes: Number(peakKib) * 1024,
    cpuSeconds: (Number(afterName[11]) + Number(afterName[12])) / TICKS_PER_SECOND,
  };
}

/** Starts a new VmHWM window (Linux 4.0+; the caller must own the process). False when the kernel refused. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

export function commandLineOf(pid: number): string {
  return (readOrUndefined(`/proc/${pid}/cmdline`) ?? "").split("\0").join(" ");
}

/** Every process below `pid` (needs /proc/PID/task/TID/children, Linux 3.5+). */
export function descendantsOf(pid: number): number[] {
  const tasks = readOrUndefined(`/proc/${pid}/task/${pid}/children`);
  const children = (tasks ?? "").split(" ").filter(Boolean).map(Number);
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}
