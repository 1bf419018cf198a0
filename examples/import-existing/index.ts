import * as pulumi from "@pulumi/pulumi";
import { Agent, Environment, EnvironmentVariable } from "pulumi-platos";

// `pulumi import` cannot work for dynamic resources (pulumi/pulumi#16175), so existing objects are taken over
// with `adopt: true`: create finds the object by its natural key and updates it to this declaration.
const config = new pulumi.Config();
const project = config.get("project") ?? "default";

const environment = new Environment("staging", { project, slug: "staging", adopt: true });
const target = { project, environment: environment.slug, adopt: true };

new EnvironmentVariable("log-level", { ...target, key: "LOG_LEVEL", value: "info" });
new EnvironmentVariable("openai-key", { ...target, key: "OPENAI_API_KEY", value: config.requireSecret("OPENAI_API_KEY"), secret: true });
new Agent("triage", { ...target, slug: "triage", name: "Triage", model: "anthropic:claude-sonnet-4-6", maxSteps: 8 });

export const environmentId = environment.id;
