/** The benchmark's printout: markdown tables of one (median) run against its floor and the issue's targets. */
import { cpu, mebibytes, ratio, seconds, table } from "./markdown";
import { OPERATIONS, type OperationName, type StackMeasurement } from "./operations";
import type { BenchOptions } from "./options";
import type { Scenario } from "./scenario";
import { checkTargets, HOST_CPU_OPERATIONS, HOST_CPU_RATIO, hostCpuSeconds, workRequests, type RunFigures } from "./targets";

export interface ReportContext {
  readonly options: BenchOptions;
  readonly command: string;
  readonly scenario: Scenario;
  readonly loadAverageAtStart: number;
  readonly cpus: number;
}

type Row = (op: OperationName, measured: StackMeasurement) => string[];

function rowsOf(run: RunFigures, row: Row): string[][] {
  return OPERATIONS.flatMap((op) => {
    const measured = run.stack.get(op);
    return measured ? [[op, ...row(op, measured)]] : [];
  });
}

/** Wall time less starting and stopping the host and the policy pack. */
/** `681 (6 token)`: requests, and the token bookkeeping among them. */
const withTokens = (measured: { readonly requests: number; readonly tokenRequests: number }): string =>
  measured.tokenRequests === 0 ? String(measured.requests) : `${measured.requests} (${measured.tokenRequests} token)`;

const withoutStartStop = (m: StackMeasurement): number => m.wallMs - m.split.hostStartMs - m.split.policyPackStartMs - m.split.shutdownMs;

function summary(run: RunFigures): string {
  const header = [
    "operation",
    "provider requests",
    "floor requests",
    "requests ÷ floor (token requests left out)",
    "writes",
    "wall",
    "without start/stop",
    "provider time",
    "floor time",
    "provider ÷ floor time",
    "steps",
  ];
  return table(
    header,
    rowsOf(run, (op, m) => {
      const floor = run.floor.get(op);
      return [
        withTokens(m),
        floor ? withTokens(floor) : "—",
        ratio(workRequests(m), workRequests(floor)),
        String(m.writes),
        seconds(m.wallMs),
        seconds(withoutStartStop(m)),
        seconds(m.split.providerCallsMs),
        floor ? seconds(floor.ms) : "—",
        ratio(m.split.providerCallsMs, floor?.ms ?? 0),
        [...m.steps].map(([kind, n]) => `${n} ${kind}`).join(", ") || "—",
      ];
    }),
  );
}

function wallTimeSplit(run: RunFigures): string {
  const header = [
    "operation",
    "wall",
    "host start",
    "policy pack start",
    "provider calls",
    "policy Analyze calls",
    "program run & engine",
    "shutdown",
    "start/stop share",
  ];
  return table(
    header,
    rowsOf(run, (_op, m) => {
      const s = m.split;
      const startStop = s.hostStartMs + s.policyPackStartMs + s.shutdownMs;
      return [
        seconds(m.wallMs),
        seconds(s.hostStartMs),
        seconds(s.policyPackStartMs),
        seconds(s.providerCallsMs),
        seconds(s.policyCallsMs),
        seconds(s.programAndEngineMs),
        seconds(s.shutdownMs),
        `${Math.round((100 * startStop) / m.wallMs)} %`,
      ];
    }),
  );
}

function providerMethods(run: RunFigures, resources: number): string {
  const methods = ["Check", "Diff", "Create", "Read", "Update", "Delete"];
  return table(
    ["operation", ...methods, "each host's first call", "provider time per resource", "host CPU per resource"],
    rowsOf(run, (_op, m) => [
      ...methods.map((name) => {
        const method = m.methods.get(name);
        return method ? `${method.calls} in ${seconds(method.busyMs)}` : "—";
      }),
      seconds(m.firstCallMs),
      `${(m.split.providerCallsMs / resources).toFixed(1)} ms`,
      `${((1000 * (m.processes.get("provider host")?.cpuSeconds ?? 0)) / resources).toFixed(1)} ms`,
    ]),
  );
}

/** Host CPU per resource against the no-op provider's, whole and with the host's start-up (Node and the SDK) left out. */
function hostCpuAgainstNoop(run: RunFigures, resources: number): string {
  const perResource = (cpuSeconds: number) => `${((1000 * cpuSeconds) / resources).toFixed(2)} ms`;
  const afterStart = (m: StackMeasurement) => hostCpuSeconds(m) - m.hostStartCpuSeconds;
  const rows = [...run.noop].map(([op, noop]) => {
    const ours = run.stack.get(op);
    if (!ours) return [op, "—", perResource(hostCpuSeconds(noop)), "—", "—", perResource(afterStart(noop)), "—"];
    return [
      op,
      perResource(hostCpuSeconds(ours)),
      perResource(hostCpuSeconds(noop)),
      ratio(hostCpuSeconds(ours), hostCpuSeconds(noop)),
      perResource(afterStart(ours)),
      perResource(afterStart(noop)),
      ratio(afterStart(ours), afterStart(noop)),
    ];
  });
  return table(["operation", "host CPU per resource", "no-op provider", "ratio", "start-up left out", "no-op provider", "ratio"], rows);
}

function processes(run: RunFigures): string {
  const usage = (m: StackMeasurement, role: "provider host" | "policy pack" | "emulator") => m.processes.get(role);
  return table(
    ["operation", "provider host peak RSS", "provider host CPU", "policy pack peak RSS", "policy pack CPU", "emulator peak RSS", "emulator CPU", "harness CPU"],
    rowsOf(run, (_op, m) => {
      const cells = (role: "provider host" | "policy pack" | "emulator") => {
        const u = usage(m, role);
        return u ? [mebibytes(u.peakRssBytes), cpu(u.cpuSeconds)] : ["—", "—"];
      };
      return [...cells("provider host"), ...cells("policy pack"), ...cells("emulator"), cpu(m.harnessCpuSeconds)];
    }),
  );
}

