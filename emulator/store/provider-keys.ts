/**
 * Provider keys (Platos's ProviderKey) and what pins them. A key names its credential by `envVarName`, and what
 * counts as one depends on the front door (docs/api.md, "Provider keys"): on the V1 contract, the SECRET variable
 * of that name in the key's environment (putting a new value into it rotates the material); on the platform
 * surface, as on real Platos, only a provider credential of that name and provider (provider-credentials.ts).
 * Writes for one provider of an environment are serialised, so it never has two defaults.
 */
import { randomUUID } from "node:crypto";
import type { ProviderKey, UpdateProviderKey } from "../../provider/client/schemas";
import { isUniqueViolation, type Database, type Queryable } from "./database";
import { findProviderCredential } from "./provider-credentials";
import { refusableTransaction, type CredentialRule, type CredentialUnavailable, type LabelTaken, type PinnedByAgents } from "./refusals";
import { iso, type Clock } from "./rows";

interface ProviderKeyRow {
  id: string;
  environmentId: string;
  provider: string;
  label: string;
  envVarName: string;
  isDefault: boolean;
  createdBy: string | null;
  lastUsedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  credentialId: string | null;
}

/** A key with the id of the variable that holds its material (null while there is no such SECRET variable). */
export type StoredProviderKey = ProviderKey & { readonly credentialId: string | null };

export interface NewProviderKey {
  readonly provider: string;
  readonly label: string;
  readonly envVarName: string;
  readonly isDefault: boolean;
}

/** Platos's agent fields that name provider keys, as they were given. */
export interface AgentKeyRefs {
  readonly providerKeyId: string | null;
  readonly modelRoutes: unknown[] | null;
}

const SELECT_KEY = `SELECT k.id, k.environment_id AS "environmentId", k.provider, k.label, k.env_var_name AS "envVarName",
    k.is_default AS "isDefault", k.created_by AS "createdBy", k.last_used_at AS "lastUsedAt", k.created_at AS "createdAt",
    k.updated_at AS "updatedAt", COALESCE(c.id, v.id) AS "credentialId"
  FROM provider_keys k
  LEFT JOIN provider_credentials c ON c.environment_id = k.environment_id AND c.name = k.env_var_name AND c.provider = k.provider
  LEFT JOIN variables v ON v.environment_id = k.environment_id AND v.key = k.env_var_name AND v.kind = 'SECRET'`;

const toProviderKey = (row: ProviderKeyRow): StoredProviderKey => ({
  id: row.id,
  environmentId: row.environmentId,
  provider: row.provider,
  label: row.label,
  envVarName: row.envVarName,
  isDefault: row.isDefault,
  createdBy: row.createdBy,
  lastUsedAt: row.lastUsedAt && iso(row.lastUsedAt),
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
  credentialId: row.credentialId,
});

/** Agents bound in the environment whose configuration names the key: its `providerKeyId`, or a model route's. */
const PINNING_AGENTS = `SELECT a.id, a.slug FROM agent_provider_key_refs r JOIN agents a ON a.id = r.agent_id
  WHERE a.environment_id = $1 AND a.unbound_at IS NULL
    AND (r.provider_key_id = $2 OR EXISTS (
      SELECT 1 FROM jsonb_array_elements(COALESCE(r.model_routes, '[]'::jsonb)) route WHERE route ->> 'providerKeyId' = $2))
  ORDER BY a.slug`;

export async function findKey(q: Queryable, environmentId: string, keyId: string): Promise<StoredProviderKey | undefined> {
  const [row] = await q.query<ProviderKeyRow>(`${SELECT_KEY} WHERE k.environment_id = $1 AND k.id = $2`, [environmentId, keyId]);
  return row && toProviderKey(row);
}

/** Serialises the writes for one provider of an environment until the transaction ends. */
async function lockProvider(tx: Queryable, environmentId: string, provider: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`provider-keys/${environmentId}/${provider}`]);
}

