/**
 * A stack manages one Platos environment: every Platos resource it declares must write into that environment, so
 * a prod stack never writes into dev and a dev stack never writes into prod. The stack's environment is the stack
 * config `platos:environment`, else the stack name. A target unknown during preview fails closed.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { targetEnvironment } from "../platos-resources";
import { failClosed } from "../read-inputs";
import { describeStackEnvironment, ENVIRONMENT_CONFIG_KEY, stackIdentity } from "../stack";

export const environmentsDoNotCross: ResourceValidationPolicy = {
  name: "environments-do-not-cross",
  description: "Every Platos resource of a stack writes into that stack's environment; data does not cross environments.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    `Declare the resource in the stack of the environment it belongs to, or set the stack's \`${ENVIRONMENT_CONFIG_KEY}\` ` +
    "config to the environment this stack manages. Derive each resource's environment from that config, not a literal.",
  validateResource: (args, reportViolation) => {
    const target = targetEnvironment(args);
    if (!target) return;
    const stack = stackIdentity(args.urn);
    const expected = describeStackEnvironment(stack);
    if (!target.known) return failClosed(reportViolation, target, `it cannot be shown to write into this stack's environment ${expected}`);
    if (target.value === stack.environment) return;
    reportViolation(
      `\`${target.path}\` is ${JSON.stringify(target.value)}, but stack "${stack.stack}" manages environment ${expected}; ` +
        "a stack must not write into another environment.",
    );
  },
};
