/**
 * Runs the emulator until SIGTERM/SIGINT, saying what it started: the generated admin token (here and nowhere else),
 * where its data is, and its URLs, the last line saying it is ready (spawn.ts waits for it). Used by
 * `platos-emulator start` and main.ts.
 */
import type { EmulatorConfig } from "./config";
import { startEmulator, type StartedEmulator, type StartSettings } from "./start";

/** The ready line; spawn.ts and users' CI scripts wait for it. */
const READY_LINE_PREFIX = "Platos emulator listening on ";
const CORE_API_LINE_PREFIX = "Platos emulator core-api listening on ";

function storageLine(config: EmulatorConfig, emulator: StartedEmulator): string {
  if (emulator.storage === "memory") return "Data: in memory (gone when the emulator stops)";
  if (emulator.storage === "postgres") return "Data: PostgreSQL (DATABASE_URL)";
  return `Data: ${config.dataDir}`;
}

export async function serve(config: EmulatorConfig, settings: StartSettings = {}): Promise<StartedEmulator> {
  const emulator = await startEmulator(config, settings);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      emulator.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`shutdown failed: ${(err as Error).message}`);
          process.exit(1);
        },
      );
    });
  }
  if (emulator.generatedAdminToken !== undefined) {
    console.log(`Admin token (generated for this run; set PLATOS_EMULATOR_ADMIN_TOKEN to fix one): ${emulator.generatedAdminToken}`);
  }
  console.log(`${storageLine(config, emulator)}; ready in ${(emulator.startMs / 1000).toFixed(2)} s`);
  if (config.coreApiPort !== undefined) console.log(`${CORE_API_LINE_PREFIX}${emulator.coreApiUrl}`);
  console.log(`${READY_LINE_PREFIX}${emulator.url}`);
  return emulator;
}
