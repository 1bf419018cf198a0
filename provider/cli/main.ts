/** `pulumi-platos import`: write a Pulumi program that adopts a live Platos environment. */
import { Command } from "commander";
import { existsSync, writeFileSync } from "node:fs";
import { closeAllPools, hasCode, isForbidden, isUnauthenticated } from "../client";
import { createPlatosApi, type PlatosSettings } from "../platos";
import { projectSlugsReader } from "../platos/project-slugs";
import { readDashboardUrl, readSettings, withOverrides } from "../runtime/settings";
import { flagOverrides, SETTING_FLAGS, SETTING_SOURCES, settingsHelp, withoutFlag } from "./import-settings";
import { renderProgram, secretConfigCommands } from "./render-program";
import { readStackConfigFile } from "./stack-config-file";
import { dashboardLinksOf, readSnapshot, type EnvironmentSnapshot } from "./snapshot";

interface ImportOptions {
  project: string;
  environment: string;
  out?: string;
  stack?: string;
  apiUrl?: string;
  coreApiUrl?: string;
  protocol?: string;
  dashboardUrl?: string;
  stackConfig?: string;
  force?: boolean;
}

const TUNING = { operationTimeoutMs: 30_000, retryPolicy: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 } };

/** The snapshot with its dashboard links; without them (said on stderr) when the slugs cannot be read. */
async function withDashboardLinks(snapshot: EnvironmentSnapshot, base: string, settings: PlatosSettings): Promise<EnvironmentSnapshot> {
  try {
    const slugs = (await projectSlugsReader(settings, TUNING)()).get(snapshot.project);
    if (slugs) return { ...snapshot, dashboard: dashboardLinksOf(snapshot, base, slugs) };
    process.stderr.write(`no dashboard links: the projects Platos lists do not include "${snapshot.project}"\n`);
  } catch (err) {
    process.stderr.write(`no dashboard links: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  return snapshot;
}

function explain(err: unknown, apiUrl: string): string {
  // The client names the setting (platos:token, platos:operatorToken, platos:apiUrl) and the URL, never a value.
  if (isUnauthenticated(err) || hasCode(err, "TRANSPORT_CONNECTION_FAILED")) return `${(err as Error).message} (${SETTING_SOURCES})`;
  if (isForbidden(err))
    return "the token may not read this environment: use a token pinned to it, or set platos:operatorToken (PLATOS_OPERATOR_TOKEN) so one is minted";
  if (hasCode(err, "TRANSPORT_DEADLINE_EXCEEDED")) return `the Platos API at ${apiUrl} did not answer in time: ${(err as Error).message}`;
  return err instanceof Error ? err.message : String(err);
}

const outExists = (out: string) => new Error(`${out} already exists: pass --force to overwrite it, or choose another --out`);

/** The program goes to `out`; an existing file is kept unless `force` (also one made while Platos was read). */
function writeProgram(out: string, program: string, force: boolean): void {
  try {
    writeFileSync(out, program, { flag: force ? "w" : "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") throw outExists(out);
    throw err;
  }
}

async function runImport(options: ImportOptions): Promise<void> {
  if (options.out && !options.force && existsSync(options.out)) throw outExists(options.out);
  // Tokens never come from flags, so they stay out of shell history: from the stack file (when not encrypted), else the environment.
  const stackConfig = options.stackConfig === undefined ? { get: () => undefined } : readStackConfigFile(options.stackConfig);
  const source = withOverrides(flagOverrides(options), stackConfig);
  const reading = readSettings(source);
  const dashboard = readDashboardUrl(source);
  const problems = [...(reading.problems ?? []), ...(dashboard.problem === undefined ? [] : [dashboard.problem])];
  if (!reading.settings || problems.length > 0) throw new Error(problems.join("; "));
  const { apiUrl } = reading.settings;
  const progress = process.stderr.isTTY ? (line: string) => process.stderr.write(`… ${line}\n`) : () => {};
  const api = createPlatosApi(reading.settings, TUNING);
  try {
    const read = await readSnapshot(api, options.project, options.environment, progress);
    const snapshot = dashboard.url === undefined ? read : await withDashboardLinks(read, dashboard.url, reading.settings);
    const program = renderProgram(snapshot);
    if (options.out) {
      writeProgram(options.out, program, options.force === true);
      process.stderr.write(`wrote ${options.out}\n`);
    } else {
      process.stdout.write(program);
    }
    const commands = secretConfigCommands(snapshot, options.stack);
    if (commands.length > 0) {
      process.stderr.write(`\nSecret values cannot be read back from Platos. Set them before \`pulumi up\`:\n${commands.map((c) => `  ${c}`).join("\n")}\n`);
    }
  } catch (err) {
    throw new Error(explain(err, apiUrl));
  } finally {
    await closeAllPools();
  }
}

export function cli(): Command {
  const program = new Command("pulumi-platos").description("Tools for the Platos Pulumi provider").version(packageVersion());
  program
    .command("import")
    .description("write a Pulumi program that adopts a live Platos environment, its variables and agents")
    .requiredOption("--project <project>", "project id or slug")
    .requiredOption("--environment <slug>", "environment slug")
    .option("--out <file>", "write the program here instead of stdout (an existing file only with --force)")
    .option("--force", "overwrite the --out file if it exists")
    .option("--stack-config <file>", "read platos:* settings from this stack's Pulumi.<stack>.yaml (encrypted values must come from PLATOS_* instead)")
    .option("--stack <stack>", "stack name to use in the printed `pulumi config set` commands")
    .option(`${SETTING_FLAGS.apiUrl} <url>`, `Platos API base URL (default: ${withoutFlag("apiUrl")})`)
    .option(
      `${SETTING_FLAGS.coreApiUrl} <url>`,
      `core-api base URL, when it is not the API's (platform only; default: ${withoutFlag("coreApiUrl")}, else the API URL)`,
    )
    .option(`${SETTING_FLAGS.protocol} <protocol>`, `platform (real Platos: MCP gateway + core-api) or v1 (default: ${withoutFlag("protocol")}, else platform)`)
    .option(
      `${SETTING_FLAGS.dashboardUrl} <url>`,
      `Platos dashboard base URL, for links in the program (default: ${withoutFlag("dashboardUrl")}; none without it)`,
    )
    .addHelpText("after", settingsHelp())
    .action(runImport);
  return program;
}

function packageVersion(): string {
  return (require("pulumi-platos/package.json") as { version: string }).version;
}

/** The bin's entry point (bin/pulumi-platos.js). */
export function main(argv: string[]): void {
  cli()
    .parseAsync(argv)
    .catch((err: unknown) => {
      process.stderr.write(`pulumi-platos: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
