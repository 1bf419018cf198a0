import { randomUUID } from "node:crypto";
import type { Environment } from "../../provider/client/schemas";
import { isUniqueViolation, type Database, type Queryable } from "./database";
import { afterSeq, pageLimit, toPage, type Page, type PageRequest } from "./pagination";
import type { SlugTaken } from "./refusals";
import { iso, type Clock } from "./rows";

interface EnvironmentRow {
  seq: number;
  id: string;
  projectId: string;
  slug: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}

/** An environment by id, live or archived: scope checks need an archived one's project and slug too. */
export interface FoundEnvironment {
  readonly environment: Environment;
  readonly archived: boolean;
}

export interface EnvironmentFilter extends PageRequest {
  readonly slug?: string;
  /** Only these slugs (a scoped token's); every slug when absent. */
  readonly slugs?: readonly string[];
}

const ENVIRONMENT_COLUMNS = `seq, id, project_id AS "projectId", slug, name, created_at AS "createdAt", updated_at AS "updatedAt", archived_at AS "archivedAt"`;

const toEnvironment = (row: EnvironmentRow): Environment => ({
  id: row.id,
  projectId: row.projectId,
  slug: row.slug,
  name: row.name,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});

/** Also used inside the transaction that creates a project with its first environment. */
export async function insertEnvironment(q: Queryable, projectId: string, input: { slug: string; name: string }, now: Date): Promise<Environment | SlugTaken> {
  try {
    const [row] = await q.query<EnvironmentRow>(
      `INSERT INTO environments (id, project_id, slug, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${ENVIRONMENT_COLUMNS}`,
      [randomUUID(), projectId, input.slug, input.name, now],
    );
    return toEnvironment(row as EnvironmentRow);
  } catch (err) {
    if (isUniqueViolation(err, "environments_live_slug")) return { refused: "slug_taken", of: "environment", slug: input.slug };
    throw err;
  }
}

export function environmentsStore(db: Database, clock: Clock) {
  return {
    async list(projectId: string, filter: EnvironmentFilter): Promise<Page<Environment>> {
      const rows = await db.query<EnvironmentRow>(
        `SELECT ${ENVIRONMENT_COLUMNS} FROM environments
         WHERE project_id = $1 AND archived_at IS NULL AND seq > $2
           AND ($3::text IS NULL OR slug = $3) AND ($4::text[] IS NULL OR slug = ANY ($4::text[]))
         ORDER BY seq LIMIT $5`,
        [projectId, afterSeq(filter.cursor), filter.slug ?? null, filter.slugs ? [...filter.slugs] : null, pageLimit(filter) + 1],
      );
      return toPage(rows, filter, toEnvironment);
    },

    /** Every live environment of the project, oldest first. */
    async live(projectId: string): Promise<Environment[]> {
      const rows = await db.query<EnvironmentRow>(
        `SELECT ${ENVIRONMENT_COLUMNS} FROM environments WHERE project_id = $1 AND archived_at IS NULL ORDER BY seq`,
        [projectId],
      );
      return rows.map(toEnvironment);
    },

    async findById(id: string): Promise<FoundEnvironment | undefined> {
      const [row] = await db.query<EnvironmentRow>(`SELECT ${ENVIRONMENT_COLUMNS} FROM environments WHERE id = $1`, [id]);
      return row && { environment: toEnvironment(row), archived: row.archivedAt !== null };
    },

    async create(projectId: string, input: { slug: string; name: string }): Promise<Environment | SlugTaken> {
      return insertEnvironment(db, projectId, input, clock());
    },

    /** Renames a live environment; undefined when there is none. */
    async rename(id: string, name: string): Promise<Environment | undefined> {
      const [row] = await db.query<EnvironmentRow>(
        `UPDATE environments SET name = $2, updated_at = CASE WHEN name = $2 THEN updated_at ELSE $3 END
         WHERE id = $1 AND archived_at IS NULL RETURNING ${ENVIRONMENT_COLUMNS}`,
        [id, name, clock()],
      );
      return row && toEnvironment(row);
    },

    /** Archives a live environment, which frees its slug, and deletes its variables, agents and provider keys with it. */
    async archive(id: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const archived = await tx.query<{ id: string }>(
          "UPDATE environments SET archived_at = $2, updated_at = $2 WHERE id = $1 AND archived_at IS NULL RETURNING id",
          [id, clock()],
        );
        if (archived.length === 0) return false;
        await tx.query("DELETE FROM variables WHERE environment_id = $1", [id]);
        await tx.query("DELETE FROM agents WHERE environment_id = $1", [id]);
        await tx.query("DELETE FROM provider_keys WHERE environment_id = $1", [id]);
        return true;
      });
    },
  };
}
