/**
 * How the policies see Platos resources: which environment each one writes into, and which variables it sets.
 * The only module that knows the resources' input names; the tokens come from the provider's resource registry (`registry.ts`).
 *
 * A resource is recognised by what it is, not only by its type token: a resource registered with the pulumi-platos
 * provider under another type name, or one whose inputs have the shape of a Platos variable, is judged as the
 * Platos resource its inputs say it is. One that runs on the provider but matches no shape is "unrecognised", and
 * the policies that guard production fail closed on it.
 */
import {
  PLATOS_TYPE_NAMES,
  PROVIDER_INPUT,
  readTestMode,
  runsOnPlatosProvider,
  typeTokens,
  type PlatosTypeName,
  type TestModeReading,
} from "pulumi-platos/rules";
import { knownString, readInput, type Input } from "./read-inputs";

/** What a policy is handed about a resource (a subset of `ResourceValidationArgs`). */
export interface ResourceView {
  readonly type: string;
  readonly props: object;
}

/**
 * The input that names the environment (by slug) each Platos resource writes into. Keyed by every resource type,
 * so a new resource in the provider's `registry.ts` does not compile until the policies know where its target is.
 */
const targetInput: Record<PlatosTypeName, string> = {
  Environment: "slug",
  EnvironmentVariable: "environment",
  EnvironmentVariables: "environment",
  Agent: "environment",
  ProviderKey: "environment",
};

const has = (props: object, ...inputs: string[]) => inputs.every((input) => input in props);

/** The inputs each resource's class registers whatever the program gives, most specific first. */
const SHAPES: readonly (readonly [PlatosTypeName, (props: object) => boolean])[] = [
  ["EnvironmentVariables", (props) => has(props, "project", "environment") && (has(props, "variables") || has(props, "secrets"))],
  ["EnvironmentVariable", (props) => has(props, "project", "environment", "key", "value")],
  ["ProviderKey", (props) => has(props, "project", "environment", "provider", "label", "variable")],
  ["Agent", (props) => has(props, "project", "environment", "slug", "model")],
  ["Environment", (props) => has(props, "project", "slug")],
];

/** The Platos resource whose inputs `props` has, if any. */
function shapeOf(props: object): PlatosTypeName | undefined {
  return SHAPES.find(([, matches]) => matches(props))?.[0];
}

/** The Platos resource type of a Pulumi type token, or undefined for anything else. */
export function platosTypeOfToken(type: string): PlatosTypeName | undefined {
  return PLATOS_TYPE_NAMES.find((name) => typeTokens[name] === type);
}

/** A resource that runs on the pulumi-platos provider but has the inputs of none of its resources. */
export const UNRECOGNISED = "unrecognised";

/** True if the resource's serialized provider loads pulumi-platos. */
function onPlatosProvider(resource: ResourceView): boolean {
  const provider = knownString(readInput(resource.props, [PROVIDER_INPUT]));
  return provider !== undefined && runsOnPlatosProvider(provider);
}

/**
 * Which Platos resource this is: by its type token; else, on the pulumi-platos provider, by its inputs (or
 * UNRECOGNISED); else by inputs that have a Platos variable's shape. Undefined for anything that is not Platos'.
 */
export function platosTypeOf(resource: ResourceView): PlatosTypeName | typeof UNRECOGNISED | undefined {
  const byToken = platosTypeOfToken(resource.type);
  if (byToken) return byToken;
  const byShape = shapeOf(resource.props);
  if (onPlatosProvider(resource)) return byShape ?? UNRECOGNISED;
  return byShape === "EnvironmentVariable" || byShape === "EnvironmentVariables" ? byShape : undefined;
}

/** The Platos resource type, leaving out one that is not recognised. */
function recognisedTypeOf(resource: ResourceView): PlatosTypeName | undefined {
  const type = platosTypeOf(resource);
  return type === UNRECOGNISED ? undefined : type;
}

/** The environment slug a Platos resource writes into; undefined for a resource that is not Platos'. */
export function targetEnvironment(resource: ResourceView): Input | undefined {
  const platosType = recognisedTypeOf(resource);
  return platosType && readInput(resource.props, [targetInput[platosType]]);
}

