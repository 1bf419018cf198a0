/** The benchmark's command line: scenario sizes, protocol, the emulator's rate limit, repeats. */
import { parseArgs } from "node:util";
import { PROTOCOLS, type Protocol } from "../../provider/platos";

export interface BenchOptions {
  readonly environments: number;
  readonly variables: number;
  readonly agents: number;
  /** Each environment's variables through one EnvironmentVariables resource instead of one resource each. */
  readonly bulk: boolean;
  readonly protocol: Protocol;
  /** The emulator's PLATOS_EMULATOR_RATE_LIMIT (requests a minute per token); absent: no limit. */
  readonly rateLimitPerMinute?: number;
  /** Requests the floor keeps in flight: the provider client's connection slots. */
  readonly floorConcurrency: number;
  /** Whole sequences run, each on stacks of its own; figures are medians over them. */
  readonly runs: number;
  /** A CPU profile of each provider host, and its top frames by self time. */
  readonly profile: boolean;
}

export const USAGE =
  "npm run bench -- [--environments 3] [--variables 200] [--agents 10] [--bulk] [--protocol platform|v1] [--rate-limit 60/min] [--floor-concurrency 8] [--runs 1] [--profile]";

function whole(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min) throw new Error(`--${name} takes a whole number from ${min}\n${USAGE}`);
  return n;
}

/** `60/min`, `60/minute` or `60`: requests a minute (the only window the emulator's setting has). */
function perMinute(raw: string): number {
  const match = /^(\d+)(?:\/(?:min|minute))?$/.exec(raw.trim());
  if (!match || Number(match[1]) < 1) throw new Error(`--rate-limit takes requests a minute, e.g. 60/min\n${USAGE}`);
  return Number(match[1]);
}

export function readOptions(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      environments: { type: "string", default: "3" },
      variables: { type: "string", default: "200" },
      agents: { type: "string", default: "10" },
      bulk: { type: "boolean", default: false },
      protocol: { type: "string", default: "platform" },
      "rate-limit": { type: "string" },
      "floor-concurrency": { type: "string", default: "8" },
      runs: { type: "string", default: "1" },
      profile: { type: "boolean", default: false },
    },
  });
  const protocol = PROTOCOLS.find((known) => known === values.protocol);
  if (protocol === undefined) throw new Error(`--protocol is one of ${PROTOCOLS.join(", ")}\n${USAGE}`);
  return {
    environments: whole("environments", values.environments, 1),
    variables: whole("variables", values.variables, 1),
    agents: whole("agents", values.agents, 0),
    bulk: values.bulk,
    protocol,
    ...(values["rate-limit"] === undefined ? {} : { rateLimitPerMinute: perMinute(values["rate-limit"]) }),
    floorConcurrency: whole("floor-concurrency", values["floor-concurrency"], 1),
    runs: whole("runs", values.runs, 1),
    profile: values.profile,
  };
}

/** The command that reproduces a run with these options, every option spelled out. */
export function commandFor(options: BenchOptions): string {
  const parts = [
    `--environments ${options.environments}`,
    `--variables ${options.variables}`,
    `--agents ${options.agents}`,
    ...(options.bulk ? ["--bulk"] : []),
    `--protocol ${options.protocol}`,
    ...(options.rateLimitPerMinute === undefined ? [] : [`--rate-limit ${options.rateLimitPerMinute}/min`]),
    `--floor-concurrency ${options.floorConcurrency}`,
    `--runs ${options.runs}`,
    ...(options.profile ? ["--profile"] : []),
  ];
  return `npm run bench -- ${parts.join(" ")}`;
}
