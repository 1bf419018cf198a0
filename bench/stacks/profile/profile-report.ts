/** The `--profile` part of the printout: each provider host's CPU by whose code it is, and its top frames. */
import { seconds, table } from "../markdown";
import { GROUPS, summariseProfiles, type FrameTime, type ProfileSummary } from "./cpu-profile";
import { SAMPLE_INTERVAL_US, type HostProfiles } from "./host-profiling";

const TOP_FRAMES = 20;

export interface ProfiledOperation {
  readonly variant: string;
  readonly operation: string;
}

const share = (ms: number, of: number): string => `${seconds(ms)} (${of === 0 ? "—" : Math.round((100 * ms) / of)} %)`;

function byGroup(rows: readonly [ProfiledOperation, ProfileSummary][], of: (s: ProfileSummary) => ReadonlyMap<string, number>): string {
  return table(
    ["operation", "provider", "hosts", "sampled", ...GROUPS, "this package on the stack"],
    rows.map(([{ variant, operation }, s]) => [
      operation,
      variant,
      String(s.profiles),
      seconds(s.totalMs),
      ...GROUPS.map((group) => share(of(s).get(group) ?? 0, s.totalMs)),
      share(s.throughPackageMs, s.totalMs),
    ]),
  );
}

function topFrames(frames: readonly FrameTime[], totalMs: number): string {
  return table(
    ["frame", "group", "self time"],
    frames.slice(0, TOP_FRAMES).map((f) => [`\`${f.frame}\``, f.group, share(f.selfMs, totalMs)]),
  );
}

/** `topOf`: the operations whose top frames are printed (each variant's). */
export function profileReport(profiles: HostProfiles, operations: readonly ProfiledOperation[], topOf: readonly string[]): string {
  const rows = operations.map((op): [ProfiledOperation, ProfileSummary] => [op, summariseProfiles(profiles.dirOf(op.variant, op.operation))]);
  const lines = [
    "### Where the provider host's CPU goes (`--profile`)",
    "",
    `One \`.cpuprofile\` per host in \`${profiles.root}\` (open it in Chrome DevTools), sampled every ${SAMPLE_INTERVAL_US} µs from start-up to SIGTERM; a sample weighs one interval. ` +
      "Self time by whose code a frame is (this package: provider/lib; node internals: Node's own modules, the garbage collector and native code; other: undici and the rest); " +
      '"this package on the stack" is the time with a frame of this package anywhere on the stack, what it calls included. ' +
      "The profiler costs CPU of its own: host CPU figures of a profiled run are above an unprofiled one's.",
    "",
    "Self time:",
    "",
    byGroup(rows, (s) => s.byGroup),
    "",
    "Node's own frames (module loading and compiling, buffers, streams) charged to the nearest caller outside Node; node internals keeps what has none (the garbage collector, the event loop):",
    "",
    byGroup(rows, (s) => s.byCaller),
  ];
  for (const [op, summary] of rows) {
    if (!topOf.includes(op.operation) || summary.profiles === 0) continue;
    lines.push("", `#### Top ${TOP_FRAMES} frames by self time: ${op.operation}, ${op.variant}`, "", topFrames(summary.frames, summary.totalMs));
    if (summary.throughPackageMs > 0) {
      lines.push(
        "",
        `Of which with this package on the stack (its own code and what it calls, module loading included):`,
        "",
        topFrames(summary.framesThroughPackage, summary.totalMs),
      );
    }
  }
  return lines.join("\n");
}
