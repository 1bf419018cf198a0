/**
 * Compile-time proof (`npm run typecheck`) that the plain types the package publishes are exactly the zod schemas'
 * input types and the provider's settings: a schema change that is not carried over fails the type-check here.
 */
import type { z } from "zod";
import type { AgentDefinitionFields } from "../../provider/functions/agent-definition";
import type { ApiAccess } from "../../provider/functions/get-agent";
import type { AgentInputs } from "../../provider/providers/agent";
import type { EnvironmentInputs } from "../../provider/providers/environment";
import type { VariableInputs } from "../../provider/providers/environment-variable";
import type { ProviderKeyInputs } from "../../provider/providers/provider-key";
import type { VariableSetScalars } from "../../provider/providers/variable-set-inputs";
import type * as shapes from "../../provider/resources/public-shapes";
import type { SettingName } from "../../provider/runtime/settings";
import type { VariableKind } from "../../provider/client/schemas";

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Flattens intersections and mapped types so that equal shapes compare equal. */
type Flat<T> = { [K in keyof T]: T[K] };
/** A schema's input as a program gives it: `declaredBy` is set by the resource class, never by the program. */
type Given<T> = Flat<Omit<T, "declaredBy">>;

export const publicTypesMatchTheirSources: [
  Same<Flat<shapes.EnvironmentInputShape>, Given<z.input<typeof EnvironmentInputs>>>,
  Same<Flat<shapes.VariableInputShape>, Given<z.input<typeof VariableInputs>>>,
  Same<Flat<shapes.VariableSetInputShape>, Given<z.input<typeof VariableSetScalars>>>,
  Same<Flat<shapes.ProviderKeyInputShape>, Given<z.input<typeof ProviderKeyInputs>>>,
  Same<Flat<shapes.AgentInputShape>, Given<z.input<typeof AgentInputs>>>,
  Same<Flat<shapes.AgentDefinitionShape>, Flat<AgentDefinitionFields>>,
  Same<keyof ApiAccess, Exclude<SettingName, "prodPattern">>,
  Same<shapes.KeyVersion["kind"], VariableKind>,
] = [true, true, true, true, true, true, true, true];
