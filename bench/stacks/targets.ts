/** The targets (#11), each checked against one run's figures. */
import type { FloorMeasurement } from "./floor/floor";
import type { OperationName, StackMeasurement } from "./operations";
import type { StateSize } from "./state-size";

export interface RunFigures {
  readonly stack: ReadonlyMap<OperationName, StackMeasurement>;
  /** The same resources on a no-op dynamic provider through the same host (NOOP_OPERATIONS only). */
  readonly noop: ReadonlyMap<OperationName, StackMeasurement>;
  readonly floor: ReadonlyMap<OperationName, FloorMeasurement>;
  /** After the fresh up. */
  readonly state?: StateSize;
  readonly changedVariables: number;
  /** Environments of the scenario: one stack, and one command per operation, each. */
  readonly environments: number;
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

const FRESH_UP_REQUEST_RATIO = 1.05;
const PROVIDER_TIME_RATIO = 1.5;
export const HOST_CPU_RATIO = 1.5;
/** The operations whose host CPU is held against the no-op provider's: neither sends a request. */
export const HOST_CPU_OPERATIONS = ["preview", "no-change up"] as const satisfies readonly OperationName[];

/** The provider hosts' CPU seconds in one operation. */
export const hostCpuSeconds = (measured: StackMeasurement | undefined): number => measured?.processes.get("provider host")?.cpuSeconds ?? 0;
const STATE_BYTES_BEYOND_OWN_FIELDS = 1024;
/** What a refresh of one environment's stack lists: the environment, its variables, its agents. */
const OBJECT_KINDS = 3;

/** Requests less token bookkeeping, which a new provider process pays each command and a long-lived client once. */
export const workRequests = (measured: { readonly requests: number; readonly tokenRequests: number } | undefined): number =>
  measured ? measured.requests - measured.tokenRequests : 0;

/** Request targets count `workRequests` on both sides. */
export function checkTargets(run: RunFigures): TargetCheck[] {
  const stack = (op: OperationName) => run.stack.get(op);
  const floor = (op: OperationName) => run.floor.get(op);
  const checks: TargetCheck[] = [];
  const requests = (op: OperationName, target: string, limit: (floorRequests: number) => number) => {
    const measured = stack(op);
    if (!measured) return;
    const work = workRequests(measured);
    const floorWork = workRequests(floor(op));
    checks.push({ target, measured: `${work} requests (floor ${floorWork})`, met: work <= limit(floorWork) });
  };
  requests("fresh up", `fresh up ≤ ${FRESH_UP_REQUEST_RATIO}× the floor's requests`, (f) => f * FRESH_UP_REQUEST_RATIO);
  requests("no-change up", "no-change up: 0 requests", () => 0);
  requests("preview", "preview: 0 requests", () => 0);
  // Per environment, since each stack's refresh is its own command; the floor, one client for all stacks, reads the
  // project's environments once.
  requests(
    "refresh",
    `refresh: at most one list per environment and object kind (${run.environments} × ${OBJECT_KINDS})`,
    () => run.environments * OBJECT_KINDS,
  );
  const change = stack("change 10%");
  if (change) {
    const [work, floorWork] = [workRequests(change), workRequests(floor("change 10%"))];
    const met = change.writes === run.changedVariables && work <= floorWork;
    checks.push({
      target: `change 10%: exactly the ${run.changedVariables} changed writes, nothing more`,
      measured: `${change.writes} writes, ${work} requests (floor ${floorWork})`,
      met,
    });
  }
  for (const [op, measured] of run.stack) {
    const floorMs = floor(op)?.ms ?? 0;
    const providerMs = measured.split.providerCallsMs;
    checks.push({
      target: `${op}: time inside the provider ≤ ${PROVIDER_TIME_RATIO}× the floor's time`,
      measured: `${(providerMs / 1000).toFixed(2)} s vs ${(floorMs / 1000).toFixed(2)} s (${floorMs > 0 ? (providerMs / floorMs).toFixed(1) : "—"}×)`,
      met: providerMs <= floorMs * PROVIDER_TIME_RATIO,
    });
  }
  for (const op of HOST_CPU_OPERATIONS) {
    const [ours, noop] = [stack(op), run.noop.get(op)];
    if (!ours || !noop) continue;
    const [oursS, noopS] = [hostCpuSeconds(ours), hostCpuSeconds(noop)];
    checks.push({
      target: `${op}: provider host CPU ≤ ${HOST_CPU_RATIO}× the no-op provider's through the same host`,
      measured: `${oursS.toFixed(2)} s vs ${noopS.toFixed(2)} s (${noopS > 0 ? (oursS / noopS).toFixed(2) : "—"}×)`,
      met: noopS > 0 && oursS <= noopS * HOST_CPU_RATIO,
    });
  }
  if (run.state) {
    const beyond = run.state.beyondOwnFieldsBytesPerResource;
    checks.push({
      target: `state ≤ ${STATE_BYTES_BEYOND_OWN_FIELDS} B per resource beyond the object's own fields`,
      measured: `${Math.round(beyond)} B`,
      met: beyond <= STATE_BYTES_BEYOND_OWN_FIELDS,
    });
  }
  return checks;
}
