import * as pulumi from "@pulumi/pulumi";
import type { VariableInputs, VariableOutputs } from "../providers/environment-variable";
import { typeTokens } from "../registry";
import type { ArgsOf, UnsetOutputs } from "./args";
import { PlatosResource } from "./platos-resource";
import type { VariableInputShape } from "./public-shapes";
import { environmentClaiming, valueClaiming, type ClaimTarget } from "./key-claims";

export type EnvironmentVariableArgs = ArgsOf<VariableInputShape>;

/**
 * One variable of a Platos environment, keyed on environment + key. With `secret: true` the value is write-only on
 * the server and secret in Pulumi state. A secret rotated outside Pulumi (seen on refresh from the server's version)
 * is kept: it is written again only when the declared value changes or `rotation` is bumped. Changing `project`,
 * `environment` or `key` replaces it; `value`, `secret` and `rotation` update in place.
 */
export class EnvironmentVariable extends PlatosResource {
  static readonly __pulumiType = typeTokens.EnvironmentVariable;

  static override isInstance(obj: unknown): obj is EnvironmentVariable {
    return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: unknown }).__pulumiType === EnvironmentVariable.__pulumiType;
  }

  declare readonly project: pulumi.Output<string>;
  declare readonly environment: pulumi.Output<string>;
  declare readonly key: pulumi.Output<string>;
  declare readonly value: pulumi.Output<string>;
  declare readonly secret: pulumi.Output<boolean>;
  declare readonly adopt: pulumi.Output<boolean | undefined>;
  declare readonly environmentId: pulumi.Output<string>;
  declare readonly kind: pulumi.Output<"PLAIN" | "SECRET">;
  declare readonly version: pulumi.Output<number>;
  /** The version this stack last wrote; a later `version` means the value was changed outside Pulumi. */
  declare readonly writtenVersion: pulumi.Output<number>;
  /** Null when the protocol did not report it. */
  declare readonly createdAt: pulumi.Output<string | null>;
  /** Null when the protocol did not report it (the platform's MCP secret write). */
  declare readonly updatedAt: pulumi.Output<string | null>;
  /** The `rotation` counter as last applied. */
  declare readonly rotation: pulumi.Output<number | undefined>;
  /** The dashboard page of this object; only with the provider setting platos:dashboardUrl. */
  declare readonly dashboardUrl: pulumi.Output<string | undefined>;

  constructor(name: string, args: EnvironmentVariableArgs, opts?: pulumi.CustomResourceOptions) {
    const outputsOnly: UnsetOutputs<VariableOutputs, VariableInputs> = {
      environmentId: undefined,
      kind: undefined,
      version: undefined,
      writtenVersion: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      dashboardUrl: undefined,
    };
    // A secret variable's value must be secret in the inputs too, or state would hold it in plaintext.
    const secret = args.secret ?? false;
    const value = secret === false ? args.value : pulumi.output(secret).apply((isSecret) => (isSecret ? pulumi.secret(args.value) : pulumi.output(args.value)));
    const secretOpts = secret === false ? opts : pulumi.mergeOptions(opts, { additionalSecretOutputs: ["value"] });
    const target: ClaimTarget = { claimant: { type: "EnvironmentVariable", name }, project: args.project, environment: args.environment };
    // A key known now is claimed with the environment; a computed one as it resolves.
    const claimed =
      typeof args.key === "string" ? { environment: environmentClaiming(target, [args.key]) } : { key: valueClaiming(target, args.key, (key) => [key]) };
    super("EnvironmentVariable", name, { rotation: undefined, ...args, ...claimed, value, secret, ...outputsOnly }, secretOpts);
  }
}
