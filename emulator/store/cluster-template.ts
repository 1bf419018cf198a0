/**
 * An initialised, empty PostgreSQL cluster made once at build time and shipped in the package, so that a start on
 * a new data directory or in memory unpacks it instead of running initdb. initdb is most of a first start (seconds)
 * and, in PGlite, peaks at ~600MB (a second instance and a copy of its heap): with the template neither is paid
 * at start. A template belongs to the PGlite build that made it, so its name carries PGlite's version and a start
 * under any other version makes its cluster as before.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

let templatePath: string | undefined;

/** Where the build writes the template, beside this module in the built package; named by the installed PGlite's version. */
function clusterTemplatePath(): string {
  templatePath ??= join(__dirname, `cluster-template-pglite-${pgliteVersion()}.tar.gz`);
  return templatePath;
}

/** The installed PGlite's version (its package.json is not exported, so it is read beside its entry point). */
function pgliteVersion(): string {
  const manifest = join(dirname(require.resolve("@electric-sql/pglite")), "..", "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/** The shipped template's file for the installed PGlite, if the build made one. */
export function clusterTemplateFile(): string | undefined {
  const file = clusterTemplatePath();
  return existsSync(file) ? file : undefined;
}

/** The shipped template for the installed PGlite, if the build made one. */
export function shippedClusterTemplate(): Blob | undefined {
  const file = clusterTemplateFile();
  return file === undefined ? undefined : new Blob([readFileSync(file)]);
}

/** Writes the template (build time): a cluster initialised with `settings`, dumped compressed. */
export async function writeClusterTemplate(initialise: () => Promise<Blob>): Promise<string> {
  const file = clusterTemplatePath();
  writeFileSync(file, Buffer.from(await (await initialise()).arrayBuffer()));
  return file;
}
