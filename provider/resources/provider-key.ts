import * as pulumi from "@pulumi/pulumi";
import type { ProviderKeyInputs, ProviderKeyOutputs } from "../providers/provider-key";
import { typeTokens } from "../registry";
import type { ArgsOf, UnsetOutputs } from "./args";
import { PlatosResource } from "./platos-resource";
import type { ProviderKeyInputShape } from "./public-shapes";
import { EnvironmentVariable } from "./environment-variable";

type ReferenceField = "variable" | "variableProject" | "variableEnvironment" | "variableSecret";

export type ProviderKeyArgs = Omit<ArgsOf<ProviderKeyInputShape>, ReferenceField> & {
  /**
   * The SECRET variable of the key's own environment that holds the key material: the EnvironmentVariable itself
   * (then preview checks that it is of this environment and secret, and it is written first), or its key.
   */
  variable: pulumi.Input<string> | EnvironmentVariable;
};

/** The inputs naming the variable: from an EnvironmentVariable, also where it lives and whether it is secret. */
function referenceOf(variable: ProviderKeyArgs["variable"]): Record<ReferenceField, pulumi.Input<unknown> | undefined> {
  if (!EnvironmentVariable.isInstance(variable)) return { variable, variableProject: undefined, variableEnvironment: undefined, variableSecret: undefined };
  return { variable: variable.key, variableProject: variable.project, variableEnvironment: variable.environment, variableSecret: variable.secret };
}

/**
 * A provider key of a Platos environment (the Providers tab), keyed on environment + provider + label. It names the
 * SECRET variable of the same environment that holds the key material and never holds the material itself: a new
 * value in that variable rotates the key. Pointing it at another variable, a new label or a new default flag
 * update it in place; changing `project`, `environment` or `provider` replaces it. A key in one environment never
 * names another environment's variable: promote each environment's key separately.
 */
export class ProviderKey extends PlatosResource {
  static readonly __pulumiType = typeTokens.ProviderKey;

  static override isInstance(obj: unknown): obj is ProviderKey {
    return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: unknown }).__pulumiType === ProviderKey.__pulumiType;
  }

  declare readonly project: pulumi.Output<string>;
  declare readonly environment: pulumi.Output<string>;
  declare readonly provider: pulumi.Output<string>;
  declare readonly label: pulumi.Output<string>;
  /** The key of the variable the key names. */
  declare readonly variable: pulumi.Output<string>;
  declare readonly isDefault: pulumi.Output<boolean>;
  declare readonly adopt: pulumi.Output<boolean | undefined>;
  declare readonly variableProject: pulumi.Output<string | undefined>;
  declare readonly variableEnvironment: pulumi.Output<string | undefined>;
  declare readonly variableSecret: pulumi.Output<boolean | undefined>;
  declare readonly environmentId: pulumi.Output<string>;
  /** What Platos reports the key points at (the same as `variable` once deployed). */
  declare readonly envVarName: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;
  /** Null until Platos records a use of the key. */
  declare readonly lastUsedAt: pulumi.Output<string | null>;
  /** The environment's providers page in the dashboard; only with the provider setting platos:dashboardUrl. */
  declare readonly dashboardUrl: pulumi.Output<string | undefined>;

  constructor(name: string, args: ProviderKeyArgs, opts?: pulumi.CustomResourceOptions) {
    const outputsOnly: UnsetOutputs<ProviderKeyOutputs, ProviderKeyInputs> = {
      environmentId: undefined,
      envVarName: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      lastUsedAt: undefined,
      dashboardUrl: undefined,
    };
    super("ProviderKey", name, { ...args, ...referenceOf(args.variable), ...outputsOnly }, opts);
  }
}
