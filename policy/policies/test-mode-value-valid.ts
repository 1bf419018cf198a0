/**
 * The Platos agent parses PLATOS_TEST_MODE as a strict, case-sensitive boolean and refuses to boot on anything
 * else. Checked on every stack. A value unknown during preview is checked again when `pulumi up` analyzes the
 * resource with its real value (production is covered at preview by no-test-mode-in-prod).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TEST_MODE_KEY, TEST_MODE_OFF_VALUES, TEST_MODE_ON_VALUES } from "pulumi-platos/rules";
import { describeVariable, testModeReadingOf, variablesOf } from "../platos-resources";

const ALLOWED = [...TEST_MODE_ON_VALUES, ...TEST_MODE_OFF_VALUES].map((v) => JSON.stringify(v)).join(", ");

export const testModeValueValid: ResourceValidationPolicy = {
  name: "test-mode-value-valid",
  description: `${TEST_MODE_KEY} must be exactly one of ${ALLOWED}; the Platos agent refuses to boot on any other value.`,
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: `Spell ${TEST_MODE_KEY} exactly as one of ${ALLOWED}: lowercase, no spaces, no "yes"/"on".`,
  validateResource: (args, reportViolation) => {
    for (const entry of variablesOf(args)) {
      if (!entry.key.known || entry.key.value !== TEST_MODE_KEY || !entry.value.known) continue;
      if (testModeReadingOf(entry.value.value) !== "invalid") continue;
      reportViolation(`${describeVariable(TEST_MODE_KEY, entry)} is not a value Platos accepts (case-sensitive, no trimming).`);
    }
  },
};
