/**
 * `plt_mcp_` tokens of the platform gateway: pinned to one environment, stored by SHA-256 only, with permission
 * patterns, a tier, an absolute expiry and revocation.
 */
import { randomUUID } from "node:crypto";
import type { McpTokenResource, McpTokenTier } from "../../provider/client/platform/core-api";
import type { TokenScope } from "../../provider/client/platform/tools";
import type { Database } from "./database";
import { afterSeq, pageLimit, toPage, type Page, type PageRequest } from "./pagination";
import { iso, type Clock } from "./rows";

/** A verified token: what the gateway and the tools act on. */
export interface McpTokenRecord {
  readonly id: string;
  readonly name: string;
  readonly permissions: readonly string[];
  readonly tier: McpTokenTier;
  readonly mintedBy: string;
  readonly expiresAt: string;
  readonly scope: TokenScope;
  /** The pinned environment was archived after the token was minted: the token still verifies, as on Platos. */
  readonly environmentArchived: boolean;
}

export interface NewMcpToken {
  readonly environmentId: string;
  readonly name: string;
  readonly permissions: readonly string[];
  readonly tier: McpTokenTier;
  readonly tokenHash: string;
  readonly mintedBy: string;
  readonly ttlSeconds: number;
}

interface TokenRow {
  seq: number;
  id: string;
  name: string;
  permissions: string[];
  tier: McpTokenTier;
  mintedBy: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

const COLUMNS = `seq, id, name, permissions, tier, minted_by AS "mintedBy", created_at AS "createdAt", expires_at AS "expiresAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt", revoked_by AS "revokedBy"`;

const stateOf = (row: TokenRow, now: Date): McpTokenResource["state"] => (row.revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "active");

const toResource = (row: TokenRow, now: Date): McpTokenResource => ({
  tokenId: row.id,
  label: row.name,
  permissions: row.permissions,
  principalId: row.mintedBy,
  tier: row.tier,
  state: stateOf(row, now),
  createdAt: iso(row.createdAt),
  expiresAt: iso(row.expiresAt),
  lastUsedAt: row.lastUsedAt && iso(row.lastUsedAt),
  revokedAt: row.revokedAt && iso(row.revokedAt),
  revokedBy: row.revokedBy,
});

export function mcpTokensStore(db: Database, clock: Clock) {
  return {
    async create(input: NewMcpToken): Promise<McpTokenResource> {
      const now = clock();
      const [row] = await db.query<TokenRow>(
        `INSERT INTO mcp_tokens (id, environment_id, name, permissions, tier, token_hash, minted_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
        [
          randomUUID(),
          input.environmentId,
          input.name,
          [...input.permissions],
          input.tier,
          input.tokenHash,
          input.mintedBy,
          now,
          new Date(now.getTime() + input.ttlSeconds * 1000),
        ],
      );
      return toResource(row as TokenRow, now);
    },

    /**
     * A live token (not revoked, not expired) by hash, stamping `lastUsedAt` in the same statement; the scope comes
     * from the environment's ancestry. As on Platos (token.service.ts@d466e2f0 `verify` has no archived check), a
     * token of an archived environment still verifies; the tools refuse it one by one.
     */
    async verify(tokenHash: string): Promise<McpTokenRecord | undefined> {
      const now = clock();
      const [row] = await db.query<TokenRow & TokenScope & { environmentArchived: boolean }>(
        `UPDATE mcp_tokens t SET last_used_at = $2
         FROM environments e JOIN projects p ON p.id = e.project_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND e.id = t.environment_id
         RETURNING t.id, t.name, t.permissions, t.tier, t.minted_by AS "mintedBy", t.expires_at AS "expiresAt",
           p.organization_id AS "organizationId", p.id AS "projectId", e.id AS "environmentId", e.archived_at IS NOT NULL AS "environmentArchived"`,
        [tokenHash, now],
      );
      if (!row) return undefined;
      const { organizationId, projectId, environmentId } = row;
      return {
        id: row.id,
        name: row.name,
        permissions: row.permissions,
        tier: row.tier,
        mintedBy: row.mintedBy,
        expiresAt: iso(row.expiresAt),
        scope: { organizationId, projectId, environmentId },
        environmentArchived: row.environmentArchived,
      };
    },

    async list(environmentId: string, request: PageRequest): Promise<Page<McpTokenResource> & { total: number }> {
      const now = clock();
      const rows = await db.query<TokenRow>(`SELECT ${COLUMNS} FROM mcp_tokens WHERE environment_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [
        environmentId,
        afterSeq(request.cursor),
        pageLimit(request) + 1,
      ]);
      const [count] = await db.query<{ total: number }>("SELECT count(*)::int AS total FROM mcp_tokens WHERE environment_id = $1", [environmentId]);
      return { ...toPage(rows, request, (row) => toResource(row, now)), total: count?.total ?? 0 };
    },

    /** Revokes the environment's token; undefined when it has none with this id. A second revoke changes nothing. */
    async revoke(
      id: string,
      environmentId: string,
      revokedBy: string,
    ): Promise<{ token: McpTokenResource; newlyRevoked: boolean; previousState: McpTokenResource["state"] } | undefined> {
      return db.transaction(async (tx) => {
        const now = clock();
        const [before] = await tx.query<TokenRow>(`SELECT ${COLUMNS} FROM mcp_tokens WHERE id = $1 AND environment_id = $2 FOR UPDATE`, [id, environmentId]);
        if (!before) return undefined;
        const previousState = stateOf(before, now);
        if (before.revokedAt) return { token: toResource(before, now), newlyRevoked: false, previousState };
        const [after] = await tx.query<TokenRow>(`UPDATE mcp_tokens SET revoked_at = $2, revoked_by = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [
          id,
          now,
          revokedBy,
        ]);
        return { token: toResource(after as TokenRow, now), newlyRevoked: true, previousState };
      });
    },
  };
}
