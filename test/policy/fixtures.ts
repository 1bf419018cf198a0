/**
 * Building blocks for policy tests: URNs per stack, resource properties in the wire form the engine sends (secret
 * envelopes, the unknown sentinel), and the property sets the Platos resource classes register.
 */
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { typeTokens } from "pulumi-platos/rules";

export { typeTokens };

/** What a computed input is during preview. */
export const UNKNOWN = unknownValue;

export const STACKS = ["dev", "staging", "prod"] as const;

const PROJECT = "platos";

export function urnOf(stack: string, type: string, name: string, project: string = PROJECT): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** A Pulumi secret as the engine serializes it. */
export function secret(value: unknown): Record<string, unknown> {
  return { [specialSigKey]: specialSecretSig, value };
}

/** Stands in for the serialized dynamic provider every dynamic resource registers as an input. */
const PROVIDER_INPUT = { __provider: 'exports.handler = require("pulumi-platos/lib/shim.js").variables;' };

/** An EnvironmentVariable's inputs; a field left undefined is omitted, as the engine omits it. */
export function variableProps(fields: { environment: unknown; key: unknown; value: unknown; secret?: unknown }): Record<string, unknown> {
  const defined = Object.entries(fields).filter(([, value]) => value !== undefined);
  return { project: "support", ...Object.fromEntries(defined), ...PROVIDER_INPUT };
}

/** An EnvironmentVariables resource's inputs: a map left undefined is omitted; a secret value goes in as given. */
export function variableSetProps(fields: { environment: unknown; variables?: unknown; secrets?: unknown }): Record<string, unknown> {
  const defined = Object.entries(fields).filter(([, value]) => value !== undefined);
  return { project: "support", ...Object.fromEntries(defined), ...PROVIDER_INPUT };
}

export function environmentProps(slug: unknown): Record<string, unknown> {
  return { project: "support", slug, name: `Support ${String(slug)}`, ...PROVIDER_INPUT };
}

export function agentProps(environment: unknown): Record<string, unknown> {
  return {
    project: "support",
    environment,
    slug: "triage",
    name: "Triage",
    model: "anthropic:claude-sonnet-4-6",
    systemPrompt: "Sort incoming tickets.",
    ...PROVIDER_INPUT,
  };
}

/**
 * A ProviderKey's inputs. `variableEnvironment`/`variableSecret` are what the resource class registers when the
 * program passes the EnvironmentVariable itself; left undefined, the key names its variable by key.
 */
export function providerKeyProps(fields: {
  environment: unknown;
  variableEnvironment?: unknown;
  variableSecret?: unknown;
  variable?: unknown;
}): Record<string, unknown> {
  const defined = Object.entries(fields).filter(([, value]) => value !== undefined);
  return {
    project: "support",
    provider: "openai",
    label: "primary",
    variable: "OPENAI_API_KEY",
    isDefault: true,
    ...Object.fromEntries(defined),
    ...PROVIDER_INPUT,
  };
}
