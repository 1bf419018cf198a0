/**
 * One variable key of one environment belongs to one resource. Two resources of a program declaring the same key
 * (two EnvironmentVariables, or one of them and an EnvironmentVariable) would overwrite each other on every up and
 * one's delete would remove the other's key. The engine checks each resource alone, so the claim is made here, in
 * the program, as each resource is constructed: in a registry per program run (keyed on the run's resource
 * monitor) of (project, environment, key) → resource. A conflict fails the program, and so the preview, naming both
 * resources and the keys. Values given as Outputs are claimed once known: during preview a value that is unknown
 * then is claimed at `up`, before the resource is registered.
 *
 * Not seen: other programs and stacks (another process), a project named by id in one resource and by slug in the
 * other, and keys or environments that are still unknown at preview.
 */
import * as pulumi from "@pulumi/pulumi";

/** A resource, as messages name it. */
export interface Claimant {
  readonly type: string;
  readonly name: string;
}

/** Where a resource's keys live. */
export interface ClaimTarget {
  readonly claimant: Claimant;
  readonly project: pulumi.Input<string>;
  readonly environment: pulumi.Input<string>;
}

const registries = new WeakMap<object, Map<string, Claimant>>();

/** The claims of this program run; none are kept outside a run (no monitor). */
function claims(): Map<string, Claimant> {
  const monitor = pulumi.runtime.getMonitor();
  if (!monitor) return new Map();
  let registry = registries.get(monitor);
  if (!registry) registries.set(monitor, (registry = new Map()));
  return registry;
}

const describe = ({ type, name }: Claimant) => `${type} "${name}"`;

/** Claims `keys` for `claimant`; throws naming every key another resource already claimed. */
function claimKeys(claimant: Claimant, project: string, environment: string, keys: readonly string[]): void {
  const registry = claims();
  const taken = new Map<Claimant, string[]>();
  for (const key of keys) {
    const claim = `${project}\u0000${environment}\u0000${key}`;
    const owner = registry.get(claim);
    if (owner === undefined) registry.set(claim, claimant);
    else if (owner !== claimant) taken.set(owner, [...(taken.get(owner) ?? []), key]);
  }
  if (taken.size === 0) return;
  const conflicts = [...taken].map(([owner, owned]) => `${owned.sort().join(", ")} (already declared by ${describe(owner)})`).join("; ");
  throw new Error(
    `${describe(claimant)} declares variables of environment "${environment}" in project "${project}" that another resource declares: ${conflicts}. ` +
      "A key belongs to one resource, or the two overwrite each other on every up and one's delete removes the other's key: declare each key in one resource only.",
  );
}

/** Inside an apply a throw alone surfaces as an unhandled rejection; the error diagnostic names the rule. */
function claimOrReport(claimant: Claimant, project: string, environment: string, keys: readonly string[]): void {
  try {
    claimKeys(claimant, project, environment, keys);
  } catch (err) {
    pulumi.log.error((err as Error).message);
    throw err;
  }
}

/** The environment input, passed on once `keys` (known now) are claimed in it: at once when it is a string. */
export function environmentClaiming({ claimant, project, environment }: ClaimTarget, keys: readonly string[]): pulumi.Input<string> {
  if (typeof project === "string" && typeof environment === "string") {
    claimKeys(claimant, project, environment, keys);
    return environment;
  }
  return pulumi.all([project, environment]).apply(([p, e]) => {
    claimOrReport(claimant, p, e, keys);
    return e;
  });
}

/** An input that holds keys (an Output map, a computed key), passed on once the keys `keysOf` reads from it are claimed. */
export function valueClaiming<T>(
  { claimant, project, environment }: ClaimTarget,
  value: pulumi.Input<T>,
  keysOf: (value: pulumi.Unwrap<T>) => string[],
): pulumi.Output<pulumi.Unwrap<T>> {
  return pulumi.all([project, environment, pulumi.output(value)]).apply(([p, e, v]) => {
    claimOrReport(claimant, p, e, keysOf(v as pulumi.Unwrap<T>));
    return v as pulumi.Unwrap<T>;
  });
}
