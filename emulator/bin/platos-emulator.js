#!/usr/bin/env node
// Committed (not built) so that npm links the bin at install time, before the build makes lib/ (in the repository,
// `npm ci` runs the build through the root's `prepare` script; a packed tarball carries lib/). Run before any build,
// it says so in one sentence.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const entry = join(__dirname, "..", "lib", "emulator", "cli", "main.js");
if (!existsSync(entry)) {
  process.stderr.write(
    "platos-emulator: the emulator is not built yet (no lib/emulator/cli/main.js); run `npm run build` (or `npm ci`) in the repository, then try again.\n",
  );
  process.exitCode = 1;
} else {
  require(entry).main(process.argv);
}
