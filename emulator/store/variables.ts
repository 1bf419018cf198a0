import { randomUUID } from "node:crypto";
import type { EnvironmentVariable, VariableKind } from "../../provider/client/schemas";
import type { Keyring } from "../crypto";
import type { Database } from "./database";
import { iso, sealedOf, type Clock } from "./rows";

interface VariableRow {
  id: string;
  environmentId: string;
  key: string;
  kind: VariableKind;
  ciphertext: Uint8Array;
  iv: Uint8Array;
  tag: Uint8Array;
  version: number;
  lastUpdatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, environment_id AS "environmentId", key, kind, value_ciphertext AS ciphertext, value_iv AS iv, value_tag AS tag,
  version, last_updated_by AS "lastUpdatedBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The additional data each envelope is sealed with: a ciphertext only opens in its own row. */
const boundTo = (environmentId: string, key: string): string => `${environmentId}/${key}`;

export function variablesStore(db: Database, keyring: Keyring, clock: Clock) {
  /** SECRET values are write-only, so they are never even decrypted on the way out. */
  const toVariable = (row: VariableRow): EnvironmentVariable => ({
    id: row.id,
    environmentId: row.environmentId,
    key: row.key,
    kind: row.kind,
    value: row.kind === "SECRET" ? null : keyring.open(sealedOf(row), boundTo(row.environmentId, row.key)),
    hasSecret: row.kind === "SECRET",
    version: row.version,
    lastUpdatedBy: row.lastUpdatedBy,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  });

  return {
    async list(environmentId: string): Promise<EnvironmentVariable[]> {
      const rows = await db.query<VariableRow>(`SELECT ${COLUMNS} FROM variables WHERE environment_id = $1 ORDER BY key COLLATE "C"`, [environmentId]);
      return rows.map(toVariable);
    },

    async get(environmentId: string, key: string): Promise<EnvironmentVariable | undefined> {
      const [row] = await db.query<VariableRow>(`SELECT ${COLUMNS} FROM variables WHERE environment_id = $1 AND key = $2`, [environmentId, key]);
      return row && toVariable(row);
    },

    /** Creates or replaces a variable in one statement, so concurrent writes each get their own version. */
    async put(
      environmentId: string,
      key: string,
      input: { value: string; secret: boolean },
      updatedBy: string,
    ): Promise<{ variable: EnvironmentVariable; created: boolean }> {
      const sealed = keyring.seal(input.value, boundTo(environmentId, key));
      const [row] = await db.query<VariableRow>(
        `INSERT INTO variables (id, environment_id, key, kind, value_ciphertext, value_iv, value_tag, version, last_updated_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9)
         ON CONFLICT (environment_id, key) DO UPDATE SET
           kind = EXCLUDED.kind, value_ciphertext = EXCLUDED.value_ciphertext, value_iv = EXCLUDED.value_iv, value_tag = EXCLUDED.value_tag,
           version = variables.version + 1, last_updated_by = EXCLUDED.last_updated_by, updated_at = EXCLUDED.updated_at
         RETURNING ${COLUMNS}`,
        [randomUUID(), environmentId, key, input.secret ? "SECRET" : "PLAIN", sealed.ciphertext, sealed.iv, sealed.tag, updatedBy, clock()],
      );
      const variable = toVariable(row as VariableRow);
      return { variable, created: variable.version === 1 };
    },

    async delete(environmentId: string, key: string): Promise<boolean> {
      const deleted = await db.query<{ id: string }>("DELETE FROM variables WHERE environment_id = $1 AND key = $2 RETURNING id", [environmentId, key]);
      return deleted.length > 0;
    },
  };
}