/** One variable a resource sets: (key, value, environment), plus whether it is stored as a Platos SECRET. */
export interface VariableEntry {
  readonly key: Input;
  readonly value: Input;
  readonly secret: Input;
  readonly environment: Input;
  /** How the program stores this variable as a SECRET instead, e.g. "set `secret: true`". */
  readonly makeSecret: string;
}

export const SET_SECRET_TRUE = "set `secret: true`";
const MOVE_TO_SECRETS = "move it from `variables` to `secrets`";

type VariableReader = (props: object) => Omit<VariableEntry, "environment">[];

/** The resources that set variables: one (EnvironmentVariable), or a map of them per kind (EnvironmentVariables). */
const variableReaders: Partial<Record<PlatosTypeName, VariableReader>> = {
  EnvironmentVariable: (props) => [
    { key: readInput(props, ["key"]), value: readInput(props, ["value"]), secret: readInput(props, ["secret"]), makeSecret: SET_SECRET_TRUE },
  ],
  EnvironmentVariables: (props) => [
    ...readVariableBag(props, "variables", { path: "variables", known: true, value: false }, MOVE_TO_SECRETS),
    ...readVariableBag(props, "secrets", { path: "secrets", known: true, value: true }, MOVE_TO_SECRETS),
  ],
};

/** Every variable a resource sets, each with the environment it lands in. Empty for non-variable resources. */
export function variablesOf(resource: ResourceView): VariableEntry[] {
  const platosType = recognisedTypeOf(resource);
  const reader = platosType && variableReaders[platosType];
  const environment = targetEnvironment(resource);
  if (!reader || !environment) return [];
  return reader(resource.props).map((entry) => ({ ...entry, environment }));
}

/**
 * What a ProviderKey says about the variable that holds its key material. `variableEnvironment` and
 * `variableSecret` are set when the program passed the EnvironmentVariable itself; a known `undefined` means it
 * named the variable by key, which is always a variable of the key's own environment.
 */
export interface ProviderKeyReference {
  readonly variable: Input;
  readonly variableEnvironment: Input;
  readonly variableSecret: Input;
  readonly environment: Input;
}

/** The variable a ProviderKey names; undefined for any other resource. */
export function providerKeyReferenceOf(resource: ResourceView): ProviderKeyReference | undefined {
  if (recognisedTypeOf(resource) !== "ProviderKey") return undefined;
  return {
    variable: readInput(resource.props, ["variable"]),
    variableEnvironment: readInput(resource.props, ["variableEnvironment"]),
    variableSecret: readInput(resource.props, ["variableSecret"]),
    environment: readInput(resource.props, [targetInput.ProviderKey]),
  };
}

/**
 * Reads a `Record<key, value>` input as variables, each stored as `secret` says. An unknown bag yields one entry
 * whose key and value are both unknown at the bag's path, so policies fail closed on it as they would on one
 * unknown variable.
 */
export function readVariableBag(props: object, bagPath: string, secret: Input, makeSecret: string): Omit<VariableEntry, "environment">[] {
  const bag = readInput(props, [bagPath]);
  if (!bag.known) return [{ key: bag, value: bag, secret, makeSecret }];
  if (typeof bag.value !== "object" || bag.value === null) return [];
  return Object.keys(bag.value).map((key) => ({
    key: { path: `${bagPath}.${key}`, known: true, value: key },
    value: readInput(props, [bagPath, key]),
    secret,
    makeSecret,
  }));
}

/** How Platos reads a known value as PLATOS_TEST_MODE; anything but a string is a value the agent rejects. */
export function testModeReadingOf(value: unknown): TestModeReading {
  return typeof value === "string" ? readTestMode(value) : "invalid";
}

/** `KEY="value"` for messages; a variable stored as a Platos SECRET shows no value. */
export function describeVariable(key: string, entry: VariableEntry): string {
  if (entry.secret.known && entry.secret.value === true) return `${key}=<secret value>`;
  if (!entry.value.known) return `${key}=<unknown>`;
  return entry.value.value === undefined ? `${key} with no value` : `${key}=${JSON.stringify(entry.value.value)}`;
}
