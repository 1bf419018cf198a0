/**
 * Each packed version holds one content (scripts/package-releases.ts): what `npm pack` would ship of every workspace
 * package is what package-releases.json recorded for its version, each version has its CHANGELOG.md section, and the
 * policy pack's range for the provider takes the provider's version. Runs on the built tree (`npm test` builds first).
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { checkReleases } from "../../scripts/package-releases";

const root = path.resolve(__dirname, "../..");

describe("packaging: every packed version holds the content recorded for it", function () {
  this.timeout(120_000);

  it("no workspace package ships content its version did not record", () => {
    assert.deepEqual(checkReleases(root), []);
  });
});
