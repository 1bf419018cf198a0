/**
 * The `platos-emulator` command: start the emulator, and the steps a user's CI takes against it that a stack cannot
 * (seed the tenancy, mint a stack's token, add a provider key as in the dashboard).
 */
import { Command } from "commander";
import { closeAllPools } from "../../provider/client";
import { connect, withConnectionOptions, type ConnectionOptions } from "./connection";
import { addProviderKey, readMaterial } from "./provider-key";
import { seed } from "./seed";
import { startCommand, startFailure } from "./start-command";
import { stackTokenLines } from "./token";

const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(",")
    .map((each) => each.trim())
    .filter(Boolean),
];

/** Runs a command that talks to a running emulator, closing its connections so the process can end. */
const againstEmulator =
  <O extends ConnectionOptions>(step: (options: O) => Promise<void>) =>
  async (options: O): Promise<void> => {
    try {
      await step(options);
    } finally {
      await closeAllPools();
    }
  };

export function program(): Command {
  const cli = new Command("platos-emulator").description("A local Platos API emulator for testing Pulumi stacks, in CI or on a laptop.").showHelpAfterError();
  cli.addCommand(startCommand());

  cli.addCommand(
    withConnectionOptions(new Command("seed"))
      .description("make the project and environments a stack expects, when missing (running it again changes nothing)")
      .option("--organization <slug>", "the organization, which must exist (the emulator has `default`)", "default")
      .option("--project <slug>", "the project", "default")
      .option("--project-name <name>", "the project's name when made (default: its slug)")
      .requiredOption("--environment <slugs>", "an environment (repeat, or separate by commas)", collect)
      .action(
        againstEmulator(async (options: ConnectionOptions & { organization: string; project: string; projectName?: string; environment: string[] }) => {
          const lines = await seed(connect(options), {
            organization: options.organization,
            project: options.project,
            projectName: options.projectName,
            environments: options.environment,
          });
          for (const line of lines) console.log(line);
        }),
      ),
  );

  cli.addCommand(
    withConnectionOptions(new Command("token"))
      .description("mint a plt_mcp_ token pinned to one environment and print the `pulumi config set` lines that store it in a stack")
      .requiredOption("--environment <slug>", "the environment the token is pinned to")
      .option("--project <slug>", "the environment's project", "default")
      .option("--stack <name>", "add `--stack <name>` to each line")
      .option("--name <label>", "the token's label", "ci")
      .action(
        againstEmulator(async (options: ConnectionOptions & { environment: string; project: string; stack?: string; name: string }) => {
          const lines = await stackTokenLines(connect(options), options);
          for (const line of lines) console.log(line);
        }),
      ),
  );

  cli.addCommand(
    withConnectionOptions(new Command("add-provider-key"))
      .description(
        "add a provider key with its material to an environment, as a person does in the dashboard (Providers, Add key); the key is read from standard input",
      )
      .requiredOption("--environment <slug>", "the environment")
      .option("--project <slug>", "the environment's project", "default")
      .requiredOption("--provider <id>", "the provider, e.g. openai")
      .requiredOption("--label <label>", "the key's label")
      .requiredOption("--env-var-name <name>", "the credential's variable name, e.g. OPENAI_API_KEY")
      .option("--default", "make it the provider's default key", false)
      .action(
        againstEmulator(
          async (
            options: ConnectionOptions & { environment: string; project: string; provider: string; label: string; envVarName: string; default: boolean },
          ) => {
            const plaintext = await readMaterial(process.stdin);
            const key = await addProviderKey(connect(options), { ...options, isDefault: options.default }, plaintext);
            console.log(`provider key ${key.provider} "${key.label}" added to ${options.project}/${options.environment} (${key.id})`);
          },
        ),
      ),
  );
  return cli;
}

export function main(argv: readonly string[]): void {
  program()
    .parseAsync([...argv])
    .catch((err: unknown) => {
      console.error(`platos-emulator: ${startFailure(err)}`);
      process.exit(1);
    });
}
