#!/usr/bin/env node
// Committed (not built) so that npm links the bin at install time, before the build makes lib/ (in the repository,
// `npm ci` runs the build through the root's `prepare` script; a packed tarball carries lib/). Run before any build,
// it says so in one sentence, never a stack.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const entry = join(__dirname, "..", "lib", "cli", "main.js");
if (!existsSync(entry)) {
  process.stderr.write(
    "pulumi-platos: the provider is not built yet (no lib/cli/main.js); run `npm run build` (or `npm ci`) in the repository, then try again.\n",
  );
  process.exitCode = 1;
} else {
  let cli;
  try {
    cli = require(entry);
  } catch (err) {
    if (!err || err.code !== "MODULE_NOT_FOUND") throw err;
    const missing = String(err.message).split("\n")[0];
    process.stderr.write(`pulumi-platos: cannot load (${missing}); run \`npm ci\` (or \`npm run build\`) in the repository, then try again.\n`);
    process.exitCode = 1;
  }
  if (cli) cli.main(process.argv);
}
