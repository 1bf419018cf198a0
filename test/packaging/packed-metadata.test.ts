/**
 * What the packed manifests tell npm and registries: license, keywords, the Node versions the tests run on (Node 20
 * in `npm test`, the majors scripts/test-compat.ts runs) and none that a dependency refuses (npm's EBADENGINE), and
 * source maps that resolve from the tarball alone (their sources embedded). Runs on the built tree.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { packedFiles, workspacePackages } from "../../scripts/package-releases";

const root = path.resolve(__dirname, "../..");

/** The Node majors `npm run test:compat` runs, read from the script (it runs when imported). */
function compatNodeMajors(): string[] {
  const source = fs.readFileSync(path.join(root, "scripts/test-compat.ts"), "utf8");
  const list = /const DEFAULT_NODE_VERSIONS = \[([^\]]*)\]/.exec(source)?.[1];
  assert.ok(list, "scripts/test-compat.ts has no DEFAULT_NODE_VERSIONS");
  return [...list.matchAll(/"(\d+)"/g)].map((match) => match[1]!);
}

/** A dependency's installed package.json, found as Node looks for the package (its exports may hide package.json). */
function installedManifest(dependency: string, from: string): Manifest {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "node_modules", dependency, "package.json");
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
    assert.notEqual(path.dirname(dir), dir, `${dependency} is not installed`);
  }
}

interface Manifest {
  name: string;
  license?: string;
  keywords?: string[];
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

describe("packaging: the packed manifests and source maps", function () {
  this.timeout(120_000);

  for (const { dir, manifest } of workspacePackages(root)) {
    const packed = manifest as Manifest;
    describe(packed.name, () => {
      const files = packedFiles(dir);

      it("names its license and keywords, and ships its CHANGELOG.md", () => {
        assert.equal(packed.license, "Apache-2.0");
        assert.ok((packed.keywords ?? []).includes("pulumi"), "keywords");
        assert.ok(files.includes("CHANGELOG.md"), files.join(", "));
      });

      it("declares the Node versions the tests run on", () => {
        const engines = packed.engines?.node;
        assert.ok(engines, "no engines.node");
        assert.ok(semver.satisfies(process.version, engines), `${process.version} (npm test's Node) is outside ${engines}`);
        for (const major of compatNodeMajors()) assert.ok(semver.intersects(engines, `^${major}.0.0`), `Node ${major} is outside ${engines}`);
      });

      it("declares no Node version a dependency refuses (npm would warn EBADENGINE)", () => {
        for (const dependency of Object.keys({ ...packed.dependencies, ...packed.peerDependencies })) {
          const theirs = installedManifest(dependency, dir).engines?.node;
          if (theirs !== undefined)
            assert.ok(semver.subset(packed.engines!.node!, theirs), `${dependency} wants Node ${theirs}; ${packed.name} says ${packed.engines!.node}`);
        }
      });

      it("ships source maps whose sources are embedded", () => {
        const maps = files.filter((file) => file.endsWith(".js.map"));
        assert.ok(maps.length > 0, "no source maps packed");
        for (const file of maps) {
          const map = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
          assert.equal(map.sourcesContent?.filter((content) => typeof content === "string").length, map.sources.length, `${file} does not embed its sources`);
        }
      });
    });
  }
});
