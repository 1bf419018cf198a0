import * as pulumi from "@pulumi/pulumi";

/** Each field of `T` as a Pulumi input, modifiers kept. */
type InputsOf<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** A resource's Args: each field of the provider's input schema but `declaredBy`, which the class sets itself. */
export type ArgsOf<T> = InputsOf<Omit<T, "declaredBy">>;

/**
 * The fields a class registers unset so that the SDK gives it an output for each field only its provider's outputs
 * have (what the server reports, the dashboard link): `tsc` holds the class's list to exactly those.
 */
export type UnsetOutputs<Outputs, Inputs> = { readonly [K in Exclude<keyof Outputs, keyof Inputs>]-?: undefined };
