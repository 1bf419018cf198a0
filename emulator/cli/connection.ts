/**
 * How the commands that talk to a running emulator (seed, token, add-provider-key) reach it: its URL by option, the
 * admin token from PLATOS_EMULATOR_ADMIN_TOKEN only (a value on the command line would show in the process list
 * and the shell's history). The admin token stands in for the dashboard's operator session.
 */
import type { Command } from "commander";
import { createClient } from "../../provider/client";
import { routeCaller, type RouteCaller } from "../../provider/client/route-caller";
import { createHttp, type TransportConfig } from "../../provider/client/transport";
import { coreApiClient } from "../../provider/platos/platform/core-api";
import { CORE_API_PREFIX, V1_CONTRACT_PREFIX } from "../layout";
import { emulatorRoutes } from "../routes/dashboard";

export const ADMIN_TOKEN_ENV = "PLATOS_EMULATOR_ADMIN_TOKEN";
const DEFAULT_URL = "http://127.0.0.1:4600";

export interface ConnectionOptions {
  readonly url: string;
  readonly coreApiUrl?: string;
}

/** Adds --url and --core-api-url to a command. */
export function withConnectionOptions(command: Command): Command {
  return command
    .option("--url <url>", "the emulator's URL (what `start` printed)", process.env.PLATOS_EMULATOR_URL ?? DEFAULT_URL)
    .option("--core-api-url <url>", "core-api's URL, when the emulator was started with --core-api-port (two services)");
}

export interface EmulatorConnection {
  readonly url: string;
  readonly coreApiUrl: string;
  /** The emulator's V1 contract: its admin surface. */
  readonly admin: ReturnType<typeof createClient>;
  readonly coreApi: ReturnType<typeof coreApiClient>;
  readonly dashboard: RouteCaller<typeof emulatorRoutes>;
}

export function connect(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): EmulatorConnection {
  const adminToken = env[ADMIN_TOKEN_ENV]?.trim();
  if (!adminToken) throw new Error(`set ${ADMIN_TOKEN_ENV} to the emulator's admin token (the one given to \`start\`, or the one it printed)`);
  const url = options.url.replace(/\/+$/, "");
  const twoServices = options.coreApiUrl !== undefined;
  const coreApiUrl = options.coreApiUrl?.replace(/\/+$/, "") ?? `${url}${CORE_API_PREFIX}`;
  const settingNames = { apiUrl: "--url", token: ADMIN_TOKEN_ENV };
  const config = (apiUrl: string): TransportConfig => ({ apiUrl, token: adminToken, userAgent: "platos-emulator", settingNames });
  return {
    url,
    coreApiUrl,
    admin: createClient(config(twoServices ? `${url}${V1_CONTRACT_PREFIX}` : url)),
    coreApi: coreApiClient({ ...config(coreApiUrl), settingNames: { apiUrl: twoServices ? "--core-api-url" : "--url", token: ADMIN_TOKEN_ENV } }),
    dashboard: routeCaller(createHttp(config(url)), emulatorRoutes),
  };
}
