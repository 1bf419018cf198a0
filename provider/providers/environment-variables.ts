/**
 * The engine side of `platos:EnvironmentVariables`: a set of keys of one environment, PLAIN (`variables`) and
 * SECRET (`secrets`), in one state entry. It follows EnvironmentVariable key by key: the same input rules, the same
 * test-mode guard, PLAIN values set back, SECRETs rotated outside Pulumi kept unless their declared value or the
 * `rotation` counter changed. Diff plans per key and asks Platos nothing; update writes only the keys the plan
 * names; refresh reads the environment's one variable list (shared through the read cache) and looks at owned
 * keys only; delete removes owned keys only. A key new to the resource, in create or in an update, is taken only
 * when Platos does not hold it yet, with `adopt`, or as this resource's own interrupted write (the create journal):
 * otherwise the whole step is refused before any write. Without `adopt`, a key listed as absent that another party
 * creates before this write lands is reported and left out of state (variable-set-race.ts).
 */
import { randomUUID } from "node:crypto";
import type { PlatosVariable } from "../platos";
import { providerContext } from "../runtime/context";
import { answerCreate, journalCreate, settleCreate, type JournalledCreate } from "../runtime/create-journal";
import { stackProductionRule } from "../runtime/settings";
import { holdsDeclaredValue } from "./adopted-variable";
import { engineProvider } from "./engine-provider";
import { describing } from "./describe-error";
import { planDiff, type DiffPlan } from "./diff";
import { requireEnvironment } from "./environment-lookup";
import { knownFields } from "./inputs";
import { isOwnInterruptedCreate, variableCreate } from "./own-create";
import { protocolFailures } from "./protocol-check";
import { sayRotatedOutside, withRotationCounted } from "./secret-rotation";
import { checkVariableSet, plainKeysOf, variableSetTestModeFailures, type VariableSetInputs } from "./variable-set-inputs";
import { refuseTestModeInProduction } from "./variable-test-mode";
import { isEmptyPlan, planKeys, rotatedKeys, type RotatedKey } from "./variable-set-plan";
import {
  declaredKeys,
  inputsOf,
  ownedKeysOf,
  refreshedKeys,
  toOutputs,
  ownedVersion,
  type DeclaredKey,
  type OwnedKey,
  type VariableSetOutputs,
} from "./variable-set-state";
import { applyKeyChanges, describeKeyFailures, partialFailure, settledKeys, type AbsentKeys, type KeyOutcomes } from "./variable-set-writes";
import { variablesPage } from "./variables-page";

export { VariableSetScalars, type VariableSetInputs } from "./variable-set-inputs";
export type { VariableSetOutputs } from "./variable-set-state";

const variableSetDiffPlan: DiffPlan<VariableSetInputs> = {
  replaceOn: ["project", "environment"],
  updateOn: ["rotation"],
};

const DECLARED_BY = "EnvironmentVariables key";

const where = (inputs: { project: string; environment: string }) => `environment "${inputs.environment}" of project "${inputs.project}"`;

function sayRotations(inputs: VariableSetInputs, rotated: readonly RotatedKey[], replacing: boolean): void {
  for (const { key, version, outcome } of rotated) {
    sayRotatedOutside({ project: inputs.project, environment: inputs.environment, key, ...version }, replacing ? "overwritten" : outcome, DECLARED_BY);
  }
}

function twinsError(twins: readonly string[], inputs: VariableSetInputs): Error {
  return new Error(
    `variables ${twins.join(", ")} already exist in ${where(inputs)}. Set \`adopt: true\` on the EnvironmentVariables resource to take them over, ` +
      "or remove them from it (a key another resource or the dashboard manages is left alone only when this resource does not declare it).",
  );
}

