/**
 * An upgrade as the README's "Upgrading" says, in a copy of the repository (its own sources are not touched): the
 * packages packed and installed into a user's project; a line added to the provider; the release check refusing to
 * pack that change under the recorded version; the version bumped and recorded; the new tarballs packed and installed
 * by name; then `npm ci` in the user's project, from scratch, runs the new line.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkReleases, recordReleases, RELEASES_FILE } from "../../scripts/package-releases";
import { readmeSection } from "./readme";
import { installCommandsFor, makeScratchProject, PACKAGES, type ScratchProject } from "./scratch-project";

const root = path.resolve(__dirname, "../..");
/** False in the compat run's copy of the tree, which has no .git. */
const inGitCheckout = fs.existsSync(path.join(root, ".git"));

/** What never goes into the copy: installed packages (linked instead), git's own data, downloaded Node builds. */
const NOT_COPIED = new Set(["node_modules", ".git", ".cache"]);

/**
 * The repository's files as they are now, in a temporary directory; node_modules shared by a link. In a git checkout,
 * git's list (committed or not, ignored files left out); outside one (the compat run's copy of the tree), every file
 * but NOT_COPIED.
 */
function copyOfRepository(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "platos-upgrade-repo-"));
  if (!inGitCheckout) {
    fs.cpSync(root, copy, { recursive: true, filter: (from) => !NOT_COPIED.has(path.basename(from)) });
  } else {
    const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
    for (const file of listed.split("\0").filter(Boolean)) {
      const from = path.join(root, file);
      if (!fs.existsSync(from) || fs.lstatSync(from).isDirectory()) continue;
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.copyFileSync(from, path.join(copy, file));
    }
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"));
  return copy;
}

const MARKER = "upgradeMarker";
/** What the user's project sees of pulumi-platos: its version and the marker export. */
const installedProvider = (project: ScratchProject) =>
  project.exec(process.execPath, [
    "-e",
    `const p = require("${PACKAGES.provider}"); console.log(require("${PACKAGES.provider}/package.json").version, p.${MARKER} ?? "absent")`,
  ]);

describe("consumer: an upgrade installs the new tarball, and a changed package cannot keep its version", function () {
  this.timeout(900_000);
  let repo: string;
  let project: ScratchProject;

  before(async function () {
    repo = copyOfRepository();
    // The compat run's tree (no .git) has its packages' dependency pins rewritten to the versions it tests, so its
    // packed content is not what was recorded: record the copy as it stands, as its own starting release.
    if (!inGitCheckout) fs.rmSync(path.join(repo, RELEASES_FILE), { force: true });
    project = await makeScratchProject(repo);
    if (!inGitCheckout) recordReleases(repo);
  });
  after(() => {
    project?.remove();
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  });

  it("runs the new line after the README's upgrade steps, and the release check refuses it under the old version", async () => {
    const providerDir = path.join(repo, "provider");
    const manifestFile = path.join(providerDir, "package.json");
    const before = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { version: string };
    assert.equal((await installedProvider(project)).trim(), `${before.version} absent`);
    assert.deepEqual(checkReleases(repo), [], "the copy, as committed, is recorded");

    // A maintainer's change: one new line in the provider, built.
    fs.appendFileSync(path.join(providerDir, "index.ts"), `\nexport const ${MARKER} = "the new line";\n`);
    execFileSync("npm", ["run", "build", "-w", PACKAGES.provider], { cwd: repo, stdio: "pipe" });
    const refused = checkReleases(repo);
    assert.equal(refused.length, 1, refused.join("\n"));
    assert.match(refused[0]!, new RegExp(`^${PACKAGES.provider} ${before.version.replace(/\./g, "\\.")} was recorded with other content`));

    // Released as the README says: a new version, its CHANGELOG section, the record.
    const next = before.version.replace(/\d+$/, (patch) => String(Number(patch) + 1));
    fs.writeFileSync(manifestFile, JSON.stringify({ ...before, version: next }, null, 2));
    const changelog = path.join(providerDir, "CHANGELOG.md");
    fs.writeFileSync(changelog, fs.readFileSync(changelog, "utf8").replace(/^## /m, `## ${next}\n\n- Adds ${MARKER}.\n\n## `));
    recordReleases(repo);
    assert.deepEqual(checkReleases(repo), []);

    // The user's side: pack, install the new tarballs by name, then a fresh `npm ci` as CI runs it.
    const commands = installCommandsFor(repo);
    assert.ok(commands.install.includes(`./${PACKAGES.provider}-${next}.tgz`), commands.install);
    const [npm, ...pack] = commands.pack.split(" ");
    execFileSync(npm!, [...pack, project.dir, "--silent"], { cwd: repo, stdio: "pipe" });
    await project.exec("npm", [...commands.install.split(" ").slice(1), "--no-audit", "--no-fund", "--prefer-offline"]);
    fs.rmSync(path.join(project.dir, "node_modules"), { recursive: true, force: true });
    await project.exec("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"]);
    assert.equal((await installedProvider(project)).trim(), `${next} the new line`);
  });

  it("the README's Upgrading subsection names these steps", () => {
    const section = readmeSection("### Upgrading");
    assert.ok(section.includes(installCommandsFor(root).pack), "the pack command");
    assert.ok(section.includes(`npm install ./${PACKAGES.provider}-<new version>.tgz ./${PACKAGES.policy}-<new version>.tgz`), "install by name");
    assert.ok(section.includes("npm run release:record"), "the maintainer's record step");
  });
});
