/**
 * One rule, two enforcement levels: a variable whose key names a credential must be stored as a Platos SECRET
 * (`secret: true`: encrypted, never returned by the API). On a resource that lands in production the rule is
 * mandatory (`credentials-secret-in-prod`, failing closed on unknowns); everywhere else it is advice
 * (`secrets-are-secret`). Each variable is judged by exactly one of the two, so nothing is reported twice.
 */
import type { ReportViolation, ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import { configSchemaOf, isCredentialKey, prodRegExp, readOptions } from "../config";
import { variablesOf, type VariableEntry } from "../platos-resources";
import { prodTarget, type ProdTarget } from "../prod-target";
import { failClosed, knownString } from "../read-inputs";
import { stackIdentity } from "../stack";

type Scope = "production" | "elsewhere";

const REMEDIATION =
  "Set `secret: true` on the variable (and pass its value with `config.requireSecret`). If the key is not a " +
  "credential, narrow `credentialKeyGlobs` in the policy config.";

function judges(scope: Scope, target: ProdTarget): boolean {
  return scope === "production" ? target.kind !== "not prod" : target.kind === "not prod";
}

function checkEntry(entry: VariableEntry, key: string, target: ProdTarget, report: ReportViolation): void {
  const where = target.kind === "not prod" ? "" : ` in ${target.why}`;
  if (!entry.secret.known) return failClosed(report, entry.secret, `credential ${key}${where} cannot be shown to be stored as a SECRET`);
  if (entry.secret.value === true) return;
  if (target.kind === "unknown") return failClosed(report, target.input, `credential ${key}, stored as PLAIN, may reach ${target.why}`);
  report(`${key} looks like a credential but is stored as PLAIN${where}; set \`secret: true\`.`);
}

function credentialSecrecy(scope: Scope): ResourceValidation {
  return (args, report) => {
    const options = readOptions(() => args.getConfig());
    const stack = stackIdentity(args.urn);
    for (const entry of variablesOf(args)) {
      const key = knownString(entry.key);
      if (key === undefined || !isCredentialKey(key, options)) continue;
      const target = prodTarget(stack, entry.environment, prodRegExp(options));
      if (judges(scope, target)) checkEntry(entry, key, target, report);
    }
  };
}

export const credentialsSecretInProd: ResourceValidationPolicy = {
  name: "credentials-secret-in-prod",
  description: "On a production target, a variable whose key looks like a credential (*_KEY, *_SECRET, *_TOKEN, *PASSWORD*) must set `secret: true`.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: REMEDIATION,
  configSchema: configSchemaOf("credentialKeyGlobs", "prodPattern"),
  validateResource: credentialSecrecy("production"),
};

export const secretsAreSecret: ResourceValidationPolicy = {
  name: "secrets-are-secret",
  description: "Outside production, a variable whose key looks like a credential (*_KEY, *_SECRET, *_TOKEN, *PASSWORD*) should set `secret: true`.",
  enforcementLevel: "advisory",
  severity: "medium",
  remediationSteps: REMEDIATION,
  configSchema: configSchemaOf("credentialKeyGlobs", "prodPattern"),
  validateResource: credentialSecrecy("elsewhere"),
};
