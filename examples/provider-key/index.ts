import * as pulumi from "@pulumi/pulumi";
import { Environment, ProviderKey } from "pulumi-platos";

const config = new pulumi.Config();
const project = config.get("project") ?? "default";
const slug = config.get("environment") ?? "keys";

// Step one: the environment. Step two, once the key is added in the Platos dashboard (Providers, Add key) under
// the credential name below: `pulumi config set keyAdded true` declares the key and adopts it, which writes nothing.
const environment = new Environment("keys", { project, slug });

const key = config.getBoolean("keyAdded")
  ? new ProviderKey("openai", {
      project,
      environment: environment.slug,
      provider: "openai",
      label: "primary",
      variable: config.get("credential") ?? "OPENAI_API_KEY",
      isDefault: true,
      adopt: true,
    })
  : undefined;

export const environmentId = environment.id;
export const keyId = key?.id;
export const keyLastUsedAt = key?.lastUsedAt;
