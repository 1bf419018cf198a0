/**
 * The engine side of `platos:ProviderKey`. A key names the SECRET variable of its own environment that holds the
 * key material (`variable`): a new value in that variable rotates the material and leaves the key alone, and
 * pointing the key at another variable is an update (a rotation), never a replacement. A key never links across
 * environments (refused at preview), and a key an agent still pins is not deleted: both say the way out.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import { hasCode } from "../client/errors";
import { ProviderId, ProviderKeyLabel, Slug, VariableKey, type UpdateProviderKey } from "../client/schemas";
import { PROVIDER_KEY_CREDENTIAL_UNAVAILABLE, PROVIDER_KEY_PINNED, type DeclaredProviderKey, type PlatosProviderKey } from "../platos";
import { dashboardLink, type DashboardLink } from "../runtime/dashboard-links";
import { providerContext, type ProviderContext } from "../runtime/context";
import { sendJournalled, type JournalledCreate } from "../runtime/create-journal";
import { DeclaredBy } from "./declared-by";
import { describeFailure, describing } from "./describe-error";
import { engineProvider } from "./engine-provider";
import { planDiff, type DiffPlan } from "./diff";
import { Adopt, ProjectRef } from "./environment";
import { requireEnvironment } from "./environment-lookup";
import { checkInputs, failure, givenFields, inputsOf, isUnknown, knownFields, type OutputOnly, type Raw } from "./inputs";
import { takeOver } from "./own-create";
import { protocolFailures } from "./protocol-check";

/** Where the variable a key names lives, when the program passed the EnvironmentVariable itself. */
const VariableReference = {
  variableProject: ProjectRef.optional(),
  variableEnvironment: Slug.optional(),
  /** The variable's `secret` input. */
  variableSecret: z.boolean().optional(),
};
const REFERENCE_FIELDS = Object.keys(VariableReference) as (keyof typeof VariableReference)[];

export const ProviderKeyInputs = z.object({
  project: ProjectRef,
  /** Slug of the environment the key belongs to. */
  environment: Slug,
  /** The model provider, as models name it before the colon (`anthropic`, `openai`). */
  provider: ProviderId,
  /** With `provider`, what identifies the key in its environment. */
  label: ProviderKeyLabel,
  /** The key of the SECRET variable of the same environment that holds the key material. */
  variable: VariableKey,
  ...VariableReference,
  /** The provider's default key; setting it clears the provider's other defaults. */
  isDefault: z.boolean().default(false),
  adopt: Adopt,
  declaredBy: DeclaredBy,
});
export type ProviderKeyInputs = z.infer<typeof ProviderKeyInputs>;

/** What the server reports beside the inputs: outputs only. */
type ProviderKeyServerFields = {
  readonly environmentId: string;
  /** The variable the key names, as Platos reports it. */
  readonly envVarName: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Null until Platos records a use of the key. */
  readonly lastUsedAt: string | null;
};

export type ProviderKeyOutputs = ProviderKeyInputs & ProviderKeyServerFields & DashboardLink;

const OUTPUT_ONLY: OutputOnly<ProviderKeyServerFields & DashboardLink> = {
  environmentId: true,
  envVarName: true,
  createdAt: true,
  updatedAt: true,
  lastUsedAt: true,
  dashboardUrl: true,
};

const providerKeyDiffPlan: DiffPlan<ProviderKeyInputs> = {
  replaceOn: ["project", "environment", "provider"],
  updateOn: ["label", "variable", "isDefault"],
};

const PINNED_WAY_OUT =
  "change those agents so that their configuration no longer names this key (their provider key or model routes), then run again; or set `retainOnDelete: true` on the ProviderKey to leave the key in Platos";

/** The way out of a refusal a user can act on: a pinned key, or a credential the protocol does not have. */
function wayOutOf(err: unknown, inputs: Pick<ProviderKeyInputs, "provider" | "variable">): string | undefined {
  if (hasCode(err, PROVIDER_KEY_PINNED)) return PINNED_WAY_OUT;
  if (hasCode(err, PROVIDER_KEY_CREDENTIAL_UNAVAILABLE)) return providerContext().api.providerKeys.credentialWayOut(inputs.provider, inputs.variable);
  return undefined;
}

