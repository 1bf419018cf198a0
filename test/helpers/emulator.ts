/**
 * Emulators for tests. `startEmulator` runs one in this process on a free port, on a fresh in-memory PGlite
 * (started from a migrated template, which is several times faster than initialising a cluster), on PGlite in a
 * data directory, or on PostgreSQL. `spawnEmulator` runs `emulator/main.ts` as a child process, as
 * `npm run emulator` does, for tests that restart it or check what it prints.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildEmulator, type EmulatorOptions } from "../../emulator/app";
import { MASTER_KEY_BYTES } from "../../emulator/crypto";
import type { FaultConfig, Random } from "../../emulator/plugins/faults";
import { openStore, type Store } from "../../emulator/store";
import type { Database } from "../../emulator/store/database";
import { migrate } from "../../emulator/store/migrate";
import { openPglite } from "../../emulator/store/pglite";
import { openPostgres } from "../../emulator/store/postgres";
import type { Clock } from "../../emulator/store/rows";

export const REPO_ROOT = join(__dirname, "..", "..");

export interface StartOptions {
  /** A PostgreSQL database to use instead of PGlite. */
  readonly databaseUrl?: string;
  /** PGlite on disk here instead of in memory. */
  readonly dataDir?: string;
  readonly masterKey?: Buffer;
  readonly adminToken?: string;
  readonly faults?: FaultConfig;
  readonly rateLimitPerMinute?: number;
  readonly random?: Random;
  readonly clock?: Clock;
  readonly logger?: EmulatorOptions["logger"];
  /** Called before the emulator listens; to add test-only routes or hooks. */
  readonly extend?: (app: FastifyInstance) => void;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`, without `/api/v1`. */
  readonly url: string;
  readonly adminToken: string;
  readonly masterKey: Buffer;
  readonly app: FastifyInstance;
  readonly store: Store;
  /** The database under the store, for tests that inspect storage directly. */
  readonly db: Database;
  close(): Promise<void>;
}

let template: Promise<Blob> | undefined;

async function freshMemoryDatabase(): Promise<Database> {
  template ??= (async () => {
    const db = await openPglite();
    await migrate(db);
    const dump = await db.dump();
    await db.close();
    return dump;
  })();
  return openPglite({ template: await template });
}

function openTestDatabase(options: StartOptions): Promise<Database> {
  if (options.databaseUrl) return Promise.resolve(openPostgres(options.databaseUrl));
  if (options.dataDir) return openPglite({ dataDir: options.dataDir });
  return freshMemoryDatabase();
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const masterKey = options.masterKey ?? randomBytes(MASTER_KEY_BYTES);
  const adminToken = options.adminToken ?? `admin-${randomBytes(16).toString("hex")}`;
  const db = await openTestDatabase(options);
  const store = await openStore(db, { masterKey, clock: options.clock });
  const app = buildEmulator({
    store,
    adminToken,
    faults: options.faults,
    rateLimitPerMinute: options.rateLimitPerMinute,
    random: options.random,
    logger: options.logger,
  });
  try {
    options.extend?.(app);
    await app.listen({ host: "127.0.0.1", port: 0 });
  } catch (err) {
    await store.close();
    throw err;
  }
  const address = app.server.address();
  if (typeof address !== "object" || !address) throw new Error("the emulator is not listening on a TCP port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    adminToken,
    masterKey,
    app,
    store,
    db,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export interface SpawnOptions {
  readonly dataDir: string;
  /** Absent: none is set, so the emulator generates one and prints it. */
  readonly adminToken?: string;
  /** More PLATOS_EMULATOR_* or DATABASE_URL settings. */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

export interface SpawnedEmulator {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const LISTENING = /^Platos emulator listening on (http:\/\/\S+)$/m;

/** Starts `emulator/main.ts` on a free port with only the settings given (none inherited from this process). */
export function spawnEmulator(options: SpawnOptions): Promise<SpawnedEmulator> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("PLATOS_EMULATOR_") && name !== "DATABASE_URL"));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PLATOS_EMULATOR_DATA: options.dataDir,
    PLATOS_EMULATOR_PORT: "0",
    PLATOS_EMULATOR_LOG_LEVEL: "warn",
    ...(options.adminToken ? { PLATOS_EMULATOR_ADMIN_TOKEN: options.adminToken } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "emulator/main.ts"], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
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
