/**
 * What the serialised shims load, by package name, inside the dynamic provider host: each resource's engine-side
 * provider under its registry `shim` name. Keep these names stable: state written by any earlier version calls them.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { agentProvider } from "../providers/agent";
import { environmentProvider } from "../providers/environment";
import { variableProvider } from "../providers/environment-variable";
import { variableSetProvider } from "../providers/environment-variables";
import { providerKeyProvider } from "../providers/provider-key";
import type { ShimKind } from "../registry";

/** Every method a shim forwards, whatever the resource's inputs and outputs. */
type EngineProvider = { readonly [M in keyof dynamic.ResourceProvider]-?: (...args: never[]) => Promise<unknown> };

const engineProviders = {
  environment: environmentProvider,
  variable: variableProvider,
  variableSet: variableSetProvider,
  agent: agentProvider,
  providerKey: providerKeyProvider,
} satisfies Record<ShimKind, EngineProvider>;

export = engineProviders;
