import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Environment, EnvironmentVariable } from "pulumi-platos";

const config = new pulumi.Config();
const project = config.get("project") ?? "default";
const slug = config.get("environment") ?? "webhooks";
// Bump to rotate the secret: a new keepers value makes a new RandomPassword, and the variable writes it.
const rotation = config.getNumber("rotation") ?? 1;

const environment = new Environment("webhooks", { project, slug });

const signingSecret = new random.RandomPassword("webhook-signing-secret", {
  length: 48,
  special: false,
  keepers: { rotation: String(rotation) },
});

// `result` is a Pulumi secret, and `secret: true` makes it a write-only SECRET in Platos. The same number as
// `rotation` writes the value again even where someone rotated the secret in the dashboard since the last up.
new EnvironmentVariable("webhook-signing-secret", {
  project,
  environment: environment.slug,
  key: "WEBHOOK_SIGNING_SECRET",
  value: signingSecret.result,
  secret: true,
  rotation,
});

export const environmentId = environment.id;
export const secretRotation = rotation;
