import * as pulumi from "@pulumi/pulumi";

/** A resource's Args: each field of the provider's input schema, as a Pulumi input. */
export type ArgsOf<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/**
 * The input a variable resource registers so the provider's production rule can look at the stack as well as the
 * environment: the engine does not tell a dynamic provider's `check` which stack it runs for. Set after the
 * program's own args, so a program cannot name another stack.
 */
export const declaringStack = (): { readonly stack: string } => ({ stack: pulumi.getStack() });
