import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentInputs, EnvironmentOutputs } from "../providers/environment";
import { typeTokens } from "../registry";
import type { ArgsOf, UnsetOutputs } from "./args";
import { PlatosResource } from "./platos-resource";
import type { EnvironmentInputShape } from "./public-shapes";

export type EnvironmentArgs = ArgsOf<EnvironmentInputShape>;

/**
 * A Platos environment, keyed on project + slug. Changing `project` or `slug` replaces it (deleting an environment
 * deletes its variables and agents); `name` updates in place. `adopt: true` takes over an existing environment.
 */
export class Environment extends PlatosResource {
  static readonly __pulumiType = typeTokens.Environment;

  static override isInstance(obj: unknown): obj is Environment {
    return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: unknown }).__pulumiType === Environment.__pulumiType;
  }

  declare readonly project: pulumi.Output<string>;
  declare readonly slug: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly adopt: pulumi.Output<boolean | undefined>;
  declare readonly retain: pulumi.Output<boolean | undefined>;
  declare readonly deleteContents: pulumi.Output<boolean | undefined>;
  declare readonly projectId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;
  /** The dashboard page of this object; only with the provider setting platos:dashboardUrl. */
  declare readonly dashboardUrl: pulumi.Output<string | undefined>;

  constructor(name: string, args: EnvironmentArgs, opts?: pulumi.CustomResourceOptions) {
    const outputsOnly: UnsetOutputs<EnvironmentOutputs, EnvironmentInputs> = {
      projectId: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      dashboardUrl: undefined,
    };
    super("Environment", name, { name: undefined, ...args, ...outputsOnly }, opts);
  }
}
