import type * as pulumi from "@pulumi/pulumi";

/** A resource's Args: each field of the provider's input schema, as a Pulumi input. */
export type ArgsOf<T> = { [K in keyof T]: pulumi.Input<T[K]> };
