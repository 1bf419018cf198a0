/**
 * The engine side of `platos:EnvironmentVariable`. A SECRET value is write-only on the server, so its outputs keep
 * the value the program gave (the engine keeps it secret by name), and drift is told from the server's `version`:
 * `writtenVersion` is the version this provider last wrote, `version` the one the last read saw. A secret rotated
 * outside Pulumi is kept (secret-rotation.ts); a PLAIN value is set back to the declared one.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import { Slug, VariableKey, VariableValue } from "../client/schemas";
import type { PlatosVariable } from "../platos";
import { providerContext } from "../runtime/context";
import { sendJournalled } from "../runtime/create-journal";
import type { DashboardLink } from "../runtime/dashboard-links";
import type { ProductionRule } from "../rules/production";
import { stackProductionRule } from "../runtime/settings";
import { holdsDeclaredValue } from "./adopted-variable";
import { DeclaredBy } from "./declared-by";
import { engineProvider } from "./engine-provider";
import { describing } from "./describe-error";
import { planDiff, type DiffPlan } from "./diff";
import { Adopt, ProjectRef } from "./environment";
import { requireEnvironment } from "./environment-lookup";
import { checkInputs, givenFields, inputsOf, knownFields, type OutputOnly, type Raw } from "./inputs";
import { takeOver, variableCreate } from "./own-create";
import { protocolFailures } from "./protocol-check";
import { RotationCounter, rotatedOutside, sayRotatedOutside, withRotationCounted } from "./secret-rotation";
import { refuseTestModeInProduction, testModeFailuresAt } from "./variable-test-mode";
import { variablesPage } from "./variables-page";

export const VariableInputs = z.object({
  project: ProjectRef,
  /** Slug of the environment the variable belongs to. */
  environment: Slug,
  key: VariableKey,
  value: VariableValue,
  /** SECRET kind: write-only on the server, secret in Pulumi state. */
  secret: z.boolean().default(false),
  rotation: RotationCounter,
  adopt: Adopt,
  declaredBy: DeclaredBy,
});
export type VariableInputs = z.infer<typeof VariableInputs>;

/** What the server reports beside the inputs: outputs only. */
type VariableServerFields = {
  readonly environmentId: string;
  readonly kind: PlatosVariable["kind"];
  readonly version: number;
  readonly writtenVersion: number;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
};

export type VariableOutputs = VariableInputs & VariableServerFields & DashboardLink;

const OUTPUT_ONLY: OutputOnly<VariableServerFields & DashboardLink> = {
  environmentId: true,
  kind: true,
  version: true,
  writtenVersion: true,
  createdAt: true,
  updatedAt: true,
  dashboardUrl: true,
};

const variableDiffPlan: DiffPlan<VariableInputs> = {
  replaceOn: ["project", "environment", "key"],
  updateOn: ["value", "secret", "rotation"],
};

/** The provider's own PLATOS_TEST_MODE guard, behind the policy pack. */
export function testModeFailures(inputs: Raw, rule: ProductionRule = stackProductionRule()): dynamic.CheckFailure[] {
  return testModeFailuresAt("value", inputs, rule);
}

function toOutputs(variable: PlatosVariable, inputs: VariableInputs, writtenVersion: number, link: DashboardLink): VariableOutputs {
  const secret = variable.kind === "SECRET";
  return {
    project: inputs.project,
    environment: inputs.environment,
    key: variable.key,
    value: secret ? inputs.value : (variable.value ?? ""),
    secret,
    ...givenFields(inputs, ["rotation", "adopt", "declaredBy"]),
    environmentId: variable.environmentId,
    kind: variable.kind,
    version: variable.version,
    writtenVersion,
    createdAt: variable.createdAt,
    updatedAt: variable.updatedAt,
    ...link,
  };
}

const describedVariable = (inputs: { key: string; environment: string }) => `variable ${inputs.key} in environment "${inputs.environment}"`;

async function write(environmentId: string, inputs: VariableInputs): Promise<VariableOutputs> {
  const { api, cache } = providerContext();
  const variable = await api.variables.put(environmentId, inputs.key, { value: inputs.value, secret: inputs.secret });
  await cache.remember("variables", variable);
  return toOutputs(variable, inputs, variable.version, await variablesPage(inputs));
}

export const variableProvider = engineProvider<VariableInputs, VariableOutputs>({
  async check(_olds, news) {
    const checked = checkInputs(VariableInputs, news);
    const limits = await protocolFailures((api) => api.variables.limits(knownFields(checked.inputs)));
    return { inputs: checked.inputs, failures: [...checked.failures, ...testModeFailures(news), ...limits] };
  },

  async diff(_id, olds, news) {
    const result = planDiff(variableDiffPlan, withRotationCounted(olds), withRotationCounted(news));
    if (rotatedOutside(olds)) sayRotatedOutside(olds, result.changes ? "overwritten" : "kept");
    return result;
  },

  async create(inputs) {
    refuseTestModeInProduction(`creating ${describedVariable(inputs)}`, testModeFailures(inputs));
    const context = providerContext();
    return describing(`creating ${describedVariable(inputs)}`, async () => {
      const environment = await requireEnvironment(context, inputs.project, inputs.environment);
      const existing = (await context.cache.listOf("variables", environment.id)).get(inputs.key);
      const journalled = variableCreate(inputs.declaredBy, environment.id, inputs.key, inputs.value, inputs.secret);
      const outs = existing
        ? await takeOver(inputs.adopt, journalled, existing, describedVariable(inputs), async () =>
            holdsDeclaredValue(existing, inputs) ? toOutputs(existing, inputs, existing.version, await variablesPage(inputs)) : write(environment.id, inputs),
          )
        : await sendJournalled(journalled, () => write(environment.id, inputs));
      return { id: `${environment.id}/${inputs.key}`, outs };
    });
  },

  async read(id, prior) {
    const { cache } = providerContext();
    // A gone environment has taken its variables with it: the list is then empty.
    const all = await describing(`reading ${describedVariable(prior)}`, () => cache.listOf("variables", prior.environmentId));
    const variable = all.get(prior.key);
    if (!variable) return { id: "" };
    const outs = toOutputs(variable, prior, prior.writtenVersion, await variablesPage(prior));
    if (rotatedOutside(outs)) sayRotatedOutside(outs, "kept");
    return { id, props: outs, inputs: inputsOf(outs, OUTPUT_ONLY) };
  },

  async update(_id, olds, inputs) {
    refuseTestModeInProduction(`updating ${describedVariable(inputs)}`, testModeFailures(inputs));
    return { outs: await describing(`updating ${describedVariable(inputs)}`, () => write(olds.environmentId, inputs)) };
  },

  async delete(_id, props) {
    const { api, cache } = providerContext();
    await describing(`deleting ${describedVariable(props)}`, () => api.variables.delete(props.environmentId, props.key));
    await cache.forget("variables", props.environmentId, props.key);
  },
});
