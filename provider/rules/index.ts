/** Rules shared with the policy pack, loadable without the Pulumi SDK. */
export * from "./production";
export * from "./provider-identity";
export * from "./test-mode";
export { allTypeTokens, PLATOS_TYPE_NAMES, TOKEN_MODULE, typeTokens, type PlatosTypeName, type PlatosTypeToken } from "../registry";
