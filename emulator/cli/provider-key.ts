/**
 * `platos-emulator add-provider-key`: the dashboard's "Providers, Add key", which a stack cannot do (the provider
 * adopts a key a person added; it never holds the material). The material is read from standard input, never from
 * the command line, and never printed.
 */
import type { EmulatorConnection } from "./connection";

export interface ProviderKeyRequest {
  readonly project: string;
  readonly environment: string;
  readonly provider: string;
  readonly label: string;
  readonly envVarName: string;
  readonly isDefault: boolean;
}

export async function readMaterial(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  // A trailing newline is the shell's (`echo "$KEY" |`), not the key's.
  const material = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  if (material.length === 0)
    throw new Error("no key on standard input: pipe the provider key in, e.g. `printenv OPENAI_API_KEY | platos-emulator add-provider-key ...`");
  return material;
}

export async function addProviderKey(emulator: EmulatorConnection, request: ProviderKeyRequest, plaintext: string) {
  const environment = await emulator.admin.environments.findBySlug(request.project, request.environment);
  if (!environment)
    throw new Error(`--environment: project "${request.project}" has no environment "${request.environment}"; run \`platos-emulator seed\` first`);
  const reply = await emulator.dashboard.call("addProviderKeyWithMaterial", {
    params: { environmentId: environment.id },
    body: { provider: request.provider, label: request.label, envVarName: request.envVarName, plaintext, isDefault: request.isDefault },
  });
  return reply.data;
}
