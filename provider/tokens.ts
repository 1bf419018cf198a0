/**
 * The Pulumi type tokens of the Platos resources: the only place they are spelled. The resource classes and the
 * policy pack both read them. Dynamic resources get `pulumi-nodejs:dynamic/<module>:<type>`.
 */
export const TOKEN_MODULE = "platos";

export const typeTokens = {
  Environment: `pulumi-nodejs:dynamic/${TOKEN_MODULE}:Environment`,
  EnvironmentVariable: `pulumi-nodejs:dynamic/${TOKEN_MODULE}:EnvironmentVariable`,
  EnvironmentVariables: `pulumi-nodejs:dynamic/${TOKEN_MODULE}:EnvironmentVariables`,
  Agent: `pulumi-nodejs:dynamic/${TOKEN_MODULE}:Agent`,
  ProviderKey: `pulumi-nodejs:dynamic/${TOKEN_MODULE}:ProviderKey`,
} as const;

export type PlatosTypeName = keyof typeof typeTokens;
export type PlatosTypeToken = (typeof typeTokens)[PlatosTypeName];

export const allTypeTokens: readonly string[] = Object.values(typeTokens);
