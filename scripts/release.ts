/**
 * `npm run release:check`: fails when a workspace package's packed content differs from what its version recorded.
 * `npm run release:record`: records each package's packed content under its version (after bumping it and writing
 * its CHANGELOG.md section). Both build first: the digest covers the compiled output. See package-releases.ts.
 */
import * as path from "node:path";
import { checkReleases, recordReleases, RELEASES_FILE } from "./package-releases";

const root = path.resolve(__dirname, "..");
const command = process.argv[2];

if (command === "record") {
  const releases = recordReleases(root);
  for (const [name, versions] of Object.entries(releases)) console.log(`${name}: ${Object.keys(versions).join(", ")}`);
  console.log(`recorded in ${RELEASES_FILE}`);
} else if (command === "check") {
  const problems = checkReleases(root);
  for (const problem of problems) console.error(problem);
  process.exitCode = problems.length === 0 ? 0 : 1;
} else {
  console.error("usage: scripts/release.ts check|record");
  process.exitCode = 2;
}
