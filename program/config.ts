/**
 * What one stack declares, read from its Pulumi.<stack>.yaml: the project and environment it targets, the plain
 * variables, the model its agents run on, and the secret provider keys (set with `pulumi config set --secret`).
 */
import * as pulumi from "@pulumi/pulumi";

export interface StackConfig {
  readonly project: string;
  /** The Platos environment this stack manages: one stack per environment. */
  readonly environment: string;
  /** Display name, on the V1 protocol only: real Platos names an environment after its slug. */
  readonly environmentName?: string;
  /** Leave the environment in Platos when the stack is destroyed (real Platos refuses to delete prod). */
  readonly retainEnvironment: boolean;
  readonly model: string;
  /** Plain (non-secret) variables. */
  readonly variables: Readonly<Record<string, string>>;
  /** Secret variables by key, e.g. provider keys. */
  readonly secrets: Readonly<Record<string, pulumi.Output<string>>>;
  /** Take over objects that already exist on the server. */
  readonly adopt: boolean;
  /**
   * Whether a provider key names its environment's SECRET variable (the V1 contract). Real Platos (`platform`)
   * links a key only to a provider credential added in its dashboard, so there the keys are `dashboardProviderKeys`.
   */
  readonly keysNameVariables: boolean;
  /** Provider keys added in the Platos dashboard (Providers, Add key), declared and adopted by this stack. */
  readonly dashboardProviderKeys: readonly DashboardProviderKey[];
}

export interface DashboardProviderKey {
  readonly provider: string;
  readonly label: string;
  /** The name the key's material was added under in the dashboard. */
  readonly credential: string;
  readonly isDefault?: boolean;
}

/**
 * The model providers' keys an environment may hold: the secret variable, the stack config name its value is read
 * from, and the Platos provider it is registered for (a ProviderKey of that environment, its default).
 */
export const PROVIDER_KEYS = {
  ANTHROPIC_API_KEY: { config: "anthropicApiKey", provider: "anthropic" },
  OPENAI_API_KEY: { config: "openaiApiKey", provider: "openai" },
} as const;

export function readStackConfig(): StackConfig {
  const platos = new pulumi.Config("platos");
  const stack = new pulumi.Config();
  const secrets: Record<string, pulumi.Output<string>> = {};
  for (const [key, { config: name }] of Object.entries(PROVIDER_KEYS)) {
    const value = stack.getSecret(name);
    if (value) secrets[key] = value;
  }
  // Other secret variables: `pulumi config set --secret --path 'secretVariables.KEY' value`. Read raw so the
  // keys are known while the program runs; every value is wrapped as a secret at once.
  const raw = pulumi.runtime.getConfig(`${pulumi.getProject()}:secretVariables`);
  for (const [key, value] of Object.entries(raw ? (JSON.parse(raw) as Record<string, string>) : {})) {
    secrets[key] = pulumi.secret(value);
  }
  return {
    project: platos.get("project") ?? "default",
    environment: platos.get("environment") ?? pulumi.getStack(),
    environmentName: stack.get("environmentName"),
    model: stack.require("model"),
    variables: stack.getObject<Record<string, string>>("variables") ?? {},
    secrets,
    adopt: stack.getBoolean("adopt") ?? false,
    keysNameVariables: (platos.get("protocol") ?? "platform") === "v1",
    dashboardProviderKeys: stack.getObject<DashboardProviderKey[]>("dashboardProviderKeys") ?? [],
    retainEnvironment: stack.getBoolean("retainEnvironment") ?? false,
  };
}
