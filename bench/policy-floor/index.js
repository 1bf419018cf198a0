// The policy pack floor: what starting a Node policy pack and answering Analyze costs with no rule behind it.
// Plain JavaScript, so no TypeScript compile stands between the runner and the pack (platos-policy runs built JS too).
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("bench-policy-floor", {
  policies: [{ name: "looks-at-nothing", description: "Looks at nothing.", enforcementLevel: "mandatory", validateResource: () => undefined }],
});
