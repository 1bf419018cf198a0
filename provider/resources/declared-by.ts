import * as pulumi from "@pulumi/pulumi";
import { typeTokens, type PlatosTypeName } from "../registry";

/** The organization, or "" where the SDK knows none (it throws then). */
function organization(): string {
  try {
    return pulumi.getOrganization();
  } catch {
    return "";
  }
}

/**
 * The `declaredBy` input: organization, project and stack, then the resource's type and name (under its parent's
 * URN when it has one), so two resources of one stack, or of two stacks, never share one.
 */
export function declaredBy(type: PlatosTypeName, name: string, opts: pulumi.CustomResourceOptions | undefined): pulumi.Input<string> {
  const stack = `${organization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const resource = `${typeTokens[type]}::${name}`;
  return opts?.parent ? pulumi.interpolate`${stack}::${opts.parent.urn}::${resource}` : `${stack}::${resource}`;
}