/** Declared keys that already exist and are not this resource's own interrupted creates, sorted. */
async function othersTwins(
  declared: readonly DeclaredKey[],
  existing: ReadonlyMap<string, PlatosVariable>,
  journalled: (key: DeclaredKey) => JournalledCreate,
  inputs: VariableSetInputs,
): Promise<string[]> {
  const twins: string[] = [];
  for (const key of declared) {
    const variable = existing.get(key.key);
    if (variable && !(await isOwnInterruptedCreate(journalled(key), variable, `variable ${key.key} of ${where(inputs)}`))) twins.push(key.key);
  }
  return twins.sort();
}

/** How keys new to the resource are taken: those to write (journalled first), and adopted ones kept as they are. */
interface NewKeys {
  readonly writes: readonly DeclaredKey[];
  readonly kept: ReadonlyMap<string, OwnedKey>;
  /** The keys written that the list showed absent: their writes are checked for another party's create. */
  readonly absent: AbsentKeys;
  /** Records in the journal which new keys' writes were answered, and which met another party's object. */
  settle(outcomes: KeyOutcomes): Promise<void>;
}

/**
 * Takes the keys new to the resource (every key in create, the added ones in update): refused as a whole, before
 * any write, when Platos holds one that is neither adopted nor this resource's own interrupted write.
 */
async function takeNewKeys(environmentId: string, added: readonly DeclaredKey[], inputs: VariableSetInputs): Promise<NewKeys> {
  const existing =
    added.length === 0
      ? new Map<string, PlatosVariable>()
      : await describing(`reading the variables of ${where(inputs)}`, () => providerContext().cache.listOf("variables", environmentId));
  const journalled = (key: DeclaredKey) => variableCreate(inputs.declaredBy, environmentId, key.key, key.value, key.kind === "SECRET");
  if (!inputs.adopt) {
    const twins = await othersTwins(added, existing, journalled, inputs);
    if (twins.length > 0) throw twinsError(twins, inputs);
  }
  const kept = adoptedAsTheyAre(added, existing);
  const writes = added.filter(({ key }) => !kept.has(key));
  const absent = writes.filter(({ key }) => !existing.has(key));
  const sentAt = Date.now();
  await Promise.all(absent.map((key) => journalCreate(journalled(key), sentAt)));
  // A written key keeps its entry, bounded by the answer (create-journal.ts `answerCreate`); an overtaken key is
  // another party's, and the next up must not take it as this one's own.
  const settle = async (outcomes: KeyOutcomes) => {
    const answeredAt = Date.now();
    await Promise.all(
      absent.map((key) =>
        outcomes.overtaken.has(key.key)
          ? settleCreate(journalled(key))
          : outcomes.written.has(key.key)
            ? answerCreate(journalled(key), sentAt, answeredAt)
            : undefined,
      ),
    );
  };
  return {
    writes,
    kept,
    // With `adopt` a key someone else made is taken anyway, so its write is not checked.
    absent: { keys: new Set(inputs.adopt ? [] : absent.map(({ key }) => key)), where: where(inputs) },
    settle,
  };
}

/** Adopted keys whose PLAIN value already is the declared one: owned without a write. */
function adoptedAsTheyAre(declared: readonly DeclaredKey[], existing: ReadonlyMap<string, PlatosVariable>): Map<string, OwnedKey> {
  const owned = new Map<string, OwnedKey>();
  for (const key of declared) {
    const variable = existing.get(key.key);
    if (variable && holdsDeclaredValue(variable, { secret: key.kind === "SECRET", value: key.value })) {
      owned.set(key.key, { version: ownedVersion(variable), declared: key });
    }
  }
  return owned;
}

