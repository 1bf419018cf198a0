/** Where the emulator serves each surface, in either layout (app.ts); kept apart so light clients need not load it. */

/** One port: core-api's own surface beside the combined one (`platos:coreApiUrl` = URL + this). */
export const CORE_API_PREFIX = "/core";

/** A request's path as its surface names it: core-api's without the prefix one port serves them below. */
export const pathOnItsSurface = (path: string): string => (path.startsWith(`${CORE_API_PREFIX}/`) ? path.slice(CORE_API_PREFIX.length) : path);

/**
 * Two ports: where the agent app serves the emulator's V1 contract, the admin surface tests and tools use to look
 * behind the provider's back: below this prefix, since core-api's paths (`/api/v1/projects`,
 * `/api/v1/environments/:id/variables`) are not the agent app's to answer.
 */
export const V1_CONTRACT_PREFIX = "/emulator";
