/**
 * Each packed version holds one content. npm identifies a tarball by name and version; a user's lockfile pins its
 * integrity, and `npm ci` takes that from npm's cache: a tarball re-packed with other content under the same version
 * is installed as the OLD code, silently. So the content of every workspace package as `npm pack` ships it is recorded
 * per version in package-releases.json, and `checkReleases` fails when a package's content differs from the record
 * of its current version: the change needs a new version (with its CHANGELOG.md section) and a new record.
 *
 * The digest covers the files npm packs (built output included: run the build first) with package.json's own
 * "version" left out, so bumping the version alone does not change it.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";

export const RELEASES_FILE = "package-releases.json";

/** Package name → version → content digest. */
export type ReleaseRecord = Record<string, Record<string, string>>;

interface Manifest {
  name: string;
  version: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, "utf8")) as T;

export interface WorkspacePackage {
  readonly dir: string;
  readonly manifest: Manifest;
}

/** The repository's workspace packages, from the root package.json (the one list of what gets packed). */
export function workspacePackages(root: string): WorkspacePackage[] {
  const workspaces = readJson<Manifest>(path.join(root, "package.json")).workspaces ?? [];
  return workspaces.map((workspace) => {
    const dir = path.join(root, workspace);
    return { dir, manifest: readJson<Manifest>(path.join(dir, "package.json")) };
  });
}

/** The files `npm pack` would put in the package's tarball, as npm lists them. */
export function packedFiles(dir: string): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  const [report] = JSON.parse(out) as [{ files: { path: string }[] }];
  return report.files.map((file) => file.path).sort();
}

/** Packed files whose bytes the build makes anew each time. */
const GENERATED_BY_BUILD = /(^|\/)cluster-template-pglite-[^/]+\.tar\.gz$/;

/** sha256 over the packed files' paths and bytes; package.json without its "version". */
export function contentDigest(dir: string): string {
  const hash = createHash("sha256");
  for (const file of packedFiles(dir)) {
    let bytes: Buffer | string = fs.readFileSync(path.join(dir, file));
    // The emulator's cluster template is initdb's output, which differs on every build (a random system identifier,
    // file times); its name carries the PGlite version it was made with, and only the name counts.
    if (GENERATED_BY_BUILD.test(file)) bytes = "";
    if (file === "package.json") bytes = JSON.stringify({ ...(JSON.parse(bytes.toString("utf8")) as object), version: undefined });
    hash.update(`${file}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return `sha256-${hash.digest("base64")}`;
}

export function readReleases(root: string): ReleaseRecord {
  const file = path.join(root, RELEASES_FILE);
  return fs.existsSync(file) ? readJson<ReleaseRecord>(file) : {};
}

/** Whether CHANGELOG.md beside the package has a section headed by this version. */
function changelogHasSection(dir: string, version: string): boolean {
  const file = path.join(dir, "CHANGELOG.md");
  if (!fs.existsSync(file)) return false;
  const escaped = version.replace(/[.+]/g, "\\$&");
  return new RegExp(`^## \\[?${escaped}\\]?(\\s|$)`, "m").test(fs.readFileSync(file, "utf8"));
}

/** What is wrong with the packages' versions, one sentence each; empty when every packed version holds one content. */
export function checkReleases(root: string): string[] {
  const releases = readReleases(root);
  const packages = workspacePackages(root);
  const problems: string[] = [];
  const record = `npm run release:record`;
  for (const { dir, manifest } of packages) {
    const { name, version } = manifest;
    const recorded = releases[name]?.[version];
    const digest = contentDigest(dir);
    if (recorded === undefined) problems.push(`${name} ${version} has no recorded content: run \`${record}\` when it is released.`);
    else if (recorded !== digest)
      problems.push(
        `${name} ${version} was recorded with other content: a tarball packed now would install as the old ${version} from npm's cache. ` +
          `Bump its version, add that version's section to ${path.relative(root, path.join(dir, "CHANGELOG.md"))}, and run \`${record}\` ` +
          `(if nothing changed, a build over stale output differs: \`npm run release:check\` builds clean).`,
      );
    if (!changelogHasSection(dir, version)) problems.push(`${name}'s CHANGELOG.md has no section for ${version}.`);
    // A sibling's range that misses the version makes npm fetch that name from the registry instead of the tarball.
    for (const other of packages) {
      const range = other.manifest.dependencies?.[name];
      if (range !== undefined && !semver.satisfies(version, range))
        problems.push(`${other.manifest.name} depends on ${name}@${range}, which ${version} does not satisfy.`);
    }
  }
  return problems;
}

/** Records each package's current content under its current version; refuses to change a recorded version's content. */
export function recordReleases(root: string): ReleaseRecord {
  const releases = readReleases(root);
  for (const { dir, manifest } of workspacePackages(root)) {
    const digest = contentDigest(dir);
    const recorded = releases[manifest.name]?.[manifest.version];
    if (recorded !== undefined && recorded !== digest)
      throw new Error(`${manifest.name} ${manifest.version} is already recorded with other content: bump its version first.`);
    releases[manifest.name] = { ...releases[manifest.name], [manifest.version]: digest };
  }
  fs.writeFileSync(path.join(root, RELEASES_FILE), `${JSON.stringify(releases, null, 2)}\n`);
  return releases;
}
