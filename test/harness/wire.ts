/**
 * Property values as the engine holds them: plain JSON, with secrets in the signature envelope and computed
 * values as the unknown sentinel string. Both the program runner and the provider host speak this form, so a
 * test can pass a resource's captured inputs straight to the host.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

export type WireValue = null | boolean | number | string | WireValue[] | { [key: string]: WireValue };
export type PropertyMap = Record<string, WireValue>;

/** Key and value that mark an object as a secret envelope (sdk/go/common/resource/properties.go). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** What a computed (unknown during preview) value looks like on the wire. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The input that carries the serialized dynamic provider. */
export const PROVIDER_KEY = "__provider";

export interface SecretEnvelope {
  [SIG_KEY]: typeof SECRET_SIG;
  value: WireValue;
}

export function secret(value: WireValue): WireValue {
  return { [SIG_KEY]: SECRET_SIG, value };
}

export function isSecret(value: unknown): value is SecretEnvelope {
  return isObject(value) && value[SIG_KEY] === SECRET_SIG;
}

/** True when the value is, or holds anywhere inside, a secret envelope. */
export function containsSecrets(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecrets);
  if (isObject(value)) return Object.values(value).some(containsSecrets);
  return false;
}

/** Rebuilds a value with every secret envelope in it replaced by what `convert` makes of that envelope. */
export function mapSecrets<T extends WireValue>(value: T, convert: (envelope: Record<string, WireValue>) => WireValue): T {
  if (isObject(value) && value[SIG_KEY] === SECRET_SIG) return convert(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, convert)) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSecrets(v, convert)])) as T;
  return value;
}

/** Replaces every secret envelope by its plaintext: what the engine sends a provider that does not accept secrets. */
export function revealSecrets<T extends WireValue>(value: T): T {
  return mapSecrets(value, (envelope) => revealSecrets(envelope.value as WireValue));
}

/**
 * Copies secretness from `ins` to `outs` by property name, as the engine does with the results of a provider
 * that does not accept secrets (annotateSecrets in provider_plugin.go): objects on both sides recurse, anything
 * else becomes secret as a whole when its input counterpart contains a secret.
 */
export function annotateSecrets(outs: PropertyMap, ins: PropertyMap): PropertyMap {
  const result: PropertyMap = { ...outs };
  for (const [key, input] of Object.entries(ins)) {
    const output = result[key];
    if (output === undefined) continue;
    if (isPlainObject(output) && isPlainObject(input)) {
      result[key] = annotateSecrets(output, input);
    } else if (!isSecret(output) && containsSecrets(input)) {
      result[key] = secret(output);
    }
  }
  return result;
}

/** Every path at which `needle` occurs in plaintext, outside any secret envelope: where state would leak it. */
export function plaintextPaths(value: WireValue, needle: string, path = ""): string[] {
  if (isSecret(value)) return [];
  if (typeof value === "string") return value.includes(needle) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => plaintextPaths(v, needle, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => plaintextPaths(v, needle, `${path}.${k}`));
  return [];
}

/** Wraps the named top-level properties in the secret envelope (the engine's `additionalSecretOutputs`). */
export function markSecret(props: PropertyMap, names: readonly string[]): PropertyMap {
  const result: PropertyMap = { ...props };
  for (const name of names) {
    const value = result[name];
    if (value !== undefined && !isSecret(value)) result[name] = secret(value);
  }
  return result;
}

/** Plain object → protobuf Struct. Undefined members are dropped (as the SDK does); fromJavaScript would throw. */
export function toStruct(props: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as Record<string, never>);
}

export function fromStruct(struct: Struct | undefined): PropertyMap {
  return (struct?.toJavaScript() ?? {}) as PropertyMap;
}

function isObject(value: unknown): value is Record<string, WireValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is PropertyMap {
  return isObject(value) && !isSecret(value);
}
