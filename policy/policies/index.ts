/** Every policy of the pack, in the order they run and report. Importing this starts no analyzer server. */
import type { Policies } from "@pulumi/policy";
import { environmentsDoNotCross } from "./environments-do-not-cross";
import { noTestModeInProd } from "./no-test-mode-in-prod";
import { secretsAreSecret } from "./secrets-are-secret";
import { testModeValueValid } from "./test-mode-value-valid";

export { environmentsDoNotCross, noTestModeInProd, secretsAreSecret, testModeValueValid };

export const policies: Policies = [noTestModeInProd, testModeValueValid, environmentsDoNotCross, secretsAreSecret];