export const variableSetProvider = engineProvider<VariableSetInputs, VariableSetOutputs>({
  async check(_olds, news) {
    const checked = checkVariableSet(news, stackProductionRule());
    const { project, environment } = knownFields(checked.inputs);
    const limits = await protocolFailures((api) => api.variables.setLimits({ project, environment, plainKeys: plainKeysOf(checked.inputs) }));
    return { inputs: checked.inputs, failures: [...checked.failures, ...limits] };
  },

  async diff(_id, olds, news) {
    const plan = planKeys(olds, news);
    const keysChange = plan === undefined || !isEmptyPlan(plan) ? ["variables"] : [];
    const result = planDiff(variableSetDiffPlan, withRotationCounted(olds), withRotationCounted(news), keysChange);
    if (plan) sayRotations(news, plan.rotated, (result.replaces ?? []).length > 0);
    return result;
  },

  async create(inputs) {
    const context = providerContext();
    const action = `creating the variables of ${where(inputs)}`;
    refuseTestModeInProduction(action, variableSetTestModeFailures(inputs, stackProductionRule()));
    const environment = await describing(action, () => requireEnvironment(context, inputs.project, inputs.environment));
    const { writes, kept, absent, settle } = await takeNewKeys(environment.id, [...declaredKeys(inputs).values()], inputs);
    const outcomes = await applyKeyChanges(environment.id, writes, [], absent);
    await settle(outcomes);
    const id = `${environment.id}/variables-${randomUUID()}`;
    const outs = toOutputs(inputs, environment.id, settledKeys(kept, writes, [], outcomes), await variablesPage(inputs));
    if (outcomes.failed.length > 0) throw partialFailure(action, id, outs, outcomes.failed, writes.length);
    return { id, outs };
  },

  async read(id, prior) {
    const { cache } = providerContext();
    // A gone environment has taken its variables with it: the list is then empty.
    const live = await describing(`reading the variables of ${where(prior)}`, () => cache.listOf("variables", prior.environmentId));
    const owned = ownedKeysOf(prior);
    const refreshed = refreshedKeys(owned, live);
    // Every owned key gone (or the environment with them): the resource is gone, and the next up makes it again.
    if (owned.size > 0 && refreshed.size === 0) return { id: "" };
    const outs = toOutputs(prior, prior.environmentId, refreshed, await variablesPage(prior));
    sayRotations(outs, rotatedKeys(outs, outs, new Set()), false);
    return { id, props: outs, inputs: inputsOf(outs) };
  },

  async update(id, prior, inputs) {
    refuseTestModeInProduction(`updating the variables of ${where(inputs)}`, variableSetTestModeFailures(inputs, stackProductionRule()));
    const plan = planKeys(prior, inputs);
    if (!plan) throw new Error(`updating the variables of ${where(inputs)}: the variables or secrets map is still unknown`);
    const before = ownedKeysOf(prior);
    const added = await takeNewKeys(
      prior.environmentId,
      plan.writes.filter(({ key }) => !before.has(key)),
      inputs,
    );
    const writes = [...plan.writes.filter(({ key }) => before.has(key)), ...added.writes];
    const outcomes = await applyKeyChanges(prior.environmentId, writes, plan.deletes, added.absent);
    await added.settle(outcomes);
    const owned = settledKeys(new Map([...before, ...added.kept]), writes, plan.deletes, outcomes);
    // A SECRET left unwritten under a new `rotation` is written again next time only if the old counter stays.
    const secretFailed = outcomes.failed.some(({ key, action }) => action === "write" && Object.hasOwn(inputs.secrets, key));
    const settled = secretFailed ? { ...inputs, rotation: prior.rotation } : inputs;
    const outs = toOutputs(settled, prior.environmentId, owned, await variablesPage(inputs));
    const attempted = writes.length + plan.deletes.length;
    if (outcomes.failed.length > 0) throw partialFailure(`updating the variables of ${where(inputs)}`, id, outs, outcomes.failed, attempted);
    return { outs };
  },

  async delete(_id, props) {
    const keys = Object.keys(props.versions ?? {});
    const outcomes = await applyKeyChanges(props.environmentId, [], keys);
    if (outcomes.failed.length > 0) throw new Error(describeKeyFailures(`deleting the variables of ${where(props)}`, outcomes.failed, keys.length));
  },
});
