/**
 * Runs the emulator: reads the environment (config.ts), opens the store, listens, and shuts down cleanly on
 * SIGTERM/SIGINT. The generated admin token is printed here and nowhere else.
 */
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import type { FastifyInstance } from "fastify";
import { buildEmulator, buildTwoServices, type EmulatorOptions } from "./app";
import type { EmulatorConfig } from "./config";
import { readConfig } from "./config";
import { loadOrCreateMasterKey, newApiToken } from "./crypto";
import { lockDataDir } from "./data-dir-lock";
import { makePrivate, PRIVATE_UMASK } from "./private-files";
import { openDatabase, openStore } from "./store";
import { WASM_BASELINE_ONLY } from "./store/pglite";

async function main(): Promise<void> {
  // Before PGlite compiles its WebAssembly: V8 would otherwise recompile PostgreSQL's hot functions with its
  // optimising compiler on background threads, whose working memory and code added ~100MB to the emulator's
  // RSS, and whose compile time cost more CPU under the benchmark than the faster code saved. PGlite is the
  // only WebAssembly in this process.
  setFlagsFromString(WASM_BASELINE_ONLY);
  const config = readConfig(process.env);
  process.umask(PRIVATE_UMASK);
  makePrivate(config.dataDir);
  const unlock = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir);
  process.once("exit", unlock);
  const masterKey = config.masterKey ?? loadOrCreateMasterKey(config.dataDir);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, "pgdata") });
  const store = await openStore(db, { masterKey });

  let adminToken = config.adminToken;
  if (adminToken === undefined) {
    adminToken = newApiToken();
    console.log(`Admin token (generated for this run; set PLATOS_EMULATOR_ADMIN_TOKEN to fix one): ${adminToken}`);
  }

  const options: EmulatorOptions = {
    store,
    adminToken,
    faults: config.faults,
    rateLimitPerMinute: config.rateLimitPerMinute,
    logger: { level: config.logLevel },
    interactiveApprovals: config.interactiveApprovals,
    dashboardOrigin: config.dashboardOrigin,
    approvalTtlSeconds: config.approvalTtlSeconds,
  };
  // One port (core-api below /core), or the agent app and core-api on a port each.
  const services = config.coreApiPort === undefined ? undefined : buildTwoServices(options);
  const app = services?.agentApp ?? buildEmulator(options);
  const coreApi = services?.coreApi;

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (closing ??= (async () => {
      try {
        await Promise.all([app.close(), coreApi?.close()]);
      } finally {
        await store.close();
      }
    })());
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, "shutting down");
      shutdown().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`shutdown failed: ${(err as Error).message}`);
          process.exit(1);
        },
      );
    });
  }

  try {
    if (coreApi) await coreApi.listen({ host: config.host, port: config.coreApiPort });
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await shutdown();
    throw err;
  }
  // core-api's line first: the last line says the emulator is ready (spawn.ts waits for it).
  if (coreApi) console.log(`Platos emulator core-api listening on ${urlOf(coreApi, config, config.coreApiPort ?? 0)}`);
  console.log(`Platos emulator listening on ${urlOf(app, config, config.port)}`);
}

function urlOf(app: FastifyInstance, config: EmulatorConfig, configured: number): string {
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : configured;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return `http://${host}:${port}`;
}

main().catch((err: unknown) => {
  console.error(`Platos emulator failed to start: ${(err as Error).message}`);
  process.exit(1);
});
