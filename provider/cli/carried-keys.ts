/**
 * Object keys a generated program cannot carry to the provider. Platos stores an agent's featureFlags, outputSchema,
 * memoryConfig and toolsBlockConfig as free JSON (apps/agent/src/agent-runtime/agent-crud.service.ts@15644878:
 * `featureFlags?: Record<string, boolean>` stored as sent), so any string can be a key there. Nearly all round-trip:
 * the program writes every key as a quoted string, and Object.prototype's names (`toString`, `constructor`...) are
 * own properties like any other (test/cli/imported-program-runs.test.ts runs such a program). These cannot:
 * - `__proto__`: in an object literal it sets the prototype instead of making a key, and the Pulumi SDK copies
 *   inputs with `obj[k] = v` (@pulumi/pulumi 3.248 runtime/rpc.js, serializeProperty), which does the same; the
 *   key would vanish silently and the next `up` would delete it from Platos.
 * - the SDK's own markers: a key starting `__pulum` (`__pulumiOutput`, `__pulumiResource`... read by utils.isInstance)
 *   or its signature key `4dabf18193072939515e22adb298388d` (secrets, assets, outputs) turn a plain JSON value into
 *   something else in transit.
 */
import { codeLiteral } from "./code-literal";

const PULUMI_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";

/** Why `key` cannot be written into a program, or undefined when it can. */
function keyProblem(key: string): string | undefined {
  if (key === "__proto__") return "JavaScript reads it as the object's prototype, not a key, so Pulumi would drop it";
  if (key.startsWith("__pulum") || key === PULUMI_SIGNATURE_KEY) return "the Pulumi SDK reads it as a marker of its own, not as data";
  return undefined;
}

export interface UncarriedKey {
  /** Where the key is, e.g. `featureFlags` or `outputSchema["properties"]` (each key a literal, so nothing raw). */
  readonly path: string;
  readonly key: string;
  readonly reason: string;
}

/** Every key in `value` (an object or array, walked to any depth) that a program cannot carry. */
export function uncarriedKeys(value: unknown, path: string): UncarriedKey[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => uncarriedKeys(item, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const reason = keyProblem(key);
    return [...(reason === undefined ? [] : [{ path, key, reason }]), ...uncarriedKeys(inner, `${path}[${codeLiteral(key)}]`)];
  });
}
