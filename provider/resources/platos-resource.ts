import * as pulumi from "@pulumi/pulumi";
import { typeTokens, type PlatosTypeName } from "../registry";
import { PACKAGE_NAME, PROVIDER_INPUT } from "../rules/provider-identity";
import { declaredBy } from "./declared-by";

/** A resource's shim by package name: `provider/shims/<type in kebab case>.ts`, compiled under `lib/shims/`. */
export function shimModule(type: PlatosTypeName): string {
  return `${PACKAGE_NAME}/lib/shims/${type.replace(/(?<=[a-z])(?=[A-Z])/g, "-").toLowerCase()}.js`;
}

/**
 * The `__provider` of a resource: a module whose `handler` gives the engine's dynamic-provider host the resource's
 * shim, which it loads by package name (the host's getProvider, @pulumi/pulumi cmd/dynamic-provider, evaluates it and
 * calls `handler()`). `pulumi.dynamic.Resource` would write the same through the SDK's closure serialiser, in about
 * 280 bytes of wrapper; this line is under a third of that, in the inputs and the outputs of every resource in state, and
 * keeps what the shim guarantees: no credentials, no paths, and fixes reach state written by older versions.
 */
export const serializedShim = (type: PlatosTypeName): string => `exports.handler = () => require("${shimModule(type)}");\n`;

/**
 * What every Platos resource class registers: the dynamic resource of its type (the engine hands
 * `pulumi-nodejs:dynamic/platos:<Name>` to Node's dynamic-provider host), its inputs, the `declaredBy` that names the
 * stack and resource, and its `__provider`.
 */
export abstract class PlatosResource extends pulumi.CustomResource {
  protected constructor(type: PlatosTypeName, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined) {
    super(typeTokens[type], name, { ...props, declaredBy: declaredBy(type, name, opts), [PROVIDER_INPUT]: serializedShim(type) }, opts);
  }
}
