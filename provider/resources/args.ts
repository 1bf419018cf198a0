import * as pulumi from "@pulumi/pulumi";

/** Each field of `T` as a Pulumi input, modifiers kept. */
type InputsOf<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** A resource's Args: each field of the provider's input schema but `declaredBy`, which the class sets itself. */
export type ArgsOf<T> = InputsOf<Omit<T, "declaredBy">>;
