/**
 * How a dynamic resource shows which provider it runs on: its `__provider` input is the serialized provider, and
 * every pulumi-platos shim loads its implementation with `require("pulumi-platos/...")` (shims/make-shim.ts). The
 * policy pack reads this to recognise a Platos resource registered under any type token.
 */
export const PACKAGE_NAME = "pulumi-platos";

/** The input that holds a dynamic resource's serialized provider. */
export const PROVIDER_INPUT = "__provider";

const REQUIRES_PACKAGE = new RegExp(`require\\(\\s*["'\`]${PACKAGE_NAME}(?:/[^"'\`]*)?["'\`]\\s*\\)`);

/** True if a serialized dynamic provider loads pulumi-platos. */
export function runsOnPlatosProvider(serializedProvider: string): boolean {
  return REQUIRES_PACKAGE.test(serializedProvider);
}
