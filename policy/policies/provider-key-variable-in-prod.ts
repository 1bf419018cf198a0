/**
 * A ProviderKey names the SECRET variable that holds its key material. On a production target that variable must be
 * one of the key's own (production) environment: "a provider key in dev does not auto-link to prod; promote your
 * prod key separately". The provider's `check` refuses a cross-environment reference on every stack; this is the
 * mandatory gate CI runs before prod is touched. A reference or target unknown during preview fails closed.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchemaOf, ownerProductionRule, PRODUCTION_OPTIONS, readOptions } from "../config";
import { providerKeyReferenceOf } from "../platos-resources";
import { prodTarget } from "../prod-target";
import { failClosed, knownString } from "../read-inputs";
import { stackIdentity, stackProductionRule } from "../stack";

const NAME = "provider-key-variable-in-prod";

export const providerKeyVariableInProd: ResourceValidationPolicy = {
  name: NAME,
  description:
    "On a production target, a ProviderKey must reference a variable of its own production environment; a provider key in dev does not auto-link to prod.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Declare the production key's EnvironmentVariable in the production stack (its value from that stack's secret config) and pass " +
    "that resource as the ProviderKey's `variable`: promote each environment's provider key separately.",
  configSchema: configSchemaOf(...PRODUCTION_OPTIONS),
  validateResource: (args, reportViolation) => {
    const reference = providerKeyReferenceOf(args);
    if (!reference) return;
    const rule = stackProductionRule(
      ownerProductionRule(
        readOptions(() => args.getConfig()),
        NAME,
      ),
    );
    const target = prodTarget(stackIdentity(args.urn), reference.environment, rule);
    if (target.kind === "not prod") return;
    const source = reference.variableEnvironment;
    if (!source.known) return failClosed(reportViolation, source, `the variable of this provider key cannot be shown to be of ${target.why}`);
    // Named by its key alone, the variable is one of the key's own environment.
    if (source.value === undefined) return;
    const variable = knownString(reference.variable) ?? "its variable";
    const from = JSON.stringify(source.value);
    if (!reference.environment.known)
      return failClosed(reportViolation, reference.environment, `${variable} of environment ${from} may be used by a key in ${target.why}`);
    const own = knownString(reference.environment);
    if (source.value === own) return;
    reportViolation(
      `\`${source.path}\` is ${from}: this ProviderKey in ${target.why} references ${variable} of environment ${from}. ` +
        `A provider key in ${String(source.value)} does not auto-link to ${own}; promote your ${own} key separately.`,
    );
  },
};
