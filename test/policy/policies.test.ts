import { strict as assert } from "node:assert";
import { policies } from "../../policy/policies";

const EXPECTED = [
  { name: "no-test-mode-in-prod", enforcementLevel: "mandatory", severity: "critical" },
  { name: "test-mode-value-valid", enforcementLevel: "mandatory", severity: "high" },
  { name: "environments-do-not-cross", enforcementLevel: "mandatory", severity: "high" },
  { name: "credentials-secret-in-prod", enforcementLevel: "mandatory", severity: "high" },
  { name: "secrets-are-secret", enforcementLevel: "advisory", severity: "medium" },
  { name: "provider-key-variable-in-prod", enforcementLevel: "mandatory", severity: "high" },
];

describe("policy list", () => {
  it("has the six policies with their levels and severities", () => {
    assert.deepEqual(
      policies.map(({ name, enforcementLevel, severity }) => ({ name, enforcementLevel, severity })),
      EXPECTED,
    );
  });

  it("gives every policy a description and remediation text", () => {
    for (const policy of policies) {
      assert.ok(policy.description.length > 20, policy.name);
      assert.ok((policy.remediationSteps ?? "").length > 20, policy.name);
    }
  });
});
