import { randomUUID } from "node:crypto";
import type { Agent, AgentBehaviour, AgentVersion, Environment, UpdateAgent } from "../../provider/client/schemas";
import { patchedBehaviour, sameBehaviour } from "../agent-behaviour";
import { isUniqueViolation, type Database, type Queryable } from "./database";
import { afterSeq, pageLimit, toPage, type Page, type PageRequest } from "./pagination";
import type { SlugTaken } from "./refusals";
import { iso, type Clock } from "./rows";

interface AgentRow {
  seq: number;
  id: string;
  projectId: string;
  environmentId: string;
  slug: string;
  name: string;
  isActive: boolean;
  currentVersionId: string;
  versionNumber: number;
  createdAt: Date;
  updatedAt: Date;
  snapshot: AgentBehaviour;
}

interface VersionRow {
  seq: number;
  id: string;
  versionNumber: number;
  snapshot: AgentBehaviour;
  createdAt: Date;
}

export interface NewAgent {
  readonly slug: string;
  readonly name: string;
  readonly isActive: boolean;
  readonly behaviour: AgentBehaviour;
}

/** The agent's row joined with its current version, which holds the behaviour. */
const SELECT_AGENT = `SELECT a.seq, a.id, a.project_id AS "projectId", a.environment_id AS "environmentId", a.slug, a.name,
    a.is_active AS "isActive", a.current_version_id AS "currentVersionId", a.version_number AS "versionNumber",
    a.created_at AS "createdAt", a.updated_at AS "updatedAt", v.snapshot
  FROM agents a JOIN agent_versions v ON v.id = a.current_version_id`;
/** Rows unbound by the platform's agents.delete are gone from their environment but keep their slug taken. */
const BOUND = "a.unbound_at IS NULL";

const toAgent = (row: AgentRow): Agent => ({
  id: row.id,
  projectId: row.projectId,
  environmentId: row.environmentId,
  slug: row.slug,
  name: row.name,
  ...row.snapshot,
  isActive: row.isActive,
  currentVersionId: row.currentVersionId,
  versionNumber: row.versionNumber,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});

const toVersion = (row: VersionRow): AgentVersion => ({
  id: row.id,
  versionNumber: row.versionNumber,
  snapshot: row.snapshot,
  createdAt: iso(row.createdAt),
});

async function insertVersion(
  tx: Queryable,
  version: { id: string; agentId: string; versionNumber: number; behaviour: AgentBehaviour; now: Date },
): Promise<void> {
  await tx.query("INSERT INTO agent_versions (id, agent_id, version_number, snapshot, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)", [
    version.id,
    version.agentId,
    version.versionNumber,
    JSON.stringify(version.behaviour),
    version.now,
  ]);
}

