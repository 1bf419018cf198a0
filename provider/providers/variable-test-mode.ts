/**
 * The provider's own PLATOS_TEST_MODE guard, behind the policy pack, for one declared (key, value) of an
 * environment: whichever resource declares it (EnvironmentVariable, or a key of EnvironmentVariables).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { productionReason, type ProductionRule } from "../rules/production";
import { readTestMode, TEST_MODE_KEY } from "../rules/test-mode";
import { stackOf } from "./declared-by";
import { failure, isUnknown } from "./inputs";

export interface DeclaredValue {
  readonly key?: unknown;
  readonly value?: unknown;
  /** The environment's slug, or the unknown sentinel. */
  readonly environment?: unknown;
  /** Which stack and resource declare it (`declaredBy`, as the class registers it): the stack is read from it. */
  readonly declaredBy?: unknown;
}

const known = (value: unknown): string | undefined => (typeof value === "string" && !isUnknown(value) ? value : undefined);

/** Failures reported on `property`; never the value. */
export function testModeFailuresAt(property: string, { key, value, environment, declaredBy }: DeclaredValue, rule: ProductionRule): dynamic.CheckFailure[] {
  // An unknown value is checked again when it is known: check runs once more before the write.
  if (key !== TEST_MODE_KEY || typeof value !== "string" || isUnknown(value)) return [];
  const reading = readTestMode(value);
  if (reading === "invalid") {
    return [failure(property, `${TEST_MODE_KEY} must be exactly "true", "false", "1", "0" or empty; Platos refuses to boot on any other spelling`)];
  }
  if (reading !== "on") return [];
  const production = isUnknown(environment) ? "an environment not known yet" : productionReason(rule, { environment: known(environment), stack: stackOf(declaredBy) });
  if (production !== undefined) {
    return [
      failure(
        property,
        `${TEST_MODE_KEY} must not be on in production (${production}, by ${rule.described}): it mounts unauthenticated test endpoints (a cross-tenant auth bypass). Set it to "false" or remove it`,
      ),
    ];
  }
  return [];
}
