// A user's own Pulumi program, as the consumer test installs it: every resource and getAgent, from the packed
// pulumi-platos, run with the packed platos-policy. Copied into a scratch project made from Pulumi's TypeScript template.
import * as pulumi from "@pulumi/pulumi";
import { Agent, Environment, EnvironmentVariable, EnvironmentVariables, ProviderKey, agentArgsFrom, getAgentOutput } from "pulumi-platos";

const config = new pulumi.Config();
const project = "default";
const slug = config.require("environment");

const environment = new Environment("app", { project, slug });
const target = { project, environment: environment.slug };

new EnvironmentVariable("openai-key", { ...target, key: "OPENAI_API_KEY", value: config.requireSecret("openaiApiKey"), secret: true });
// Platos takes a provider key's material only in its dashboard (Providers, Add key): once added there, the key is
// declared by its credential's name and adopted.
if (config.getBoolean("openaiKeyAdded")) {
  new ProviderKey("openai", { ...target, provider: "openai", label: "primary", variable: "OPENAI_API_KEY", isDefault: true, adopt: true });
}
new EnvironmentVariables("settings", {
  ...target,
  variables: { LOG_LEVEL: "warn", REGION: "eu-west-1" },
  secrets: { WEBHOOK_SIGNING_SECRET: config.requireSecret("webhookSecret") },
});

// The dev agent, declared here under this environment's own slug (Platos agent slugs are project-wide).
const dev = getAgentOutput({ project, environment: "dev", slug: "triage-dev" });
const triage = new Agent("triage", { ...agentArgsFrom(dev), ...target, slug: `triage-${slug}` });

export const environmentId = environment.id;
export const triageModel = triage.model;
