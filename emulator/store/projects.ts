import { randomUUID } from "node:crypto";
import type { CreateProject, Environment, Project } from "../../provider/client/schemas";
import { PlatosError } from "../errors";
import { isUniqueViolation, type Database, type Queryable } from "./database";
import { insertEnvironment } from "./environments";
import { afterSeq, pageLimit, toPage, type Page, type PageRequest } from "./pagination";
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
  async function insertProject(q: Queryable, input: CreateProject, organizationId?: string): Promise<ProjectRecord> {
    try {
      const [row] = await q.query<ProjectRow>(
        `INSERT INTO projects (id, organization_id, slug, name, created_at)
         SELECT $1, id, $2, $3, $4 FROM organizations WHERE ($5::text IS NULL OR id = $5) ORDER BY created_at LIMIT 1
         RETURNING ${COLUMNS}`,
        [randomUUID(), input.slug, input.name, clock(), organizationId ?? null],
      );
      if (!row) throw new PlatosError("TENANCY_NOT_FOUND", "organization not found");
      return toProject(row);
    } catch (err) {
      if (isUniqueViolation(err, "projects_live_slug")) throw new PlatosError("TENANCY_SLUG_TAKEN", `a project with slug ${input.slug} exists`);
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
    async create(input: CreateProject): Promise<ProjectRecord> {
      return insertProject(db, input);
    },

    /** core-api's create: the project and its first environment, in one transaction. */
    async createWithEnvironment(organizationId: string, project: CreateProject, environment: CreateProject): Promise<{ project: ProjectRecord; environment: Environment }> {
      return db.transaction(async (tx) => {
        const created = await insertProject(tx, project, organizationId);
        return { project: created, environment: await insertEnvironment(tx, created.id, environment, clock()) };
      });
    },
  };
}
export type ProjectsStore = ReturnType<typeof projectsStore>;
