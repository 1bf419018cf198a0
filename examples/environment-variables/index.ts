import * as pulumi from "@pulumi/pulumi";
import { Environment, EnvironmentVariables } from "pulumi-platos";

const config = new pulumi.Config();
const project = config.get("project") ?? "default";
const slug = config.get("environment") ?? "settings";

const environment = new Environment("settings", { project, slug });

// One state entry for the whole set: an up writes only the keys whose value changed and deletes the keys removed
// here; keys of the environment that are not listed are never touched.
const settings = new EnvironmentVariables("app-config", {
  project,
  environment: environment.slug,
  variables: { LOG_LEVEL: "info", REGION: "eu-west-1", FEATURE_SEARCH: "on" },
  secrets: { STRIPE_SECRET_KEY: config.requireSecret("stripeSecretKey"), WEBHOOK_SIGNING_SECRET: config.requireSecret("webhookSecret") },
  // Bump to write every secret again, even one rotated in the dashboard since the last up.
  rotation: config.getNumber("rotation") ?? 1,
});

export const environmentId = environment.id;
export const plainKeys = settings.variables.apply((values) => Object.keys(values).sort());
