/**
 * The emulator started in this process from an EmulatorConfig: storage opened (PGlite in the data directory by
 * default, in memory, or PostgreSQL by URL), the service(s) listening. The package's exported start function; the
 * `platos-emulator start` command and main.ts print what it returns. Failures a user can fix are errors of their own
 * (StartError), naming what to change, so the command can name its option.
 */
import { randomBytes } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import type { FastifyInstance } from "fastify";
import { buildServices, type EmulatorOptions } from "./app";
import type { EmulatorConfig } from "./config";
import { loadOrCreateMasterKey, MASTER_KEY_BYTES, newApiToken } from "./crypto";
import { lockDataDir } from "./data-dir-lock";
import { CORE_API_PREFIX, V1_CONTRACT_PREFIX } from "./layout";
import { makePrivate, PRIVATE_UMASK } from "./private-files";
import { openDatabase, openStore } from "./store";
import { openPglite, WASM_BASELINE_ONLY } from "./store/pglite";

export type Storage = "data-dir" | "memory" | "postgres";

/** What a user can fix: the setting at fault, and what went wrong, without any value of a secret. */
export class StartError extends Error {
  constructor(
    readonly setting: "port" | "coreApiPort" | "dataDir",
    message: string,
  ) {
    super(message);
    this.name = "StartError";
  }
}

export interface StartedEmulator {
  /** The agent app's URL (the MCP gateway, `platos:apiUrl`); on one port, everything. */
  readonly url: string;
  /** Where core-api is (`platos:coreApiUrl`): below `/core` on one port, its own port on two. */
  readonly coreApiUrl: string;
  /** Where the emulator's V1 contract (its admin surface) is: `url` on one port, below `/emulator` on two. */
  readonly v1Url: string;
  readonly storage: Storage;
  /** Present when the admin token was generated for this run (none was configured): the caller shows it once. */
  readonly generatedAdminToken?: string;
  /** Milliseconds from the call to listening. */
  readonly startMs: number;
  close(): Promise<void>;
}

export interface StartSettings {
  /** PGlite in memory: nothing is written, everything is gone when the process ends. */
  readonly inMemory?: boolean;
}

/** Creates the directory if needed and proves a file can be written there, before anything else touches it. */
function requireWritableDir(dir: string): void {
  try {
    makePrivate(dir);
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new StartError("dataDir", `the data directory ${dir} is not writable (${code})`);
  }
}

async function listenOn(app: FastifyInstance, host: string, port: number, setting: "port" | "coreApiPort"): Promise<string> {
  try {
    await app.listen({ host, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new StartError(setting, `port ${port} on ${host} is already in use`);
    if (code === "EACCES") throw new StartError(setting, `port ${port} on ${host} may not be used by this user`);
    throw err;
  }
  const address = app.server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return `http://${host.includes(":") ? `[${host}]` : host}:${bound}`;
}

export async function startEmulator(config: EmulatorConfig, settings: StartSettings = {}): Promise<StartedEmulator> {
  const started = Date.now();
  // Before PGlite compiles its WebAssembly: V8 would otherwise recompile PostgreSQL's hot functions with its
  // optimising compiler on background threads, whose working memory and code added ~100MB to the emulator's
  // RSS, and whose compile time cost more CPU under the benchmark than the faster code saved. PGlite is the
  // only WebAssembly in this process.
  setFlagsFromString(WASM_BASELINE_ONLY);
  const storage: Storage = config.databaseUrl ? "postgres" : settings.inMemory ? "memory" : "data-dir";
  let unlock = (): void => undefined;
  let masterKey = config.masterKey;
  if (storage !== "memory") {
    process.umask(PRIVATE_UMASK);
    requireWritableDir(config.dataDir);
    if (storage === "data-dir") {
      try {
        unlock = lockDataDir(config.dataDir);
      } catch (err) {
        throw new StartError("dataDir", (err as Error).message);
      }
    }
    masterKey ??= loadOrCreateMasterKey(config.dataDir);
  }
  masterKey ??= randomBytes(MASTER_KEY_BYTES);
  process.once("exit", unlock);
  try {
    const db = storage === "memory" ? await openPglite() : await openDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, "pgdata") });
    const store = await openStore(db, { masterKey });
    const generatedAdminToken = config.adminToken === undefined ? newApiToken() : undefined;
    const options: EmulatorOptions = {
      store,
      adminToken: config.adminToken ?? generatedAdminToken!,
      faults: config.faults,
      rateLimitPerMinute: config.rateLimitPerMinute,
      logger: { level: config.logLevel },
      interactiveApprovals: config.interactiveApprovals,
      dashboardOrigin: config.dashboardOrigin,
      approvalTtlSeconds: config.approvalTtlSeconds,
    };
    const { app, coreApi } = buildServices(options, config.coreApiPort !== undefined);
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        try {
          await Promise.all([app.close(), coreApi?.close()]);
        } finally {
          await store.close();
          unlock();
        }
      })());
    try {
      const coreApiUrl = coreApi ? await listenOn(coreApi, config.host, config.coreApiPort ?? 0, "coreApiPort") : undefined;
      const url = await listenOn(app, config.host, config.port, "port");
      return {
        url,
        coreApiUrl: coreApiUrl ?? `${url}${CORE_API_PREFIX}`,
        v1Url: coreApi ? `${url}${V1_CONTRACT_PREFIX}` : url,
        storage,
        ...(generatedAdminToken === undefined ? {} : { generatedAdminToken }),
        startMs: Date.now() - started,
        close,
      };
    } catch (err) {
      await close();
      throw err;
    }
  } catch (err) {
    unlock();
    throw err;
  }
}
