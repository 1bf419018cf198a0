import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const launcher = resolve(__dirname, "..", "..", "provider", "bin", "pulumi-platos.js");

/** A copy of the committed launcher in a package folder of its own, with `lib/cli/main.js` as given (or none). */
function runLauncher(main: string | undefined): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "platos-bin-"));
  try {
    mkdirSync(join(dir, "bin"));
    copyFileSync(launcher, join(dir, "bin", "pulumi-platos.js"));
    if (main !== undefined) {
      mkdirSync(join(dir, "lib", "cli"), { recursive: true });
      writeFileSync(join(dir, "lib", "cli", "main.js"), main);
    }
    const result = spawnSync(process.execPath, [join(dir, "bin", "pulumi-platos.js"), "--help"], { encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the pulumi-platos bin launcher", () => {
  it("says in one sentence, with no stack trace, to build when lib/ is missing", () => {
    const { status, stdout, stderr } = runLauncher(undefined);
    assert.equal(status, 1);
    assert.equal(stdout, "");
    assert.equal(stderr.trim().split("\n").length, 1, stderr);
    assert.match(stderr, /not built yet.*`npm run build` \(or `npm ci`\)/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });

  it("says in one sentence which module is missing when lib/ cannot load", () => {
    const { status, stderr } = runLauncher('require("platos-no-such-module");\n');
    assert.equal(status, 1);
    assert.equal(stderr.trim().split("\n").length, 1, stderr);
    assert.match(stderr, /cannot load \(Cannot find module 'platos-no-such-module'\); run `npm ci`/);
  });

  it("hands the arguments to lib/cli/main.js once it is built", () => {
    const { status, stdout, stderr } = runLauncher("exports.main = (argv) => console.log(JSON.stringify(argv.slice(2)));\n");
    assert.equal(stderr, "");
    assert.equal(status, 0);
    assert.equal(stdout.trim(), '["--help"]');
  });
});
