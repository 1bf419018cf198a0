// The policy pack floor: what starting a Node policy pack and answering Analyze costs with no rule behind it.
// Plain JavaScript, so no TypeScript compile stands between the runner and the pack (platos-policy runs built JS too).
// BENCH_POLICY_FLOOR_POLICIES (default 1) sets how many policies that look at nothing it serves: with as many as
// platos-policy has, it is the SDK's own cost of that many policies per resource.
const { PolicyPack } = require("@pulumi/policy");

const count = Number(process.env.BENCH_POLICY_FLOOR_POLICIES ?? "1");
new PolicyPack("bench-policy-floor", {
  policies: Array.from({ length: count }, (_, i) => ({
    name: `looks-at-nothing-${i + 1}`,
    description: "Looks at nothing.",
    enforcementLevel: "mandatory",
    validateResource: () => undefined,
  })),
});
