/**
 * Runs the emulator configured by the environment alone (config.ts); `platos-emulator start` (cli/) is the command
 * users run, with options over the same variables.
 */
import { readConfig } from "./config";
import { serve } from "./serve";

serve(readConfig(process.env)).catch((err: unknown) => {
  console.error(`Platos emulator failed to start: ${(err as Error).message}`);
  process.exit(1);
});
