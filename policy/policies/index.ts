/** Every policy of the pack, in the order they run and report. Importing this starts no analyzer server. */
import type { Policies } from "@pulumi/policy";
import { credentialsSecretInProd, secretsAreSecret } from "./credential-secrecy";
import { environmentsDoNotCross } from "./environments-do-not-cross";
import { noTestModeInProd } from "./no-test-mode-in-prod";
import { providerKeyVariableInProd } from "./provider-key-variable-in-prod";
import { testModeValueValid } from "./test-mode-value-valid";

export { credentialsSecretInProd, environmentsDoNotCross, noTestModeInProd, providerKeyVariableInProd, secretsAreSecret, testModeValueValid };

export const policies: Policies = [
  noTestModeInProd,
  testModeValueValid,
  environmentsDoNotCross,
  credentialsSecretInProd,
  secretsAreSecret,
  providerKeyVariableInProd,
];
