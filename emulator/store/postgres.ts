/** The server backend: a real PostgreSQL reached through DATABASE_URL with a small pg connection pool. */
import { Pool, type PoolClient } from "pg";
import type { Database, Queryable } from "./database";

export function openPostgres(connectionString: string, maxConnections = 10): Database {
  const pool = new Pool({ connectionString, max: maxConnections });
  // An idle client that loses its connection emits here; without a listener the process would crash.
  pool.on("error", () => undefined);
  const over = (target: Pool | PoolClient): Queryable => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) => (await target.query(sql, params ? [...params] : undefined)).rows as Row[],
    exec: async (sql: string) => {
      await target.query(sql);
    },
  });
  return {
    ...over(pool),
    async transaction(work) {
      const client = await pool.connect();
      // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
      let broken = false;
      try {
        await client.query("BEGIN");
        const result = await work(over(client));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        broken = await client.query("ROLLBACK").then(
          () => false,
          () => true,
        );
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
