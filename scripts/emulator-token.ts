/**
 * A `plt_mcp_` token for a stack or an example against the local emulator, as a Platos operator mints one in the
 * dashboard: pinned to one environment of the default project (made when missing), handed over as the
 * `pulumi config set` commands that store it. The package's own steps (`platos-emulator seed`, then `token`), as a
 * user's CI runs them; the emulator's admin token acts as the operator session.
 *
 *   PLATOS_EMULATOR_ADMIN_TOKEN=... npm run emulator:token -- [--environment ops] [--url http://127.0.0.1:4600]
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { EMULATOR_BIN } from "../emulator/spawn";

const { values } = parseArgs({
  options: {
    environment: { type: "string", default: "ops" },
    url: { type: "string", default: process.env.PLATOS_API_URL ?? "http://127.0.0.1:4600" },
  },
});

function platosEmulator(args: readonly string[], stdout: "ignore" | "inherit"): void {
  const ran = spawnSync(process.execPath, [EMULATOR_BIN, ...args, "--url", values.url], { stdio: ["ignore", stdout, "inherit"] });
  if (ran.status !== 0) process.exit(ran.status ?? 1);
}

platosEmulator(["seed", "--environment", values.environment], "ignore");
console.log(`# A plt_mcp_ token pinned to environment "${values.environment}"; the admin token is the operator token. Run in your stack:`);
platosEmulator(["token", "--environment", values.environment, "--name", "npm run emulator:token"], "inherit");
