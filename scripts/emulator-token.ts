/**
 * A `plt_mcp_` token for a stack or an example against the local emulator, as a Platos operator mints one in the
 * dashboard: pinned to one environment of the default project (made when missing), printed once with the
 * `pulumi config set` commands that use it. The emulator's admin token acts as the operator session.
 *
 *   PLATOS_EMULATOR_ADMIN_TOKEN=... npm run emulator:token -- [--environment ops] [--url http://127.0.0.1:4600]
 */
import { parseArgs } from "node:util";
import { stackAccess } from "../local/stack-access";

const { values } = parseArgs({
  options: {
    environment: { type: "string", default: "ops" },
    url: { type: "string", default: process.env.PLATOS_API_URL ?? "http://127.0.0.1:4600" },
  },
});

async function main(): Promise<void> {
  const adminToken = process.env.PLATOS_EMULATOR_ADMIN_TOKEN;
  if (!adminToken) throw new Error("set PLATOS_EMULATOR_ADMIN_TOKEN to the admin token `npm run emulator` printed (or fixed)");
  const { settings, home } = await stackAccess({ url: values.url, adminToken }, "platform", { home: values.environment, tokenName: "npm run emulator:token" });
  console.log(`# A plt_mcp_ token pinned to environment "${home?.slug}"; the admin token is the operator token. Run in your stack:`);
  console.log(`pulumi config set platos:apiUrl ${settings.apiUrl}`);
  if (settings.coreApiUrl !== undefined) console.log(`pulumi config set platos:coreApiUrl ${settings.coreApiUrl}`);
  console.log(`pulumi config set --secret platos:token ${settings.token}`);
  console.log(`pulumi config set --secret platos:operatorToken "$PLATOS_EMULATOR_ADMIN_TOKEN"`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
