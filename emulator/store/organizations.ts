import type { Organization } from "../../provider/client/platform/core-api";
import type { Database } from "./database";
import { iso } from "./rows";

interface OrganizationRow {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

const COLUMNS = `id, slug, name, created_at AS "createdAt"`;

const toOrganization = (row: OrganizationRow): Organization => ({ id: row.id, slug: row.slug, name: row.name, createdAt: iso(row.createdAt) });

/** Organizations are made by migrations only: a fresh emulator has one, slug `default`. */
export function organizationsStore(db: Database) {
  return {
    async list(): Promise<Organization[]> {
      return (await db.query<OrganizationRow>(`SELECT ${COLUMNS} FROM organizations ORDER BY created_at, id`)).map(toOrganization);
    },

    async findById(id: string): Promise<Organization | undefined> {
      const [row] = await db.query<OrganizationRow>(`SELECT ${COLUMNS} FROM organizations WHERE id = $1`, [id]);
      return row && toOrganization(row);
    },

    async findBySlug(slug: string): Promise<Organization | undefined> {
      const [row] = await db.query<OrganizationRow>(`SELECT ${COLUMNS} FROM organizations WHERE slug = $1`, [slug]);
      return row && toOrganization(row);
    },
  };
}
