/**
 * Emulators for tests. `startEmulator` runs one in this process on a free port, on a fresh in-memory PGlite
 * (started from a migrated template, which is several times faster than initialising a cluster), on PGlite in a
 * data directory, or on PostgreSQL. `spawnEmulator` (emulator/spawn.ts) runs `emulator/main.ts` as a
 * child process, for tests that restart it or check what it prints.
 */
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
  /** Shortens the rate-limit window from a minute, so a test can cross several windows in seconds. */
  readonly rateLimitWindowMs?: number;
  readonly random?: Random;
  readonly clock?: Clock;
  readonly logger?: EmulatorOptions["logger"];
  readonly interactiveApprovals?: boolean;
  readonly dashboardOrigin?: string;
  readonly approvalTtlSeconds?: number;
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
    rateLimitWindowMs: options.rateLimitWindowMs,
    random: options.random,
    logger: options.logger,
    interactiveApprovals: options.interactiveApprovals,
    dashboardOrigin: options.dashboardOrigin,
    approvalTtlSeconds: options.approvalTtlSeconds,
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

export { spawnEmulator, type SpawnedEmulator, type SpawnOptions } from "../../emulator/spawn";