/** Runs a step, naming the action on failure, plus the way out for the refusals a user can act on. */
async function explained<T>(action: string, inputs: Pick<ProviderKeyInputs, "provider" | "variable">, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    const described = describeFailure(action, err);
    const wayOut = wayOutOf(err, inputs);
    throw wayOut ? new Error(`${described.message}. Way out: ${wayOut}`, { cause: err }) : described;
  }
}

const describedKey = (inputs: { provider: string; label: string; environment: string }) =>
  `provider key ${inputs.provider} "${inputs.label}" in environment "${inputs.environment}"`;

function crossEnvironment(own: string, variable: string, other: string, otherProject?: string): string {
  const where = otherProject === undefined ? `"${other}"` : `"${other}" in project "${otherProject}"`;
  return (
    `variable must be a variable of the provider key's own environment "${own}", but ${variable} is a variable of ${where}: ` +
    `a provider key in ${other} does not auto-link to ${own}; promote your ${own} key separately ` +
    `(declare its EnvironmentVariable in "${own}" and pass that one)`
  );
}

const known = (value: unknown): value is string => typeof value === "string" && !isUnknown(value);

/** The rules on what a key may name: a variable of its own environment, and a secret one. */
function referenceFailures(inputs: Raw): dynamic.CheckFailure[] {
  const { environment, variable, variableEnvironment, variableSecret } = inputs;
  const name = known(variable) ? variable : "the variable";
  const failures: dynamic.CheckFailure[] = [];
  if (known(environment) && known(variableEnvironment) && environment !== variableEnvironment) {
    failures.push(failure("variable", crossEnvironment(environment, name, variableEnvironment)));
  }
  if (variableSecret === false) {
    failures.push(
      failure(
        "variable",
        `variable must be a SECRET variable: ${name} is declared without \`secret: true\`, and Platos takes key material only from secret variables`,
      ),
    );
  }
  return failures;
}

/** A project given in another spelling (id or slug) is only comparable once both environments are found. */
async function requireOwnVariable(context: ProviderContext, inputs: ProviderKeyInputs, environmentId: string): Promise<void> {
  if (inputs.variableEnvironment === undefined) return;
  const project = inputs.variableProject ?? inputs.project;
  const home = await requireEnvironment(context, project, inputs.variableEnvironment);
  if (home.id !== environmentId) throw new Error(crossEnvironment(inputs.environment, inputs.variable, inputs.variableEnvironment, project));
}

/** Keys have no page of their own: the environment's providers page lists them. */
const providersPage = (target: { project: string; environment: string }) => dashboardLink(target, { kind: "providers" });

function toOutputs(key: PlatosProviderKey, inputs: ProviderKeyInputs, link: DashboardLink): ProviderKeyOutputs {
  return {
    project: inputs.project,
    environment: inputs.environment,
    provider: key.provider,
    label: key.label,
    variable: key.envVarName,
    ...givenFields(inputs, REFERENCE_FIELDS),
    isDefault: key.isDefault,
    ...givenFields(inputs, ["adopt", "declaredBy"]),
    environmentId: key.environmentId,
    envVarName: key.envVarName,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
    lastUsedAt: key.lastUsedAt,
    ...link,
  };
}

/** Only what differs: a rotation (`envVarName`), a new label, a new default flag. */
function changesFrom(current: Pick<PlatosProviderKey, "envVarName" | "label" | "isDefault">, desired: ProviderKeyInputs): UpdateProviderKey {
  return {
    ...(current.envVarName === desired.variable ? {} : { envVarName: desired.variable }),
    ...(current.label === desired.label ? {} : { label: desired.label }),
    ...(current.isDefault === desired.isDefault ? {} : { isDefault: desired.isDefault }),
  };
}

const isEmpty = (changes: UpdateProviderKey) => Object.keys(changes).length === 0;

async function change(context: ProviderContext, environmentId: string, keyId: string, changes: UpdateProviderKey): Promise<PlatosProviderKey> {
  const key = await context.api.providerKeys.update(environmentId, keyId, changes);
  context.cache.forgetAll("providerKeys", environmentId);
  return key;
}

