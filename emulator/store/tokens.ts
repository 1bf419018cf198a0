import { randomUUID } from "node:crypto";
import type { Database } from "./database";
import type { Clock } from "./rows";

/** A live scoped token. `environments` is "*" (every environment of the project) or a list of slugs. */
export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly projectId: string;
  readonly environments: "*" | readonly string[];
}

interface TokenRow {
  id: string;
  name: string;
  projectId: string;
  environmentSlugs: string[] | null;
}

export function tokensStore(db: Database, clock: Clock) {
  return {
    /** Stores a token by its hash only; the token itself is shown once, by the route, and never kept. */
    async create(input: { name: string; projectId: string; environments: "*" | readonly string[]; tokenHash: string }): Promise<{ id: string }> {
      const id = randomUUID();
      await db.query("INSERT INTO api_tokens (id, name, project_id, environment_slugs, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)", [
        id,
        input.name,
        input.projectId,
        input.environments === "*" ? null : [...new Set(input.environments)],
        input.tokenHash,
        clock(),
      ]);
      return { id };
    },

    async findActive(tokenHash: string): Promise<TokenRecord | undefined> {
      const [row] = await db.query<TokenRow>(
        `SELECT id, name, project_id AS "projectId", environment_slugs AS "environmentSlugs" FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
        [tokenHash],
      );
      return row && { id: row.id, name: row.name, projectId: row.projectId, environments: row.environmentSlugs ?? "*" };
    },

    async revoke(id: string): Promise<boolean> {
      const revoked = await db.query<{ id: string }>("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id", [id, clock()]);
      return revoked.length > 0;
    },
  };
}
