/** pulumi-platos: Pulumi resources for Platos environments, environment variables, agents and provider keys. */
export { Environment, type EnvironmentArgs } from "./resources/environment";
export { EnvironmentVariable, type EnvironmentVariableArgs } from "./resources/environment-variable";
export { EnvironmentVariables, type EnvironmentVariablesArgs, type VariableMapInput } from "./resources/environment-variables";
export { Agent, type AgentArgs } from "./resources/agent";
export { ProviderKey, type ProviderKeyArgs } from "./resources/provider-key";
export { agentArgsFrom, getAgent, getAgentOutput, type AgentDefinition, type GetAgentArgs } from "./functions/get-agent";
export { typeTokens, TOKEN_MODULE } from "./registry";
export * as rules from "./rules";
export type { AgentBehaviourShape, JsonObject, MetaToolName, PromptBlock } from "./resources/public-shapes";
// The typed HTTP client is `pulumi-platos/client`: its types come from zod, which a project needs esModuleInterop for.