export function agentsStore(db: Database, clock: Clock) {
  const findIn = async (q: Queryable, environmentId: string, agentId: string): Promise<AgentRow | undefined> =>
    (await q.query<AgentRow>(`${SELECT_AGENT} WHERE a.id = $1 AND a.environment_id = $2 AND ${BOUND}`, [agentId, environmentId]))[0];

  /**
   * Locks the agent's row, then reads it with its version in a second statement. Locking the join itself would
   * not do: after waiting for a concurrent update, PostgreSQL rechecks the join against the old version row and
   * returns nothing.
   */
  const lockAndFind = async (tx: Queryable, environmentId: string, agentId: string): Promise<AgentRow | undefined> => {
    const locked = await tx.query<{ id: string }>("SELECT id FROM agents WHERE id = $1 AND environment_id = $2 AND unbound_at IS NULL FOR UPDATE", [
      agentId,
      environmentId,
    ]);
    return locked.length === 0 ? undefined : findIn(tx, environmentId, agentId);
  };

  return {
    async list(environmentId: string, filter: PageRequest & { slug?: string }): Promise<Page<Agent>> {
      const rows = await db.query<AgentRow>(
        `${SELECT_AGENT} WHERE a.environment_id = $1 AND ${BOUND} AND a.seq > $2 AND ($3::text IS NULL OR a.slug = $3) ORDER BY a.seq LIMIT $4`,
        [environmentId, afterSeq(filter.cursor), filter.slug ?? null, pageLimit(filter) + 1],
      );
      return toPage(rows, filter, toAgent);
    },

    async get(environmentId: string, agentId: string): Promise<Agent | undefined> {
      const row = await findIn(db, environmentId, agentId);
      return row && toAgent(row);
    },

    /** Creates the agent with version 1; a taken slug is refused, never suffixed. */
    async create(environment: Environment, agent: NewAgent): Promise<Agent | SlugTaken> {
      const now = clock();
      const id = randomUUID();
      try {
        return await db.transaction(async (tx) => {
          const versionId = randomUUID();
          await tx.query(
            `INSERT INTO agents (id, project_id, environment_id, slug, name, is_active, current_version_id, version_number, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)`,
            [id, environment.projectId, environment.id, agent.slug, agent.name, agent.isActive, versionId, now],
          );
          await insertVersion(tx, { id: versionId, agentId: id, versionNumber: 1, behaviour: agent.behaviour, now });
          return toAgent((await findIn(tx, environment.id, id)) as AgentRow);
        });
      } catch (err) {
        if (isUniqueViolation(err, "agents_environment_slug")) return { refused: "slug_taken", of: "agent", slug: agent.slug };
        throw err;
      }
    },

    /**
     * Applies a partial update under a row lock. A changed behaviour field makes a new immutable version; a
     * patch that changes nothing writes nothing.
     */
    async update(environmentId: string, agentId: string, patch: UpdateAgent): Promise<Agent | undefined> {
      return db.transaction(async (tx) => {
        const current = await lockAndFind(tx, environmentId, agentId);
        if (!current) return undefined;
        const behaviour = patchedBehaviour(current.snapshot, patch);
        const name = patch.name ?? current.name;
        const isActive = patch.isActive ?? current.isActive;
        const behaviourChanged = !sameBehaviour(behaviour, current.snapshot);
        if (!behaviourChanged && name === current.name && isActive === current.isActive) return toAgent(current);

        const now = clock();
        let { currentVersionId, versionNumber } = current;
        if (behaviourChanged) {
          versionNumber += 1;
          currentVersionId = randomUUID();
          await insertVersion(tx, { id: currentVersionId, agentId, versionNumber, behaviour, now });
        }
        await tx.query("UPDATE agents SET name = $2, is_active = $3, current_version_id = $4, version_number = $5, updated_at = $6 WHERE id = $1", [
          agentId,
          name,
          isActive,
          currentVersionId,
          versionNumber,
          now,
        ]);
        return toAgent((await findIn(tx, environmentId, agentId)) as AgentRow);
      });
    },

    async delete(environmentId: string, agentId: string): Promise<boolean> {
      const deleted = await db.query<{ id: string }>("DELETE FROM agents WHERE id = $1 AND environment_id = $2 AND unbound_at IS NULL RETURNING id", [
        agentId,
        environmentId,
      ]);
      return deleted.length > 0;
    },

    /** Every agent bound in the environment, newest first (the platform's agents.list). */
    async listBound(environmentId: string): Promise<Agent[]> {
      const rows = await db.query<AgentRow>(`${SELECT_AGENT} WHERE a.environment_id = $1 AND ${BOUND} ORDER BY a.seq DESC`, [environmentId]);
      return rows.map(toAgent);
    },

    /** Whether any agent of the project, in any environment and bound or not, has this slug (Platos's project-wide rule). */
    async slugTakenInProject(projectId: string, slug: string): Promise<boolean> {
      const rows = await db.query<{ id: string }>("SELECT id FROM agents WHERE project_id = $1 AND slug = $2 LIMIT 1", [projectId, slug]);
      return rows.length > 0;
    },

    /** Active agents bound in the environment: what keeps the platform's environments.delete from archiving it. */
    async countActiveBound(environmentId: string): Promise<number> {
      const [row] = await db.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM agents WHERE environment_id = $1 AND unbound_at IS NULL AND is_active",
        [environmentId],
      );
      return row?.count ?? 0;
    },

    /** The platform's agents.delete: the row stays, inactive and out of the environment, its slug still taken. */
    async unbind(environmentId: string, agentId: string): Promise<boolean> {
      const now = clock();
      const unbound = await db.query<{ id: string }>(
        "UPDATE agents SET unbound_at = $3, is_active = false, updated_at = $3 WHERE id = $1 AND environment_id = $2 AND unbound_at IS NULL RETURNING id",
        [agentId, environmentId, now],
      );
      return unbound.length > 0;
    },

    /** The agent's versions, oldest first; undefined when the agent is not in this environment. */
    async versions(environmentId: string, agentId: string, request: PageRequest): Promise<Page<AgentVersion> | undefined> {
      const rows = await db.query<VersionRow>(
        `SELECT v.seq, v.id, v.version_number AS "versionNumber", v.snapshot, v.created_at AS "createdAt"
         FROM agents a JOIN agent_versions v ON v.agent_id = a.id
         WHERE a.id = $1 AND a.environment_id = $2 AND a.unbound_at IS NULL AND v.seq > $3 ORDER BY v.seq LIMIT $4`,
        [agentId, environmentId, afterSeq(request.cursor), pageLimit(request) + 1],
      );
      if (rows.length === 0 && !(await findIn(db, environmentId, agentId))) return undefined;
      return toPage(rows, request, toVersion);
    },
  };
}
