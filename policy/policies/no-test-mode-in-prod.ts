/**
 * PLATOS_TEST_MODE mounts unauthenticated token-minting endpoints: a cross-tenant auth bypass if it reaches
 * production. Forbids any value that is not a clear off ("false", "0", "") on a resource that targets prod, and
 * fails closed when the key, the value or the target environment is unknown during preview, and on a resource that
 * runs on the pulumi-platos provider but whose inputs the pack cannot read as any Platos resource.
 */
import type { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { PROD_PATTERN_SETTING, TEST_MODE_KEY, TEST_MODE_OFF_VALUES, type ProductionRule } from "pulumi-platos/rules";
import { configSchemaOf, ownerProductionRule, PRODUCTION_OPTIONS, readOptions } from "../config";
import { describeVariable, platosTypeOf, testModeReadingOf, UNRECOGNISED, variablesOf, type VariableEntry } from "../platos-resources";
import { prodTarget } from "../prod-target";
import { failClosed } from "../read-inputs";
import { stackIdentity, stackProductionRule, type StackIdentity } from "../stack";

const OFF = TEST_MODE_OFF_VALUES.map((v) => JSON.stringify(v)).join(", ");

const NAME = "no-test-mode-in-prod";

export const noTestModeInProd: ResourceValidationPolicy = {
  name: NAME,
  description: `${TEST_MODE_KEY} must be off (${OFF}) on every Platos variable that targets a production environment.`,
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    `Remove ${TEST_MODE_KEY} from the production stack's variables, or set it to exactly "false". ` +
    "If the stack is not production, rename the stack, the project or the environment: a stack cannot narrow what is production " +
    `(its \`${PROD_PATTERN_SETTING.key}\` only adds names); the pack's owner can, in the policy config. ` +
    "If a value is unknown during preview, make it a literal or stack config value.",
  configSchema: configSchemaOf(...PRODUCTION_OPTIONS),
  validateResource: (args, reportViolation) => {
    const rule = stackProductionRule(
      ownerProductionRule(
        readOptions(() => args.getConfig()),
        NAME,
      ),
    );
    const stack = stackIdentity(args.urn);
    if (platosTypeOf(args) === UNRECOGNISED) {
      reportViolation(
        `${args.type} runs on the pulumi-platos provider, but its inputs are those of no Platos resource this pack knows, so it ` +
          `cannot be shown not to set ${TEST_MODE_KEY} in production. This policy fails closed: declare Platos objects with the ` +
          "pulumi-platos resource classes (EnvironmentVariable, EnvironmentVariables, ...).",
      );
      return;
    }
    for (const entry of variablesOf(args)) checkEntry(entry, stack, rule, reportViolation);
  },
};

function checkEntry(entry: VariableEntry, stack: StackIdentity, rule: ProductionRule, report: ReportViolation): void {
  if (entry.key.known && entry.key.value !== TEST_MODE_KEY) return;
  if (entry.value.known && testModeReadingOf(entry.value.value) === "off") return;
  const prod = prodTarget(stack, entry.environment, rule);
  if (prod.kind === "not prod") return;
  if (!entry.key.known) return failClosed(report, entry.key, `it may set ${TEST_MODE_KEY} on ${prod.why}`);
  if (!entry.value.known) return failClosed(report, entry.value, `${TEST_MODE_KEY} may turn test mode on in ${prod.why}`);
  const setting = `${describeVariable(TEST_MODE_KEY, entry)} (${testModeReadingOf(entry.value.value)})`;
  if (prod.kind === "unknown") return failClosed(report, prod.input, `${setting} may reach a production environment`);
  report(`${setting} targets ${prod.why}; Platos test mode must never be on, or ambiguous, in production.`);
}