/** Undefined when `envVarName` names a credential the rule accepts for `provider`; else why not. */
async function missingCredential(
  tx: Queryable,
  rule: CredentialRule,
  environmentId: string,
  envVarName: string,
  provider: string,
): Promise<CredentialUnavailable | undefined> {
  const unavailable = { refused: "credential_unavailable", wanted: rule, envVarName, provider } as const;
  if (rule === "providerCredential") return (await findProviderCredential(tx, environmentId, envVarName, provider)) ? undefined : unavailable;
  const [variable] = await tx.query<{ kind: string }>("SELECT kind FROM variables WHERE environment_id = $1 AND key = $2", [environmentId, envVarName]);
  if (variable?.kind === "SECRET") return undefined;
  return variable ? { ...unavailable, foundPlain: true } : unavailable;
}

async function clearDefaults(tx: Queryable, environmentId: string, provider: string, now: Date): Promise<void> {
  await tx.query("UPDATE provider_keys SET is_default = false, updated_at = $3 WHERE environment_id = $1 AND provider = $2 AND is_default", [
    environmentId,
    provider,
    now,
  ]);
}

/** Runs `write`, answering a taken provider and label as label_taken. */
async function labelled<T>(provider: string, label: string, write: () => Promise<T>): Promise<T | LabelTaken> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err, "provider_keys_environment_provider_label")) return { refused: "label_taken", provider, label };
    throw err;
  }
}