function requestsByRoute(run: RunFigures): string {
  const operations = OPERATIONS.filter((op) => run.stack.has(op));
  const routes = [...new Set(operations.flatMap((op) => [...(run.stack.get(op)?.routes.keys() ?? [])]))].sort();
  if (routes.length === 0) return "(no requests)";
  return table(
    ["method and route (gateway: tool)", ...operations],
    routes.map((route) => [`\`${route}\``, ...operations.map((op) => String(run.stack.get(op)?.routes.get(route) ?? ""))]),
  );
}

function rateLimit(run: RunFigures, perMinute: number): string {
  return table(
    ["operation", "provider requests", "429s received", "wall", "requests ÷ limit", "wall ÷ (requests ÷ limit)", "floor requests", "floor 429s", "floor time"],
    rowsOf(run, (op, m) => {
      const floor = run.floor.get(op);
      const minimumMs = (m.requests / perMinute) * 60_000;
      return [
        String(m.requests),
        String(m.rateLimited ?? 0),
        seconds(m.wallMs),
        seconds(minimumMs),
        ratio(m.wallMs, minimumMs),
        String(floor?.requests ?? "—"),
        String(floor?.rateLimited ?? "—"),
        floor ? seconds(floor.ms) : "—",
      ];
    }),
  );
}

export function report(context: ReportContext, run: RunFigures): string {
  const { options, scenario } = context;
  const secrets = scenario.environments[0]?.variables.filter((v) => v.secret).length ?? 0;
  const lines = [
    `## npm run bench`,
    "",
    `\`${context.command}\``,
    "",
    `${options.environments} environment(s) × ${options.variables} variables (${secrets} secret${options.bulk ? ", one EnvironmentVariables per environment" : ""}) × ${options.agents} agents = ${scenario.resourceCount} resources; ` +
      `protocol ${options.protocol}; ${options.rateLimitPerMinute === undefined ? "no rate limit" : `rate limit ${options.rateLimitPerMinute}/min per token`}; ` +
      `floor: bare undici, ${options.floorConcurrency} in flight; ${options.runs === 1 ? "1 run" : `medians of ${options.runs} runs`}. ` +
      `Node ${process.version}, ${context.cpus} CPUs, load average ${context.loadAverageAtStart.toFixed(1)} at start.`,
    "",
    "One stack per environment; each operation runs the stacks one after another, each with its own provider host and policy pack, as one `pulumi` command a stack. " +
      "Requests are counted at the recorder in front of the emulator, refused ones included; token requests are mints, `platos.whoami` and the operator session's lookup (`GET /api/v1/identity/session`, for its expiry), which a new provider process pays each command and the floor, a client that lives on, once; the request targets leave them out. Writes leave mints out. " +
      "Provider time: wall time during which a provider method (Check, Diff, Create, Read, Update, Delete) was in flight, timed at the harness's gRPC client. " +
      "Floor: the same HTTP work by a bare undici client on a stack of its own in the same emulator, right after the operation.",
    "",
    summary(run),
    "",
    "### Targets",
    "",
    table(
      ["target", "measured", "met"],
      checkTargets(run).map((c) => [c.target, c.measured, c.met ? "yes" : "**no**"]),
    ),
    "",
    "### Where the wall time goes",
    "",
    wallTimeSplit(run),
    "",
    "### Provider methods (calls, and the time one was in flight)",
    "",
    "Timed at the harness's gRPC client, so a call also waits for the harness's own event loop; host CPU (start-up included) is what the provider process itself spent.",
    "",
    providerMethods(run, scenario.resourceCount),
    "",
    "### Provider host CPU against a no-op provider",
    "",
    `The same resources (inputs, stacks, policy pack) on a dynamic provider that does nothing (check returns its inputs, diff no change, no request) through the same host, right after each operation: the host's floor. ` +
      `Host CPU is user + system of the provider host processes, each from its start (Node, the SDK) to its exit; "start-up left out" subtracts what a host had spent when Configure answered. ` +
      `Target for ${HOST_CPU_OPERATIONS.join(" and ")}: at most ${HOST_CPU_RATIO}× the no-op provider's. A fresh up sends the requests the no-op provider does not.`,
    "",
    hostCpuAgainstNoop(run, scenario.resourceCount),
    "",
    "### Processes (peak RSS is VmHWM within the operation; CPU is user + system)",
    "",
    processes(run),
    "",
    "### Requests by method and route",
    "",
    requestsByRoute(run),
  ];
  if (run.state) {
    const s = run.state;
    lines.push(
      "",
      `State after the fresh up: ${s.resources} resources, ${Math.round(s.fileBytesPerResource)} B per resource in the file; ` +
        `${Math.round(s.beyondOwnFieldsBytesPerResource)} B per resource beyond the object's own fields (compact JSON), of which \`__provider\` ${Math.round(s.providerBytesPerResource)} B.`,
    );
  }
  if (options.rateLimitPerMinute !== undefined)
    lines.push("", `### Under the rate limit (${options.rateLimitPerMinute}/min)`, "", rateLimit(run, options.rateLimitPerMinute));
  const failed = OPERATIONS.flatMap((op) => {
    const error = run.stack.get(op)?.error;
    return error ? [`- ${op}: ${error}`] : [];
  });
  if (failed.length > 0) lines.push("", "### Failed operations", "", ...failed);
  if ([...run.stack.values()].some((m) => m.emulatorPeakIsWholeLife))
    lines.push("", "(The emulator's VmHWM could not be reset: its peak RSS covers its whole life.)");
  return lines.join("\n");
}
