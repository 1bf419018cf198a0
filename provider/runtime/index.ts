/**
 * What the serialised shims load, by package name, inside the dynamic provider host. Keep these names stable:
 * state written by any earlier version calls them.
 */
export { environmentProvider as environment } from "../providers/environment";
export { variableProvider as variable } from "../providers/environment-variable";
export { variableSetProvider as variableSet } from "../providers/environment-variables";
export { agentProvider as agent } from "../providers/agent";
export { providerKeyProvider as providerKey } from "../providers/provider-key";
