/**
 * The provider's own PLATOS_TEST_MODE guard, behind the policy pack, for one declared (key, value) of an
 * environment: whichever resource declares it (EnvironmentVariable, or a key of EnvironmentVariables). It runs in
 * `check` and again in `create` and `update`, so a program that drives the provider some other way (a dynamic
 * provider of its own wrapping this one) cannot write test mode into production past it.
 *
 * Why it matters: Platos reads PLATOS_TEST_MODE as "true"/"1" on (apps/agent/src/shared/env.ts@6c4366dc `boolLike`)
 * and then mounts unauthenticated token-minting endpoints; the agent refuses to boot with it only when its own
 * NODE_ENV is "production" (apps/agent/src/main.ts@4384dc3c), which says nothing about the environment's name.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { describeVerdict, productionReason, type ProductionRule } from "../rules/production";
import { readTestMode, TEST_MODE_KEY } from "../rules/test-mode";
import { stackOf } from "./declared-by";
import { failure, isUnknown } from "./inputs";

export interface DeclaredValue {
  readonly key?: unknown;
  readonly value?: unknown;
  /** The environment's slug, or the unknown sentinel. */
  readonly environment?: unknown;
  /** Which stack and resource declare it (`declaredBy`, as the class registers it): stack and project are read from it. */
  readonly declaredBy?: unknown;
}

const known = (value: unknown): string | undefined => (typeof value === "string" && !isUnknown(value) ? value : undefined);

/** The Pulumi project a `declaredBy` names (`<organization>/<project>/<stack>::…`). */
function projectOf(declaredBy: unknown): string | undefined {
  return typeof declaredBy === "string" ? /^[^/]*\/([^/]+)\/[^/:]+::/.exec(declaredBy)?.[1] : undefined;
}

/** Failures reported on `property`; never the value. */
export function testModeFailuresAt(property: string, { key, value, environment, declaredBy }: DeclaredValue, rule: ProductionRule): dynamic.CheckFailure[] {
  // An unknown value is checked again when it is known: check runs once more before the write.
  if (key !== TEST_MODE_KEY || typeof value !== "string" || isUnknown(value)) return [];
  const reading = readTestMode(value);
  if (reading === "invalid") {
    return [failure(property, `${TEST_MODE_KEY} must be exactly "true", "false", "1", "0" or empty; Platos refuses to boot on any other spelling`)];
  }
  if (reading !== "on") return [];
  const verdict = isUnknown(environment)
    ? "an environment not known yet"
    : productionReason(rule, { environment: known(environment), stack: stackOf(declaredBy), project: projectOf(declaredBy) });
  if (verdict === undefined) return [];
  const production = typeof verdict === "string" ? verdict : describeVerdict(verdict);
  return [
    failure(
      property,
      `${TEST_MODE_KEY} must not be on in production (${production}): it mounts unauthenticated test endpoints (a cross-tenant auth bypass). Set it to "false" or remove it`,
    ),
  ];
}

/** For `create` and `update`: refuses, before any write, what `check` would have refused. */
export function refuseTestModeInProduction(action: string, failures: readonly dynamic.CheckFailure[]): void {
  if (failures.length === 0) return;
  throw new Error(`${action} refused: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
}
