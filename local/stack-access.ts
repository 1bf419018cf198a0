/**
 * What a stack needs to reach a local emulator on each protocol. V1: the admin token. Platform: real Platos makes a
 * project's first environment with the project and a platform team pins its tokens there; here that environment
 * is made through the V1 route when missing, and a `plt_mcp_` token pinned to it is minted through core-api with
 * the admin token acting as the operator session, which is also given as the operator token. On platform, core-api
 * is reached at its own URL (the emulator's core-api surface), as on a real deployment.
 * A client of the emulator, not part of it (it calls only routes any caller may): used by the main job
 * (scripts/run-stacks.ts), `npm run emulator:token`, the benchmarks and the tests.
 */
import { createClient } from "../provider/client";
import type { Environment } from "../provider/client/schemas";
import type { PlatosSettings, Protocol } from "../provider/platos";
import { coreApiClient } from "../provider/platos/platform/core-api";
import { CORE_API_PREFIX } from "../emulator/app";
import { STACK_TOKEN_PERMISSIONS } from "../provider/platos/platform/scopes";

export interface EmulatorAdmin {
  readonly url: string;
  readonly adminToken: string;
  /** Where core-api is, when it has a port of its own; below `/core` on `url` when absent. */
  readonly coreApiUrl?: string;
  /** Where the emulator's V1 contract is, when not at `url` (the two-port layout serves it below `/emulator`). */
  readonly v1Url?: string;
}

export interface StackAccess {
  readonly settings: PlatosSettings;
  /** On platform: the environment the token is pinned to. */
  readonly home?: Environment;
}

export interface StackAccessOptions {
  /** Where the provider sends its requests (e.g. a recorder in front of the emulator); the emulator's URL by default. */
  readonly apiUrl?: string;
  /** Platform: where core-api calls go; the emulator's core-api surface behind `apiUrl` by default. */
  readonly coreApiUrl?: string;
  /** Platform: the slug of the environment the token is pinned to (made when missing). */
  readonly home?: string;
  /** Platform: give the admin token as platos:operatorToken (default true). */
  readonly operator?: boolean;
  /** Platform: the minted token's label. */
  readonly tokenName?: string;
}

export const DEFAULT_PROJECT = "default";

/** Where the emulator behind `url` serves core-api apart from the agent app, as a real deployment does. */
export const coreApiUrlOfEmulator = (url: string): string => `${url}${CORE_API_PREFIX}`;

/** A `plt_mcp_` token pinned to `environmentId`, allowed the tools the provider calls unless told otherwise. */
export async function mintStackToken(
  emulator: EmulatorAdmin,
  environmentId: string,
  options: { readonly name?: string; readonly permissions?: readonly string[] } = {},
): Promise<string> {
  const operator = coreApiClient({ apiUrl: emulator.coreApiUrl ?? coreApiUrlOfEmulator(emulator.url), token: emulator.adminToken });
  const permissions = [...(options.permissions ?? STACK_TOKEN_PERMISSIONS)];
  return (await operator.mintToken({ environmentId, name: options.name ?? "stack", permissions })).token;
}

export async function stackAccess(emulator: EmulatorAdmin, protocol: Protocol, options: StackAccessOptions = {}): Promise<StackAccess> {
  const apiUrl = options.apiUrl ?? emulator.url;
  if (protocol === "v1") return { settings: { protocol, apiUrl, token: emulator.adminToken, operatorToken: undefined } };
  const admin = createClient({ apiUrl: emulator.v1Url ?? emulator.url, token: emulator.adminToken });
  const slug = options.home ?? "home";
  const home = (await admin.environments.findBySlug(DEFAULT_PROJECT, slug)) ?? (await admin.environments.create(DEFAULT_PROJECT, { slug }));
  const token = await mintStackToken(emulator, home.id, { name: options.tokenName });
  const operatorToken = options.operator === false ? undefined : emulator.adminToken;
  // Reaching the emulator itself, core-api is where it says; through a proxy, below the proxy's URL unless told.
  const coreApiUrl = options.coreApiUrl ?? (options.apiUrl === undefined ? emulator.coreApiUrl : undefined) ?? coreApiUrlOfEmulator(apiUrl);
  return { settings: { protocol, apiUrl, coreApiUrl, token, operatorToken }, home };
}

/** The same settings as stack config (`platos:*` keys), for a provider's `configure` or a stack file. */
export function stackConfig(settings: PlatosSettings): Record<string, string> {
  return {
    "platos:protocol": settings.protocol,
    "platos:apiUrl": settings.apiUrl,
    ...(settings.coreApiUrl === undefined ? {} : { "platos:coreApiUrl": settings.coreApiUrl }),
    "platos:token": settings.token,
    ...(settings.operatorToken === undefined ? {} : { "platos:operatorToken": settings.operatorToken }),
  };
}
