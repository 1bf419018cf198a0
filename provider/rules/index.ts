/** Rules shared with the policy pack, loadable without the Pulumi SDK. */
export * from "./test-mode";
export * from "../tokens";
