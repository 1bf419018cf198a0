/** The pack's entry point, run by `pulumi preview --policy-pack ./policy`: starts the analyzer server. */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("platos-policy", {
  description: "Platos guard rails: PLATOS_TEST_MODE never reaches production, and stacks do not cross environments.",
  enforcementLevel: "advisory",
  policies,
});
