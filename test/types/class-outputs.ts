/**
 * Compile-time proof (`npm run typecheck`) that each resource class declares exactly the outputs its provider
 * returns, with the same types: a field the provider adds, drops or retypes without the class following fails the
 * type-check here, naming the class.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Agent, Environment, EnvironmentVariable, EnvironmentVariables, ProviderKey } from "../../provider/index";
import type { AgentOutputs } from "../../provider/providers/agent";
import type { EnvironmentOutputs } from "../../provider/providers/environment";
import type { VariableOutputs } from "../../provider/providers/environment-variable";
import type { ProviderKeyOutputs } from "../../provider/providers/provider-key";
import type { VariableSetOutputs } from "../../provider/providers/variable-set-state";
import type { PlatosTypeName } from "../../provider/registry";

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Each assignable to the other, `undefined` aside (an optional field of the provider is `T | undefined` in the class). */
type Interchangeable<A, B> = [Exclude<A, undefined>] extends [Exclude<B, undefined>]
  ? [Exclude<B, undefined>] extends [Exclude<A, undefined>]
    ? true
    : false
  : false;

/** The outputs a class declares, as plain values, less the two every resource has. */
type DeclaredOutputs<C> = {
  [K in keyof C as K extends "id" | "urn" ? never : C[K] extends pulumi.Output<unknown> ? K : never]: C[K] extends pulumi.Output<infer T> ? T : never;
};
/** What the provider returns, less what the class sets for the engine and never shows (who declared it). */
type ReturnedOutputs<O> = { [K in keyof O as K extends "declaredBy" ? never : K]-?: O[K] };

/** The same fields, each of a type the other can take. */
type SameOutputs<D, R> =
  Same<keyof D, keyof R> extends true ? (false extends { [K in keyof D & keyof R]: Interchangeable<D[K], R[K]> }[keyof D & keyof R] ? false : true) : false;

/** The class and its provider's outputs, by resource: a new resource of the registry without a line fails here. */
interface ClassAndOutputs {
  Environment: [Environment, EnvironmentOutputs];
  EnvironmentVariable: [EnvironmentVariable, VariableOutputs];
  EnvironmentVariables: [EnvironmentVariables, VariableSetOutputs];
  ProviderKey: [ProviderKey, ProviderKeyOutputs];
  Agent: [Agent, AgentOutputs];
}

type Agrees<R extends PlatosTypeName> = SameOutputs<DeclaredOutputs<ClassAndOutputs[R][0]>, ReturnedOutputs<ClassAndOutputs[R][1]>>;

export const classOutputsMatchTheirProviders: { [R in PlatosTypeName]: Agrees<R> } = {
  Environment: true,
  EnvironmentVariable: true,
  EnvironmentVariables: true,
  ProviderKey: true,
  Agent: true,
};
