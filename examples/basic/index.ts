import * as pulumi from "@pulumi/pulumi";
import { Agent, Environment, EnvironmentVariable, ProviderKey } from "pulumi-platos";

const config = new pulumi.Config();
const project = config.get("project") ?? "default";
// Changing it renames the environment the way the Platos docs advise: the new one is made and filled first.
const slug = config.get("environment") ?? "sandbox";

const environment = new Environment("sandbox", { project, slug });
const target = { project, environment: environment.slug };

new EnvironmentVariable("log-level", { ...target, key: "LOG_LEVEL", value: "info" });
new EnvironmentVariable("anthropic-key", { ...target, key: "ANTHROPIC_API_KEY", value: config.requireSecret("anthropicApiKey"), secret: true });
// The environment's own Anthropic provider key (keys never link across environments). Real Platos takes a key's
// material only from its dashboard (Providers, Add key); once it is added there under ANTHROPIC_API_KEY,
// `pulumi config set anthropicKeyAdded true` declares that key here and adopts it.
if (config.getBoolean("anthropicKeyAdded")) {
  new ProviderKey("anthropic", { ...target, provider: "anthropic", label: "primary", variable: "ANTHROPIC_API_KEY", isDefault: true, adopt: true });
}

const support = new Agent("support", {
  ...target,
  // Agent slugs are project-wide on real Platos: one per environment.
  slug: `support-${slug}`,
  name: "Support",
  model: "anthropic:claude-haiku-4-5",
  systemPrompt: "You answer questions about our product, briefly.",
  maxSteps: 12,
});

export const environmentId = environment.id;
export const supportVersion = support.versionNumber;
export const dashboardUrl = environment.dashboardUrl;
