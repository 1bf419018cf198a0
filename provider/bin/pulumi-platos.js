#!/usr/bin/env node
// Committed (not built) so that npm links the bin at install time, before `npm run build` makes lib/.
require("../lib/cli/main.js").main(process.argv);
