import * as pulumi from "@pulumi/pulumi";
import type { VariableSetInputs } from "../providers/variable-set-inputs";
import type { VariableSetOutputs } from "../providers/variable-set-state";
import { typeTokens } from "../registry";
import type { ArgsOf, UnsetOutputs } from "./args";
import { PlatosResource } from "./platos-resource";
import type { KeyVersion, VariableSetInputShape } from "./public-shapes";
import { environmentClaiming, valueClaiming, type ClaimTarget } from "./key-claims";

/** Variable key → value. */
export type VariableMapInput = pulumi.Input<Record<string, pulumi.Input<string>>>;

export type EnvironmentVariablesArgs = ArgsOf<VariableSetInputShape> & {
  /** PLAIN variables: readable in state, outputs and the Platos dashboard. */
  variables?: VariableMapInput;
  /** SECRET variables: write-only in Platos, and each value a Pulumi secret in state. */
  secrets?: VariableMapInput;
};

/** A map given as an object (its values may be Outputs), as opposed to an Output or Promise of one. */
function isObjectMap(map: VariableMapInput): map is Record<string, pulumi.Input<string>> {
  return !pulumi.Output.isInstance(map) && !(map instanceof Promise);
}

/**
 * Each value secret on its own, so the keys stay readable in state and a value unknown at preview leaves the other
 * keys known (to check and to the policy pack). A map given as a whole Output is secret as a whole.
 */
function secretPerKey(map: VariableMapInput): VariableMapInput {
  if (!isObjectMap(map)) return pulumi.secret(map);
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, pulumi.secret(value)]));
}

/**
 * Many variables of one Platos environment in one resource: PLAIN ones in `variables`, SECRET ones in `secrets`.
 * It owns exactly the keys it declares: an up writes only the keys whose value changed and deletes the keys removed
 * from it; refresh reads the environment's variable list once; keys it does not declare are never touched. A secret
 * rotated outside Pulumi is kept unless its declared value changes or `rotation` is bumped (which writes every
 * secret again); a PLAIN value is set back to the declared one. A key declared by two resources of the program
 * fails the program (and so the preview). Changing `project` or `environment` replaces it.
 */
export class EnvironmentVariables extends PlatosResource {
  static readonly __pulumiType = typeTokens.EnvironmentVariables;

  static override isInstance(obj: unknown): obj is EnvironmentVariables {
    return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: unknown }).__pulumiType === EnvironmentVariables.__pulumiType;
  }

  declare readonly project: pulumi.Output<string>;
  declare readonly environment: pulumi.Output<string>;
  declare readonly adopt: pulumi.Output<boolean | undefined>;
  /** The PLAIN values: the declared ones, or Platos's after a refresh found them changed. */
  declare readonly variables: pulumi.Output<Record<string, string>>;
  /** The declared SECRET values (Platos never returns one). */
  declare readonly secrets: pulumi.Output<Record<string, string>>;
  /** Per owned key: Platos's kind and version as last seen, and the version Pulumi last wrote. */
  declare readonly versions: pulumi.Output<Record<string, KeyVersion>>;
  declare readonly environmentId: pulumi.Output<string>;
  /** The `rotation` counter as last applied. */
  declare readonly rotation: pulumi.Output<number | undefined>;
  /** The environment's variables page in the dashboard; only with the provider setting platos:dashboardUrl. */
  declare readonly dashboardUrl: pulumi.Output<string | undefined>;

  constructor(name: string, args: EnvironmentVariablesArgs, opts?: pulumi.CustomResourceOptions) {
    const target: ClaimTarget = { claimant: { type: "EnvironmentVariables", name }, project: args.project, environment: args.environment };
    const maps = [args.variables ?? {}, secretPerKey(args.secrets ?? {})] as const;
    const environment = environmentClaiming(
      target,
      maps.filter(isObjectMap).flatMap((map) => Object.keys(map)),
    );
    const [variables, secrets] = maps.map((map) => (isObjectMap(map) ? map : valueClaiming(target, map, (values) => Object.keys(values))));
    const outputsOnly: UnsetOutputs<VariableSetOutputs, VariableSetInputs> = { environmentId: undefined, versions: undefined, dashboardUrl: undefined };
    const secretOpts = pulumi.mergeOptions(opts, { additionalSecretOutputs: ["secrets"] });
    super("EnvironmentVariables", name, { rotation: undefined, ...args, environment, variables, secrets, ...outputsOnly }, secretOpts);
  }
}
