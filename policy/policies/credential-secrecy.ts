/**
 * One rule, two enforcement levels: a variable that holds a credential must be stored as a Platos SECRET (`secret:
 * true`, or the `secrets` map of EnvironmentVariables: encrypted, never returned by the API). A variable holds one when
 * its key looks like a credential, or when a ProviderKey names it (the program passed the EnvironmentVariable itself,
 * so its `secret` flag is known). On a resource that lands in production the rule is mandatory
 * (`credentials-secret-in-prod`, failing closed on unknowns); everywhere else it is advice (`secrets-are-secret`). Each
 * credential is judged by exactly one of the two, so nothing is reported twice.
 */
import type { ReportViolation, ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import { configSchemaOf, isCredentialKey, ownerProductionRule, PRODUCTION_OPTIONS, readOptions, type PackOptions } from "../config";
import { providerKeyReferenceOf, SET_SECRET_TRUE, variablesOf, type ResourceView } from "../platos-resources";
import { prodTarget, type ProdTarget } from "../prod-target";
import { failClosed, knownString, type Input } from "../read-inputs";
import { stackIdentity, stackProductionRule } from "../stack";

/** A variable that holds a credential, and why the pack thinks so. */
interface Credential {
  readonly name: string;
  /** e.g. "looks like a credential". */
  readonly because: string;
  readonly secret: Input;
  readonly environment: Input;
  /** e.g. "set `secret: true`". */
  readonly makeSecret: string;
}

function credentialsOf(resource: ResourceView, options: PackOptions): Credential[] {
  const byKey = variablesOf(resource).flatMap((entry) => {
    const key = knownString(entry.key);
    return key !== undefined && isCredentialKey(key, options)
      ? [{ name: key, because: "looks like a credential", secret: entry.secret, environment: entry.environment, makeSecret: entry.makeSecret }]
      : [];
  });
  const reference = providerKeyReferenceOf(resource);
  // A variable named by its key alone is judged on its own resource, by its key.
  if (!reference || (reference.variableSecret.known && reference.variableSecret.value === undefined)) return byKey;
  const name = knownString(reference.variable) ?? "the variable";
  return [
    ...byKey,
    { name, because: "holds this provider key's material", secret: reference.variableSecret, environment: reference.environment, makeSecret: SET_SECRET_TRUE },
  ];
}

type Scope = "production" | "elsewhere";

const REMEDIATION =
  "Set `secret: true` on the variable, or move it to the `secrets` map of an EnvironmentVariables resource (and pass " +
  "its value with `config.requireSecret`). If the key is not a " +
  "credential, narrow `credentialKeyGlobs` in the policy config.";

function judges(scope: Scope, target: ProdTarget): boolean {
  return scope === "production" ? target.kind !== "not prod" : target.kind === "not prod";
}

function checkCredential({ name, because, secret, makeSecret }: Credential, target: ProdTarget, report: ReportViolation): void {
  const where = target.kind === "not prod" ? "" : ` in ${target.why}`;
  if (!secret.known) return failClosed(report, secret, `credential ${name}${where} cannot be shown to be stored as a SECRET`);
  if (secret.value === true) return;
  if (target.kind === "unknown") return failClosed(report, target.input, `credential ${name}, stored as PLAIN, may reach ${target.why}`);
  report(`${name} ${because} but is stored as PLAIN${where}; ${makeSecret}.`);
}

function credentialSecrecy(scope: Scope, policy: string): ResourceValidation {
  return (args, report) => {
    const options = readOptions(() => args.getConfig());
    const stack = stackIdentity(args.urn);
    const credentials = credentialsOf(args, options);
    if (credentials.length === 0) return;
    const rule = stackProductionRule(ownerProductionRule(options, policy));
    for (const credential of credentials) {
      const target = prodTarget(stack, credential.environment, rule);
      if (judges(scope, target)) checkCredential(credential, target, report);
    }
  };
}

export const credentialsSecretInProd: ResourceValidationPolicy = {
  name: "credentials-secret-in-prod",
  description:
    "On a production target, a variable that holds a credential (a key like *_KEY, *_SECRET, *_TOKEN, *PASSWORD*, or a ProviderKey's variable) must set `secret: true`.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: REMEDIATION,
  configSchema: configSchemaOf("credentialKeyGlobs", ...PRODUCTION_OPTIONS),
  validateResource: credentialSecrecy("production", "credentials-secret-in-prod"),
};

export const secretsAreSecret: ResourceValidationPolicy = {
  name: "secrets-are-secret",
  description:
    "Outside production, a variable that holds a credential (a key like *_KEY, *_SECRET, *_TOKEN, *PASSWORD*, or a ProviderKey's variable) should set `secret: true`.",
  enforcementLevel: "advisory",
  severity: "medium",
  remediationSteps: REMEDIATION,
  configSchema: configSchemaOf("credentialKeyGlobs", ...PRODUCTION_OPTIONS),
  validateResource: credentialSecrecy("elsewhere", "secrets-are-secret"),
};