const createRequest = (inputs: ProviderKeyInputs) => ({
  provider: inputs.provider,
  label: inputs.label,
  envVarName: inputs.variable,
  isDefault: inputs.isDefault,
});

async function create(context: ProviderContext, environmentId: string, inputs: ProviderKeyInputs): Promise<PlatosProviderKey> {
  const key = await context.api.providerKeys.create(environmentId, createRequest(inputs));
  context.cache.forgetAll("providerKeys", environmentId);
  return key;
}

async function requireKey(context: ProviderContext, environmentId: string, keyId: string): Promise<PlatosProviderKey> {
  const key = (await context.cache.listOf("providerKeys", environmentId)).get(keyId);
  if (!key) throw new Error(`provider key ${keyId} is gone from Platos: run \`pulumi refresh\`, then \`pulumi up\` creates it again`);
  return key;
}

export const providerKeyProvider = engineProvider<ProviderKeyInputs, ProviderKeyOutputs>({
  async check(olds, news) {
    const checked = checkInputs(ProviderKeyInputs, news);
    const prior = Object.keys(olds).length > 0 ? (knownFields(olds) as Partial<DeclaredProviderKey>) : undefined;
    // An EnvironmentVariable passed as `variable` brings where it lives along; a plain name does not.
    const linksVariable = news.variableEnvironment !== undefined;
    const limits = await protocolFailures((api) => api.providerKeys.limits({ ...knownFields(checked.inputs), linksVariable }, prior));
    return { inputs: checked.inputs, failures: [...checked.failures, ...referenceFailures(news), ...limits] };
  },

  async diff(_id, olds, news) {
    return planDiff(providerKeyDiffPlan, olds, news);
  },

  async create(inputs) {
    const context = providerContext();
    return explained(`creating ${describedKey(inputs)}`, inputs, async () => {
      const environment = await requireEnvironment(context, inputs.project, inputs.environment);
      await requireOwnVariable(context, inputs, environment.id);
      const keys = await context.cache.listOf("providerKeys", environment.id);
      const existing = [...keys.values()].find((key) => key.provider === inputs.provider && key.label === inputs.label);
      const journalled: JournalledCreate = {
        kind: "providerKey",
        declaredBy: inputs.declaredBy,
        request: { environmentId: environment.id, ...createRequest(inputs) },
      };
      const key = existing
        ? await takeOver(inputs.adopt, journalled, existing, describedKey(inputs), async () => {
            const changes = changesFrom(existing, inputs);
            return isEmpty(changes) ? existing : change(context, environment.id, existing.id, changes);
          })
        : await sendJournalled(journalled, () => create(context, environment.id, inputs));
      return { id: key.id, outs: toOutputs(key, inputs, await providersPage(inputs)) };
    });
  },

  async read(id, prior) {
    const { cache } = providerContext();
    // A gone environment has taken its keys with it: the list is then empty.
    const key = (await describing(`reading ${describedKey(prior)}`, () => cache.listOf("providerKeys", prior.environmentId))).get(id);
    if (!key) return { id: "" };
    const outs = toOutputs(key, prior, await providersPage(prior));
    const inputs = inputsOf(outs, OUTPUT_ONLY);
    return { id, props: outs, inputs };
  },

  async update(id, prior, desired) {
    const context = providerContext();
    return explained(`updating ${describedKey(desired)}`, desired, async () => {
      await requireOwnVariable(context, desired, prior.environmentId);
      const changes = changesFrom({ envVarName: prior.variable, label: prior.label, isDefault: prior.isDefault }, desired);
      const key = isEmpty(changes) ? await requireKey(context, prior.environmentId, id) : await change(context, prior.environmentId, id, changes);
      return { outs: toOutputs(key, desired, await providersPage(desired)) };
    });
  },

  async delete(id, props) {
    const { api, cache } = providerContext();
    await explained(`deleting ${describedKey(props)}`, props, () => api.providerKeys.delete(props.environmentId, id));
    cache.forgetAll("providerKeys", props.environmentId);
  },
});
