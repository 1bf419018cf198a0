/**
 * A variable whose key names a credential should be stored as a Platos SECRET (`secret: true`): SECRET values are
 * encrypted and never returned by the API. Pulumi secrecy of the value is a separate matter the engine handles.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchemaOf, isCredentialKey, readOptions } from "../config";
import { variablesOf } from "../platos-resources";
import { failClosed, knownString } from "../read-inputs";

export const secretsAreSecret: ResourceValidationPolicy = {
  name: "secrets-are-secret",
  description: "A variable whose key looks like a credential (*_KEY, *_SECRET, *_TOKEN, *PASSWORD*) must set `secret: true`.",
  enforcementLevel: "advisory",
  severity: "medium",
  remediationSteps:
    "Set `secret: true` on the variable (and pass its value with `config.requireSecret`). If the key is not a " +
    "credential, narrow `credentialKeyGlobs` in the policy config.",
  configSchema: configSchemaOf("credentialKeyGlobs"),
  validateResource: (args, reportViolation) => {
    const options = readOptions(() => args.getConfig());
    for (const entry of variablesOf(args)) {
      const key = knownString(entry.key);
      if (key === undefined || !isCredentialKey(key, options)) continue;
      if (!entry.secret.known) {
        failClosed(reportViolation, entry.secret, `credential ${key} cannot be shown to be stored as a SECRET`);
      } else if (entry.secret.value !== true) {
        reportViolation(`${key} looks like a credential but is stored as PLAIN; set \`secret: true\`.`);
      }
    }
  },
};
