/**
 * Throwaway program directories for the provider host. The host resolves `require("pkg/...")` in provider code
 * from its cwd's node_modules, so a test decides how a package gets there: a symlink (what an npm workspace
 * creates; Node follows it to the real path outside node_modules) or a copy (what a registry install creates).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type InstallMode = "symlink" | "copy";

export interface ProgramDir {
  readonly dir: string;
  /** Where `name` lives in this directory's node_modules. */
  packagePath(name: string): string;
  remove(): void;
}

export function makeProgramDir(packages: Record<string, { from: string; mode: InstallMode }>): ProgramDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-harness-"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "harness-program", private: true }));
  const packagePath = (name: string) => path.join(dir, "node_modules", name);
  for (const [name, { from, mode }] of Object.entries(packages)) {
    fs.mkdirSync(path.dirname(packagePath(name)), { recursive: true });
    if (mode === "symlink") fs.symlinkSync(path.resolve(from), packagePath(name), "dir");
    else fs.cpSync(from, packagePath(name), { recursive: true });
  }
  return { dir, packagePath, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
