/**
 * The check-then-write race of an EnvironmentVariables key new to the resource: the provider lists the environment,
 * finds the key absent, then writes it. Platos offers no condition on that write: core-api's
 * `PUT /api/v1/environments/:id/variables/:key` takes `{ value, secret? }` and nothing else
 * (apps/core-api/src/transports/rest/environment-variables.controller.ts@9746e3ea), and MCP
 * `environments.set_secret` takes `{ name, value }` (apps/agent/src/mcp-platform/tools/settings.ts@bd71ddb1); both
 * end in an upsert (internal-packages/tenancy-database/src/environment-variables.ts@25c50f75 `set`). So the check
 * comes right after the write, from its own answer: a variable starts at version 1
 * (internal-packages/tenancy-database/prisma/schema.prisma@75228f7c, `version Int @default(1)`) and every later
 * write adds one (`version: { increment: 1 }`). A key believed absent whose write, sent once, answers a version
 * past 1 was made by another party in between, and this write has overwritten its value.
 */
import type { PlatosVariable } from "../platos";

/** A new variable's version on Platos (schema.prisma@75228f7c). */
const FIRST_VERSION = 1;

/** Whether this write, of a key the provider listed as absent and sent once, met a key made by someone else. */
export const overtookAnotherCreate = (written: PlatosVariable, believedAbsent: boolean, resent: boolean): boolean =>
  believedAbsent && !resent && written.version > FIRST_VERSION;

/** Why the key is not taken: names the key and what happened, never a value. */
export function overtakenReason(key: string, where: string, version: number): string {
  return (
    `another party created ${key} in ${where} between this stack's read of the variables and its write ` +
    `(the write answered version ${version}, a new variable starts at ${FIRST_VERSION}), and this stack's write overwrote that party's value. ` +
    `${key} is not taken into state: set \`adopt: true\` on the EnvironmentVariables resource to take it over, or remove it from the resource`
  );
}
