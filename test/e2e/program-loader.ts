/** Loads a Pulumi program module afresh for each run, as each `pulumi up` starts a new process. */
import * as path from "node:path";

/** `sources`: the program's own files and folders, reloaded each time (never node_modules). */
export function freshProgram(entry: string, sources: readonly string[] = [entry]): () => Record<string, unknown> {
  const prefixes = sources.map((source) => path.resolve(source));
  return () => {
    for (const file of Object.keys(require.cache)) {
      if (prefixes.some((prefix) => file === prefix || file.startsWith(prefix + path.sep))) delete require.cache[file];
    }
    return require(path.resolve(entry)) as Record<string, unknown>;
  };
}
