/**
 * Reads V8 `.cpuprofile` files and tells where a process's CPU went: self time per frame (function, file, line),
 * grouped by whose code it is; the same with Node's own frames charged to the nearest caller outside Node (so
 * compiling a module required by this package counts as this package's); and the time spent with this package's
 * code anywhere on the stack (its own frames and what they called: zod, undici, the SDK's helpers).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { median } from "../markdown";

export const GROUPS = ["this package", "Pulumi SDK", "gRPC/protobuf", "zod", "node internals", "other"] as const;
export type Group = (typeof GROUPS)[number];

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  /** 0-based. */
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface FrameTime {
  /** `function (file:line)`, the file relative to node_modules or the repository. */
  readonly frame: string;
  readonly group: Group;
  readonly selfMs: number;
}

export interface ProfileSummary {
  readonly profiles: number;
  /** Samples on the CPU (idle ones left out) times the sampling interval. */
  readonly totalMs: number;
  readonly byGroup: ReadonlyMap<Group, number>;
  /** Node's own frames charged to the nearest caller outside Node; "node internals" keeps what has none (GC, the event loop). */
  readonly byCaller: ReadonlyMap<Group, number>;
  /** Samples with a frame of this package anywhere on the stack. */
  readonly throughPackageMs: number;
  /** Every frame with self time, most first. */
  readonly frames: readonly FrameTime[];
  /** The same, counting only samples with this package on the stack: where this package's time goes. */
  readonly framesThroughPackage: readonly FrameTime[];
}

/** Whose code a frame is, by its script's path. */
export function groupOf({ url }: CallFrame): Group {
  if (/\/(provider|pulumi-platos)\/lib\//.test(url)) return "this package";
  if (url.includes("/@pulumi/pulumi/")) return "Pulumi SDK";
  if (/\/(@grpc|google-protobuf|protobufjs|@protobufjs)\//.test(url)) return "gRPC/protobuf";
  if (url.includes("/node_modules/zod/")) return "zod";
  // No script: native code (Node's bindings, the garbage collector, the VM), or code evaluated without a file name.
  if (url.startsWith("node:") || url === "") return "node internals";
  return "other";
}

const IDLE = "(idle)";

function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, "");
  const inModules = path.lastIndexOf("/node_modules/");
  if (inModules >= 0) return path.slice(inModules + "/node_modules/".length);
  const inPackage = /\/(provider\/lib\/.*)$/.exec(path);
  return inPackage?.[1] ?? path;
}

const frameName = ({ functionName, url, lineNumber }: CallFrame): string =>
  url === "" ? functionName || "(anonymous)" : `${functionName || "(anonymous)"} (${shortPath(url)}:${lineNumber + 1})`;

/** Sums every `.cpuprofile` in `dir` (none yet: an empty summary). */
export function summariseProfiles(dir: string): ProfileSummary {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"));
  } catch {
    // no host of this kind ran
  }
  const selfByFrame = new Map<string, FrameTime & { selfMs: number }>();
  const throughPackageByFrame = new Map<string, FrameTime & { selfMs: number }>();
  const byGroup = new Map<Group, number>(GROUPS.map((group) => [group, 0]));
  const byCaller = new Map<Group, number>(GROUPS.map((group) => [group, 0]));
  let totalMs = 0;
  let throughPackageMs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const parents = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
    const underPackage = new Map<number, boolean>();
    const isUnderPackage = (id: number): boolean => {
      let known = underPackage.get(id);
      if (known === undefined) {
        const parent = parents.get(id);
        known = groupOf(nodes.get(id)!.callFrame) === "this package" || (parent !== undefined && isUnderPackage(parent));
        underPackage.set(id, known);
      }
      return known;
    };
    const callerGroups = new Map<number, Group>();
    const callerGroupOf = (id: number): Group => {
      let known = callerGroups.get(id);
      if (known === undefined) {
        const own = groupOf(nodes.get(id)!.callFrame);
        const parent = parents.get(id);
        known = own !== "node internals" || parent === undefined ? own : callerGroupOf(parent);
        callerGroups.set(id, known);
      }
      return known;
    };
    for (const [id, ms] of sampleTimes(profile)) {
      const { callFrame } = nodes.get(id)!;
      if (callFrame.functionName === IDLE) continue;
      const group = groupOf(callFrame);
      totalMs += ms;
      byGroup.set(group, byGroup.get(group)! + ms);
      const caller = callerGroupOf(id);
      byCaller.set(caller, byCaller.get(caller)! + ms);
      const frame = frameName(callFrame);
      addSelfTime(selfByFrame, frame, group, ms);
      if (isUnderPackage(id)) {
        throughPackageMs += ms;
        addSelfTime(throughPackageByFrame, frame, group, ms);
      }
    }
  }
  const mostFirst = (byFrame: Map<string, FrameTime>) => [...byFrame.values()].sort((a, b) => b.selfMs - a.selfMs);
  return {
    profiles: files.length,
    totalMs,
    byGroup,
    byCaller,
    throughPackageMs,
    frames: mostFirst(selfByFrame),
    framesThroughPackage: mostFirst(throughPackageByFrame),
  };
}

function addSelfTime(byFrame: Map<string, FrameTime & { selfMs: number }>, frame: string, group: Group, ms: number): void {
  const entry = byFrame.get(frame) ?? { frame, group, selfMs: 0 };
  entry.selfMs += ms;
  byFrame.set(frame, entry);
}

/**
 * Milliseconds per node: each sample weighs the profile's median sampling interval. Weighing a sample by the time
 * to the next one would charge a process's waits for a core (a loaded machine) to whatever it ran last.
 */
function sampleTimes(profile: CpuProfile): Map<number, number> {
  const samples = profile.samples ?? [];
  const intervalMs = median(profile.timeDeltas ?? []) / 1000;
  const times = new Map<number, number>();
  for (const id of samples) times.set(id, (times.get(id) ?? 0) + intervalMs);
  return times;
}