export function providerKeysStore(db: Database, clock: Clock) {
  return {
    /** The environment's keys, oldest first. */
    async list(environmentId: string, filter: { provider?: string } = {}): Promise<StoredProviderKey[]> {
      const rows = await db.query<ProviderKeyRow>(`${SELECT_KEY} WHERE k.environment_id = $1 AND ($2::text IS NULL OR k.provider = $2) ORDER BY k.seq`, [
        environmentId,
        filter.provider ?? null,
      ]);
      return rows.map(toProviderKey);
    },

    get: (environmentId: string, keyId: string): Promise<StoredProviderKey | undefined> => findKey(db, environmentId, keyId),

    /** The environment a key id belongs to, in any project: for refusals that name it. */
    async environmentOf(keyId: string): Promise<string | undefined> {
      const [row] = await db.query<{ environmentId: string }>(`SELECT environment_id AS "environmentId" FROM provider_keys WHERE id = $1`, [keyId]);
      return row?.environmentId;
    },

    /** A default key clears the provider's other defaults in the same transaction. */
    async create(
      environmentId: string,
      key: NewProviderKey,
      createdBy: string,
      rule: CredentialRule = "secretVariable",
      /** A transaction to write in (the BYOK flow makes the credential in the same one); it must roll back on a refusal. */
      within?: Queryable,
    ): Promise<StoredProviderKey | LabelTaken | CredentialUnavailable> {
      const write = async (tx: Queryable): Promise<StoredProviderKey | CredentialUnavailable> => {
        await lockProvider(tx, environmentId, key.provider);
        const missing = await missingCredential(tx, rule, environmentId, key.envVarName, key.provider);
        if (missing) return missing;
        const now = clock();
        if (key.isDefault) await clearDefaults(tx, environmentId, key.provider, now);
        const id = randomUUID();
        await tx.query(
          `INSERT INTO provider_keys (id, environment_id, provider, label, env_var_name, is_default, created_by, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
          [id, environmentId, key.provider, key.label, key.envVarName, key.isDefault, createdBy, now],
        );
        return (await findKey(tx, environmentId, id)) as StoredProviderKey;
      };
      return labelled(key.provider, key.label, () => (within ? write(within) : refusableTransaction(db, write)));
    },

    /** Applies a partial change; undefined when the environment has no such key. */
    async update(
      environmentId: string,
      keyId: string,
      patch: UpdateProviderKey,
      rule: CredentialRule = "secretVariable",
    ): Promise<{ key: StoredProviderKey; previousEnvVarName: string } | undefined | LabelTaken | CredentialUnavailable> {
      const current = await findKey(db, environmentId, keyId);
      if (!current) return undefined;
      const label = patch.label ?? current.label;
      return labelled(current.provider, label, () =>
        refusableTransaction(db, async (tx) => {
          await lockProvider(tx, environmentId, current.provider);
          const locked = await findKey(tx, environmentId, keyId);
          if (!locked) return undefined;
          const envVarName = patch.envVarName ?? locked.envVarName;
          const isDefault = patch.isDefault ?? locked.isDefault;
          if (envVarName === locked.envVarName && label === locked.label && isDefault === locked.isDefault)
            return { key: locked, previousEnvVarName: locked.envVarName };
          const missing = envVarName === locked.envVarName ? undefined : await missingCredential(tx, rule, environmentId, envVarName, locked.provider);
          if (missing) return missing;
          const now = clock();
          if (isDefault && !locked.isDefault) await clearDefaults(tx, environmentId, locked.provider, now);
          await tx.query("UPDATE provider_keys SET env_var_name = $2, label = $3, is_default = $4, updated_at = $5 WHERE id = $1", [
            keyId,
            envVarName,
            label,
            isDefault,
            now,
          ]);
          return { key: (await findKey(tx, environmentId, keyId)) as StoredProviderKey, previousEnvVarName: locked.envVarName };
        }),
      );
    },

    /** Deletes the key unless an agent bound in the environment still pins it; undefined when there is no such key. */
    async delete(environmentId: string, keyId: string): Promise<StoredProviderKey | PinnedByAgents | undefined> {
      return db.transaction(async (tx) => {
        const key = await findKey(tx, environmentId, keyId);
        if (!key) return undefined;
        const agents = await tx.query<PinnedByAgents["agents"][number]>(PINNING_AGENTS, [environmentId, keyId]);
        if (agents.length > 0) return { refused: "pinned_by_agents", agents };
        await tx.query("DELETE FROM provider_keys WHERE id = $1", [keyId]);
        return key;
      });
    },

    /** Sets the fields given (undefined keeps a field, null clears it); a row with both cleared is removed. */
    async setAgentRefs(agentId: string, refs: Partial<AgentKeyRefs>): Promise<void> {
      const [current] = await db.query<AgentKeyRefs>(
        `SELECT provider_key_id AS "providerKeyId", model_routes AS "modelRoutes" FROM agent_provider_key_refs WHERE agent_id = $1`,
        [agentId],
      );
      const next = { providerKeyId: null, modelRoutes: null, ...current, ...refs };
      if (next.providerKeyId === null && next.modelRoutes === null) {
        await db.query("DELETE FROM agent_provider_key_refs WHERE agent_id = $1", [agentId]);
        return;
      }
      await db.query(
        `INSERT INTO agent_provider_key_refs (agent_id, provider_key_id, model_routes) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (agent_id) DO UPDATE SET provider_key_id = EXCLUDED.provider_key_id, model_routes = EXCLUDED.model_routes`,
        [agentId, next.providerKeyId, next.modelRoutes === null ? null : JSON.stringify(next.modelRoutes)],
      );
    },

    /** The key references of each agent that has any. */
    async agentRefs(agentIds: readonly string[]): Promise<Map<string, AgentKeyRefs>> {
      const rows = await db.query<AgentKeyRefs & { agentId: string }>(
        `SELECT agent_id AS "agentId", provider_key_id AS "providerKeyId", model_routes AS "modelRoutes" FROM agent_provider_key_refs WHERE agent_id = ANY ($1::text[])`,
        [[...agentIds]],
      );
      return new Map(rows.map(({ agentId, ...refs }) => [agentId, refs]));
    },
  };
}
export type ProviderKeysStore = ReturnType<typeof providerKeysStore>;
