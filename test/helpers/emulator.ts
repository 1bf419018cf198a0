/**
 * Emulators for tests. `startEmulator` runs one in this process on a free port, on a fresh in-memory PGlite
 * (started from a migrated template, which is several times faster than initialising a cluster), on PGlite in a
 * data directory, or on PostgreSQL. `spawnEmulator` (emulator/spawn.ts) runs `emulator/main.ts` as a
 * child process, for tests that restart it or check what it prints.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildServices, CORE_API_PREFIX, V1_CONTRACT_PREFIX, type EmulatorOptions } from "../../emulator/app";
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
  /** Shortens the rate-limit window from a minute, so a test can cross several windows in seconds. */
  readonly rateLimitWindowMs?: number;
  readonly random?: Random;
  readonly clock?: Clock;
  readonly logger?: EmulatorOptions["logger"];
  readonly interactiveApprovals?: boolean;
  readonly dashboardOrigin?: string;
  readonly approvalTtlSeconds?: number;
  /** Called before the emulator listens, for each service's app; to add test-only routes or hooks. */
  readonly extend?: (app: FastifyInstance) => void;
  /**
   * Serve core-api on a port of its own (0: a free one) and the agent app alone on `url`, as Platos deploys them
   * (emulator/app.ts buildTwoServices). Absent: one port, core-api below `/core`.
   */
  readonly coreApiPort?: number;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`, without `/api/v1`: the agent app (MCP gateway); on one port, everything. */
  readonly url: string;
  /** Where core-api is (`platos:coreApiUrl`): below `/core` on one port, its own port on two. */
  readonly coreApiUrl: string;
  /** Where the emulator's V1 contract is (its admin surface): `url` on one port, below `/emulator` on two. */
  readonly v1Url: string;
  readonly adminToken: string;
  readonly masterKey: Buffer;
  /** The agent app's (on one port, the only one). */
  readonly app: FastifyInstance;
  /** core-api's, on two ports. */
  readonly coreApp?: FastifyInstance;
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
  const emulatorOptions: EmulatorOptions = {
    store,
    adminToken,
    faults: options.faults,
    rateLimitPerMinute: options.rateLimitPerMinute,
    rateLimitWindowMs: options.rateLimitWindowMs,
    random: options.random,
    logger: options.logger,
    interactiveApprovals: options.interactiveApprovals,
    dashboardOrigin: options.dashboardOrigin,
    approvalTtlSeconds: options.approvalTtlSeconds,
  };
  const { app, coreApi: coreApp } = buildServices(emulatorOptions, options.coreApiPort !== undefined);
  let url: string;
  let coreApiUrl: string;
  try {
    for (const each of coreApp ? [app, coreApp] : [app]) options.extend?.(each);
    url = await listen(app, 0);
    coreApiUrl = coreApp ? await listen(coreApp, options.coreApiPort ?? 0) : `${url}${CORE_API_PREFIX}`;
  } catch (err) {
    await Promise.all([app.close(), coreApp?.close()]);
    await store.close();
    throw err;
  }
  return {
    url,
    coreApiUrl,
    v1Url: coreApp ? `${url}${V1_CONTRACT_PREFIX}` : url,
    adminToken,
    masterKey,
    app,
    ...(coreApp ? { coreApp } : {}),
    store,
    db,
    async close() {
      await Promise.all([app.close(), coreApp?.close()]);
      await store.close();
    },
  };
}

async function listen(app: FastifyInstance, port: number): Promise<string> {
  await app.listen({ host: "127.0.0.1", port });
  const address = app.server.address();
  if (typeof address !== "object" || !address) throw new Error("the emulator is not listening on a TCP port");
  return `http://127.0.0.1:${address.port}`;
}

export { spawnEmulator, type SpawnedEmulator } from "../../emulator/spawn";
