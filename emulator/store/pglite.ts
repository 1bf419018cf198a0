/** The embedded backend: PostgreSQL compiled to WebAssembly, in memory or in a data directory. */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync } from "node:fs";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { x as extractTar } from "tar";
import { makePrivate } from "../private-files";
import { clusterTemplateFile, shippedClusterTemplate, writeClusterTemplate } from "./cluster-template";
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

/**
 * PostgreSQL's buffer cache lives in PGlite's WebAssembly heap and is touched in full at start: the 128MB that
 * initdb picks was most of the emulator's resident memory. 16MB (2048 pages) still holds the emulator's whole
 * database at benchmark scale. Given on the command line, so it also applies to data directories made before;
 * given to initdb as well, so its bootstrap runs small and postgresql.conf agrees.
 */
const SETTINGS = ["-c", "shared_buffers=16MB"];
const START_PARAMS = [...PGlite.defaultStartParams, ...SETTINGS];

/** The V8 flag that keeps PGlite's WebAssembly on the baseline compiler; see emulator/main.ts. */
export const WASM_BASELINE_ONLY = "--liftoff-only";

// Plain CommonJS for `node -e`; after `--`, argv is [execPath, V8 flag, pglite entry, data directory, JSON options].
// The flag is set from the script rather than given to node, so a Node whose V8 lacks it still starts.
const INIT_SCRIPT = `
const [flag, entry, dataDir, options] = process.argv.slice(1);
require("node:v8").setFlagsFromString(flag);
require(entry).PGlite.create({ dataDir, ...JSON.parse(options) }).then((pg) => pg.close()).catch((err) => {
  console.error(err && err.message);
  process.exit(1);
});`;

const isMissingOrEmpty = (dir: string): boolean => !existsSync(dir) || readdirSync(dir).length === 0;

/**
 * Creates the cluster of a new data directory: the shipped template unpacked (cluster-template.ts), or, where the
 * build made none for the installed PGlite, initdb in a child process. PGlite runs initdb in a second PostgreSQL
 * instance beside the first and copies its whole 128MB heap (the WebAssembly module's minimum) to reset it,
 * which peaks at ~600MB: in a child that memory goes back to the system when it exits, instead of staying in
 * the emulator's high-water mark. It works in a scratch directory renamed into place, so an interrupted
 * initialisation leaves no half-made cluster behind.
 */
async function initialiseDataDir(dataDir: string): Promise<void> {
  const scratch = `${dataDir}.initialising`;
  rmSync(scratch, { recursive: true, force: true });
  const options = JSON.stringify({ initDbStartParams: SETTINGS, startParams: START_PARAMS });
  const template = clusterTemplateFile();
  try {
    if (template) {
      // The shipped cluster, unpacked on disk: no initdb, and nothing of it held in memory.
      mkdirSync(scratch, { recursive: true });
      await extractTar({ file: template, cwd: scratch, gzip: true });
    } else {
      await promisify(execFile)(process.execPath, ["-e", INIT_SCRIPT, "--", WASM_BASELINE_ONLY, require.resolve("@electric-sql/pglite"), scratch, options]);
    }
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    const { stderr } = err as { stderr?: string };
    throw new Error(`initialising the PGlite data directory ${dataDir} failed: ${stderr?.trim() || (err as Error).message}`);
  }
  makePrivate(scratch);
  if (existsSync(dataDir)) rmdirSync(dataDir);
  renameSync(scratch, dataDir);
}

export async function openPglite(options: PgliteOptions = {}): Promise<PgliteDatabase> {
  // A new cluster starts from the given template; else a new data directory is made on disk (initialiseDataDir), and
  // an in-memory one from the template the build shipped, or by initdb.
  if (options.dataDir !== undefined && options.template === undefined && isMissingOrEmpty(options.dataDir)) await initialiseDataDir(options.dataDir);
  const template = options.template ?? (options.dataDir === undefined ? shippedClusterTemplate() : undefined);
  const pglite = new PGlite({ dataDir: options.dataDir, loadDataDir: template, initDbStartParams: SETTINGS, startParams: START_PARAMS });
  await pglite.waitReady;
  // A template unpacked into the directory, or a directory made before modes were fixed here, is made private too.
  if (options.dataDir !== undefined) makePrivate(options.dataDir);
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

/** Build time: the empty cluster every new database starts from (cluster-template.ts), made with this module's settings. */
export function buildClusterTemplate(): Promise<string> {
  return writeClusterTemplate(async () => {
    const pglite = await PGlite.create({ initDbStartParams: SETTINGS, startParams: START_PARAMS });
    try {
      return await pglite.dumpDataDir("gzip");
    } finally {
      await pglite.close();
    }
  });
}
