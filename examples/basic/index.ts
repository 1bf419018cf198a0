import * as pulumi from "@pulumi/pulumi";
import { Agent, Environment, EnvironmentVariable } from "pulumi-platos";

const config = new pulumi.Config();
const project = config.get("project") ?? "default";

const environment = new Environment("sandbox", { project, slug: config.get("environment") ?? "sandbox" });
const target = { project, environment: environment.slug };

new EnvironmentVariable("log-level", { ...target, key: "LOG_LEVEL", value: "info" });
new EnvironmentVariable("anthropic-key", { ...target, key: "ANTHROPIC_API_KEY", value: config.requireSecret("anthropicApiKey"), secret: true });

const support = new Agent("support", {
  ...target,
  slug: "support",
  name: "Support",
  model: "anthropic:claude-haiku-4-5",
  systemPrompt: "You answer questions about our product, briefly.",
  maxSteps: 12,
});

export const environmentId = environment.id;
export const supportVersion = support.versionNumber;
