/**
 * The emulator's storage: one object per API object, over one database, with migrations applied on open. It
 * answers in domain values: what it will not do is a refusal (refusals.ts), never an error of any wire.
 */
import { createKeyring, type Keyring } from "../crypto";
import { agentsStore } from "./agents";
import { approvalsStore } from "./approvals";
import type { Database } from "./database";
import { environmentsStore } from "./environments";
import { idempotencyStore } from "./idempotency";
import { mcpTokensStore } from "./mcp-tokens";
import { migrate } from "./migrate";
import { organizationsStore } from "./organizations";
import { openPglite } from "./pglite";
import { openPostgres } from "./postgres";
import { projectsStore } from "./projects";
import { providerCredentialsStore } from "./provider-credentials";
import { providerKeysStore } from "./provider-keys";
import type { Clock } from "./rows";
import { tokensStore } from "./tokens";
import { variablesStore } from "./variables";

export interface StoreOptions {
  /** 32 bytes; seals variable values and recorded responses. */
  readonly masterKey: Buffer;
  readonly clock?: Clock;
}

function createStore(db: Database, keyring: Keyring, clock: Clock) {
  const providerKeys = providerKeysStore(db, clock);
  return {
    organizations: organizationsStore(db),
    projects: projectsStore(db, clock),
    environments: environmentsStore(db, clock),
    variables: variablesStore(db, keyring, clock),
    agents: agentsStore(db, clock),
    providerKeys,
    providerCredentials: providerCredentialsStore(db, keyring, clock, providerKeys),
    tokens: tokensStore(db, clock),
    mcpTokens: mcpTokensStore(db, clock),
    approvals: approvalsStore(db, keyring, clock),
    idempotency: idempotencyStore(db, keyring, clock),
    async ping(): Promise<void> {
      await db.query("SELECT 1");
    },
    close: () => db.close(),
  };
}
export type Store = ReturnType<typeof createStore>;

/** Refuses a master key other than the one the data was sealed with, instead of failing on every read later. */
async function checkMasterKey(db: Database, fingerprint: string): Promise<void> {
  await db.query("INSERT INTO settings (name, value) VALUES ('master_key_fingerprint', $1) ON CONFLICT (name) DO NOTHING", [fingerprint]);
  const [row] = await db.query<{ value: string }>("SELECT value FROM settings WHERE name = 'master_key_fingerprint'");
  if (row?.value !== fingerprint) throw new Error("the master key is not the one this database was created with");
}

/** Migrates `db`, checks the master key and returns the store; the store owns `db` from then on. */
export async function openStore(db: Database, options: StoreOptions): Promise<Store> {
  const keyring = createKeyring(options.masterKey);
  try {
    await migrate(db);
    await checkMasterKey(db, keyring.fingerprint);
  } catch (err) {
    await db.close();
    throw err;
  }
  return createStore(db, keyring, options.clock ?? (() => new Date()));
}

/** PostgreSQL when `databaseUrl` is given, else PGlite in `dataDir` (in memory without one). */
export function openDatabase(location: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  return location.databaseUrl ? Promise.resolve(openPostgres(location.databaseUrl)) : openPglite({ dataDir: location.dataDir });
}
