/**
 * `platos-emulator token`: a `plt_mcp_` token pinned to one environment, minted through core-api as a Platos operator
 * mints one in the dashboard, handed over only as the `pulumi config set --secret` lines that store it in a stack
 * (encrypted). Nothing else ever shows it. The operator token line reads the admin token from the environment
 * variable, so it is not printed either.
 */
import { STACK_TOKEN_PERMISSIONS } from "../../provider/platos/platform/scopes";
import { ADMIN_TOKEN_ENV, type EmulatorConnection } from "./connection";

export interface TokenRequest {
  readonly project: string;
  readonly environment: string;
  /** Adds `--stack <name>` to each line. */
  readonly stack?: string;
  readonly name: string;
}

export async function stackTokenLines(emulator: EmulatorConnection, request: TokenRequest): Promise<string[]> {
  const environment = await emulator.admin.environments.findBySlug(request.project, request.environment);
  if (!environment) {
    throw new Error(
      `--environment: project "${request.project}" has no environment "${request.environment}"; run \`platos-emulator seed --project ${request.project} --environment ${request.environment}\` first`,
    );
  }
  const minted = await emulator.coreApi.mintToken({ environmentId: environment.id, name: request.name, permissions: [...STACK_TOKEN_PERMISSIONS] });
  const stack = request.stack === undefined ? "" : ` --stack ${request.stack}`;
  return [
    `pulumi config set${stack} platos:apiUrl ${emulator.url}`,
    `pulumi config set${stack} platos:coreApiUrl ${emulator.coreApiUrl}`,
    `pulumi config set${stack} --secret platos:token ${minted.token}`,
    `pulumi config set${stack} --secret platos:operatorToken "$${ADMIN_TOKEN_ENV}"`,
  ];
}
