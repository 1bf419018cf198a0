/** The emulator's configuration, read from the environment (documented in docs/api.md). */
import { parseMasterKey } from "./crypto";
import { parseFaults, type FaultConfig } from "./plugins/faults";

export interface EmulatorConfig {
  readonly host: string;
  readonly port: number;
  /**
   * Present: core-api is served on this port of its own and the agent app alone on `port`, as Platos deploys them
   * (app.ts `buildTwoServices`); 0 picks a free one. Absent: both on `port`, core-api below CORE_API_PREFIX.
   */
  readonly coreApiPort?: number;
  readonly dataDir: string;
  /** Absent: main.ts generates one and prints it. */
  readonly adminToken?: string;
  /** Absent: kept in `dataDir/master.key`. */
  readonly masterKey?: Buffer;
  readonly rateLimitPerMinute: number;
  readonly faults: FaultConfig;
  /** Present: real PostgreSQL instead of PGlite in the data directory. */
  readonly databaseUrl?: string;
  readonly logLevel: string;
  readonly interactiveApprovals: boolean;
  readonly dashboardOrigin?: string;
  readonly approvalTtlSeconds: number;
}

const LOG_LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

function whole(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

/** `1` or `true` (any case), as Platos reads MCP_INTERACTIVE_APPROVALS. */
const flag = (value: string | undefined): boolean => value !== undefined && /^(1|true)$/i.test(value.trim());

function origin(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    return url.origin;
  } catch {
    throw new Error(`${name} must be an http(s) URL`);
  }
}

const present = (value: string | undefined): string | undefined => (value === undefined || value.trim() === "" ? undefined : value.trim());

/** Throws an error naming the variable (never its value) when one is invalid. */
export function readConfig(env: NodeJS.ProcessEnv): EmulatorConfig {
  const logLevel = present(env.PLATOS_EMULATOR_LOG_LEVEL) ?? "info";
  if (!LOG_LEVELS.has(logLevel)) throw new Error(`PLATOS_EMULATOR_LOG_LEVEL must be one of ${[...LOG_LEVELS].join(", ")}`);
  let masterKey: Buffer | undefined;
  const masterKeyHex = present(env.PLATOS_EMULATOR_MASTER_KEY);
  if (masterKeyHex !== undefined) {
    try {
      masterKey = parseMasterKey(masterKeyHex);
    } catch {
      throw new Error("PLATOS_EMULATOR_MASTER_KEY must be 64 hexadecimal characters (32 bytes)");
    }
  }
  let faults: FaultConfig;
  try {
    faults = parseFaults(env.PLATOS_EMULATOR_FAULTS ?? "");
  } catch (err) {
    throw new Error(`PLATOS_EMULATOR_FAULTS: ${(err as Error).message}`);
  }
  const port = whole("PLATOS_EMULATOR_PORT", present(env.PLATOS_EMULATOR_PORT) ?? "4600", 0, 65535);
  const coreApiPortText = present(env.PLATOS_EMULATOR_CORE_API_PORT);
  const coreApiPort = coreApiPortText === undefined ? undefined : whole("PLATOS_EMULATOR_CORE_API_PORT", coreApiPortText, 0, 65535);
  if (coreApiPort !== undefined && coreApiPort !== 0 && coreApiPort === port) {
    throw new Error("PLATOS_EMULATOR_CORE_API_PORT must differ from PLATOS_EMULATOR_PORT: core-api and the agent app each listen on a port of their own");
  }
  return {
    host: present(env.PLATOS_EMULATOR_HOST) ?? "127.0.0.1",
    port,
    ...(coreApiPort === undefined ? {} : { coreApiPort }),
    dataDir: present(env.PLATOS_EMULATOR_DATA) ?? ".platos/emulator",
    adminToken: present(env.PLATOS_EMULATOR_ADMIN_TOKEN),
    masterKey,
    rateLimitPerMinute: whole("PLATOS_EMULATOR_RATE_LIMIT", present(env.PLATOS_EMULATOR_RATE_LIMIT) ?? "0", 0, 1_000_000),
    faults,
    databaseUrl: present(env.DATABASE_URL),
    logLevel,
    interactiveApprovals: flag(env.PLATOS_EMULATOR_INTERACTIVE_APPROVALS),
    dashboardOrigin: origin("PLATOS_EMULATOR_DASHBOARD_ORIGIN", present(env.PLATOS_EMULATOR_DASHBOARD_ORIGIN)),
    approvalTtlSeconds: whole("PLATOS_EMULATOR_APPROVAL_TTL_SECONDS", present(env.PLATOS_EMULATOR_APPROVAL_TTL_SECONDS) ?? "3600", 60, 31_536_000),
  };
}
