/** The embedded backend: PostgreSQL compiled to WebAssembly, in memory or in a data directory. */
import { PGlite } from "@electric-sql/pglite";
import type { Database, Queryable } from "./database";

export interface PgliteDatabase extends Database {
  /** The whole data directory as a tarball; `openPglite({ template })` starts a new database from it. */
  dump(): Promise<Blob>;
}

export interface PgliteOptions {
  /** Where the data lives; in memory when absent. */
  readonly dataDir?: string;
  /** A `dump()` to start from instead of an empty cluster (much faster than initialising one). */
  readonly template?: Blob;
}

export async function openPglite(options: PgliteOptions = {}): Promise<PgliteDatabase> {
  const pglite = new PGlite({ dataDir: options.dataDir, loadDataDir: options.template });
  await pglite.waitReady;
  const over = (target: Pick<PGlite, "query" | "exec">): Queryable => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) => (await target.query<Row>(sql, params ? [...params] : undefined)).rows,
    exec: async (sql: string) => {
      await target.exec(sql);
    },
  });
  return {
    ...over(pglite),
    transaction: (work) => pglite.transaction((tx) => work(over(tx))),
    close: () => pglite.close(),
    dump: () => pglite.dumpDataDir("none"),
  };
}
