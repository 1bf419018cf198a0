/** `pulumi-platos import`: write a Pulumi program that adopts a live Platos environment. */
import { Command } from "commander";
import { writeFileSync } from "node:fs";
import { closeAllPools, isForbidden, isPlatosError, isUnauthenticated } from "../client";
import { createPlatosApi, type PlatosSettings } from "../platos";
import { projectSlugsReader } from "../platos/project-slugs";
import { readDashboardUrl, readSettings, withOverrides } from "../runtime/settings";
import { renderProgram, secretConfigCommands } from "./render-program";
import { dashboardLinksOf, readSnapshot, type EnvironmentSnapshot } from "./snapshot";

interface ImportOptions {
  project: string;
  environment: string;
  out?: string;
  stack?: string;
  apiUrl?: string;
  protocol?: string;
  dashboardUrl?: string;
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
  if (isUnauthenticated(err)) return "the Platos API rejected the token: check PLATOS_TOKEN";
  if (isForbidden(err)) return "the token may not read this environment: use a token scoped to it (or an admin token)";
  if (isPlatosError(err) && err.code === "TRANSPORT_CONNECTION_FAILED") return `cannot reach the Platos API at ${apiUrl}: check --api-url / PLATOS_API_URL`;
  if (isPlatosError(err) && err.code === "TRANSPORT_DEADLINE_EXCEEDED") return `the Platos API at ${apiUrl} did not answer in time: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

async function runImport(options: ImportOptions): Promise<void> {
  // Tokens come only from the environment, never from flags, so they stay out of shell history.
  const source = withOverrides({ apiUrl: options.apiUrl, protocol: options.protocol, dashboardUrl: options.dashboardUrl }, { get: () => undefined });
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
      writeFileSync(options.out, program);
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
  const program = new Command("pulumi-platos").description("Tools for the Platos Pulumi provider");
  program
    .command("import")
    .description("write a Pulumi program that adopts a live Platos environment, its variables and agents")
    .requiredOption("--project <project>", "project id or slug")
    .requiredOption("--environment <slug>", "environment slug")
    .option("--out <file>", "write the program here instead of stdout")
    .option("--stack <stack>", "stack name to use in the printed `pulumi config set` commands")
    .option("--api-url <url>", "Platos API base URL (default: PLATOS_API_URL)")
    .option("--protocol <protocol>", "platform (real Platos: MCP gateway + core-api) or v1 (default: PLATOS_PROTOCOL, else platform)")
    .option("--dashboard-url <url>", "Platos dashboard base URL, for links in the program (default: PLATOS_DASHBOARD_URL; none without it)")
    .action(runImport);
  return program;
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
