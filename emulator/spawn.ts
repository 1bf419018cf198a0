/**
 * Runs `platos-emulator start` (the package's bin, as a user runs it; the package must be built) as a child
 * process, as `npm run emulator` does, and waits for its ready line. Used by the main job (scripts/run-stacks.ts),
 * the real-CLI suite and the tests that restart the emulator.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { CORE_API_PREFIX } from "./layout";

/** The installed package's bin, found as a user's project finds it (in the repository, the workspace link). */
export const EMULATOR_BIN = join(dirname(require.resolve("platos-emulator/package.json")), "bin", "platos-emulator.js");

export interface SpawnOptions {
  readonly dataDir: string;
  /** Absent: none is set, so the emulator generates one and prints it. */
  readonly adminToken?: string;
  /** More PLATOS_EMULATOR_* or DATABASE_URL settings. */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Serve core-api on a port of its own (0: a free one), the agent app alone on `port`. Absent: one port. */
  readonly coreApiPort?: number;
  /** More arguments to `start` (its options: --in-memory, --data-dir, ...). */
  readonly args?: readonly string[];
  /** Another install's `bin/platos-emulator.js` (a packed one's); default: this one's. */
  readonly bin?: string;
}

export interface SpawnedEmulator {
  /** The agent app's URL (the MCP gateway); on one port, core-api's too (below `/core`). */
  readonly url: string;
  /** Where core-api is: its own port when `coreApiPort` was given, else below `/core` on `url`. */
  readonly coreApiUrl: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const LISTENING = /^Platos emulator listening on (http:\/\/\S+)$/m;
const CORE_API_LISTENING = /^Platos emulator core-api listening on (http:\/\/\S+)$/m;

/** Starts `platos-emulator start` with only the settings given (no PLATOS_EMULATOR_* or DATABASE_URL inherited from this process). */
export function spawnEmulator(options: SpawnOptions): Promise<SpawnedEmulator> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("PLATOS_EMULATOR_") && name !== "DATABASE_URL"));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PLATOS_EMULATOR_DATA: options.dataDir,
    PLATOS_EMULATOR_PORT: String(options.port ?? 0),
    PLATOS_EMULATOR_LOG_LEVEL: "warn",
    ...(options.adminToken ? { PLATOS_EMULATOR_ADMIN_TOKEN: options.adminToken } : {}),
    ...(options.coreApiPort === undefined ? {} : { PLATOS_EMULATOR_CORE_API_PORT: String(options.coreApiPort) }),
    ...options.env,
  };
  const child = spawn(process.execPath, [options.bin ?? EMULATOR_BIN, "start", ...(options.args ?? [])], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the emulator did not start within ${options.startTimeoutMs ?? 30_000} ms; output:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const url = LISTENING.exec(output)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({
        url,
        coreApiUrl: CORE_API_LISTENING.exec(output)?.[1] ?? `${url}${CORE_API_PREFIX}`,
        child,
        output: () => output,
        stop: (signal = "SIGTERM") => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code} before listening; output:\n${output}`));
    });
  });
}
