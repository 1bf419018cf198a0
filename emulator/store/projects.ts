import { randomUUID } from "node:crypto";
import type { CreateProject, Environment, Project } from "../../provider/client/schemas";
import { isUniqueViolation, type Database, type Queryable } from "./database";
import { insertEnvironment } from "./environments";
import { afterSeq, pageLimit, toPage, type Page, type PageRequest } from "./pagination";
import { isRefusal, refusableTransaction, type OrganizationNotFound, type SlugTaken } from "./refusals";
import { iso, type Clock } from "./rows";

/** A project as stored; `through` depends on the caller and is added by the route. */
export type ProjectRecord = Omit<Project, "through">;

interface ProjectRow {
  seq: number;
  id: string;
  organizationId: string;
  slug: string;
  name: string;
  createdAt: Date;
}

const COLUMNS = `seq, id, organization_id AS "organizationId", slug, name, created_at AS "createdAt"`;

const toProject = (row: ProjectRow): ProjectRecord => ({
  id: row.id,
  organizationId: row.organizationId,
  slug: row.slug,
  name: row.name,
  archivedAt: null,
  createdAt: iso(row.createdAt),
});

export function projectsStore(db: Database, clock: Clock) {
  /** Into `organizationId`, or the first organization when none is named. */
  async function insertProject(q: Queryable, input: CreateProject, organizationId?: string): Promise<ProjectRecord | SlugTaken | OrganizationNotFound> {
    try {
      const [row] = await q.query<ProjectRow>(
        `INSERT INTO projects (id, organization_id, slug, name, created_at)
         SELECT $1, id, $2, $3, $4 FROM organizations WHERE ($5::text IS NULL OR id = $5) ORDER BY created_at LIMIT 1
         RETURNING ${COLUMNS}`,
        [randomUUID(), input.slug, input.name, clock(), organizationId ?? null],
      );
      return row ? toProject(row) : { refused: "organization_not_found" };
    } catch (err) {
      if (isUniqueViolation(err, "projects_live_slug")) return { refused: "slug_taken", of: "project", slug: input.slug };
      throw err;
    }
  }

  return {
    /** Live projects; `onlyId` narrows to one (what a scoped token sees). */
    async list(filter: PageRequest & { slug?: string; onlyId?: string }): Promise<Page<ProjectRecord>> {
      const rows = await db.query<ProjectRow>(
        `SELECT ${COLUMNS} FROM projects
         WHERE archived_at IS NULL AND seq > $1 AND ($2::text IS NULL OR id = $2) AND ($3::text IS NULL OR slug = $3)
         ORDER BY seq LIMIT $4`,
        [afterSeq(filter.cursor), filter.onlyId ?? null, filter.slug ?? null, pageLimit(filter) + 1],
      );
      return toPage(rows, filter, toProject);
    },

    /** A live project by id or slug. */
    async findByRef(ref: string): Promise<ProjectRecord | undefined> {
      const [row] = await db.query<ProjectRow>(`SELECT ${COLUMNS} FROM projects WHERE archived_at IS NULL AND (id = $1 OR slug = $1)`, [ref]);
      return row && toProject(row);
    },

    /** A project in the first organization (the V1 body names none). */
    async create(input: CreateProject): Promise<ProjectRecord | SlugTaken | OrganizationNotFound> {
      return insertProject(db, input);
    },

    /** core-api's create: the project and its first environment, in one transaction (none of it when either is refused). */
    async createWithEnvironment(
      organizationId: string,
      project: CreateProject,
      environment: CreateProject,
    ): Promise<{ project: ProjectRecord; environment: Environment } | SlugTaken | OrganizationNotFound> {
      return refusableTransaction(db, async (tx) => {
        const created = await insertProject(tx, project, organizationId);
        if (isRefusal(created)) return created;
        const first = await insertEnvironment(tx, created.id, environment, clock());
        return isRefusal(first) ? first : { project: created, environment: first };
      });
    },
  };
}
