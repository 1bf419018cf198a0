/**
 * `platos-emulator start`: the options over the PLATOS_EMULATOR_* variables (config.ts), which still set everything
 * else (faults, rate limit, log level, master key, admin token); PostgreSQL by DATABASE_URL only, since a URL with
 * its password on the command line would show in the process list. A failure the user can fix names the option.
 */
import { Command, InvalidArgumentError } from "commander";
import { readConfig } from "../config";
import { serve } from "../serve";
import { StartError } from "../start";

const OPTION_OF_SETTING = { port: "--port", coreApiPort: "--core-api-port", dataDir: "--data-dir" } as const;

function portNumber(value: string): string {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError("a port is a whole number from 0 to 65535 (0: any free port)");
  return value;
}

interface StartOptions {
  readonly host?: string;
  readonly port?: string;
  readonly coreApiPort?: string;
  readonly dataDir?: string;
  readonly inMemory?: boolean;
}

export function startCommand(): Command {
  return new Command("start")
    .description("run the emulator until stopped (SIGTERM or Ctrl-C); the last line it prints says it is ready")
    .option("--host <address>", "the address to listen on (PLATOS_EMULATOR_HOST; default 127.0.0.1)")
    .option("--port <port>", "the agent app's port, or the only one (PLATOS_EMULATOR_PORT; default 4600; 0: a free one)", portNumber)
    .option("--core-api-port <port>", "serve core-api on a port of its own, as Platos deploys it (PLATOS_EMULATOR_CORE_API_PORT)", portNumber)
    .option("--data-dir <dir>", "where the embedded database keeps its data (PLATOS_EMULATOR_DATA; default .platos/emulator)")
    .option("--in-memory", "keep the data in memory: nothing written, gone when the emulator stops")
    .addHelpText(
      "after",
      "\nPostgreSQL instead of the embedded database: set DATABASE_URL. Admin token: PLATOS_EMULATOR_ADMIN_TOKEN (else one is generated and printed).",
    )
    .action(async (options: StartOptions) => {
      if (options.inMemory && options.dataDir !== undefined) throw new StartError("dataDir", "--in-memory keeps no data directory; give one or the other");
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...(options.host === undefined ? {} : { PLATOS_EMULATOR_HOST: options.host }),
        ...(options.port === undefined ? {} : { PLATOS_EMULATOR_PORT: options.port }),
        ...(options.coreApiPort === undefined ? {} : { PLATOS_EMULATOR_CORE_API_PORT: options.coreApiPort }),
        ...(options.dataDir === undefined ? {} : { PLATOS_EMULATOR_DATA: options.dataDir }),
      };
      await serve(readConfig(env), { inMemory: options.inMemory === true });
    });
}

/** The message for a failed start: the option to change first, when there is one. */
export function startFailure(err: unknown): string {
  if (err instanceof StartError) return `${OPTION_OF_SETTING[err.setting]}: ${err.message}`;
  return (err as Error).message;
}
