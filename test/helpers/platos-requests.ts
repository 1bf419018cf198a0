/**
 * Which Platos call a request reaching the emulator is, on either protocol: a V1 route (core-api's PUT of a PLAIN
 * variable is one, served below CORE_API_PREFIX), or a tool called through the platform gateway. For fault hooks
 * that pick the request to break.
 */
import type { FastifyRequest } from "fastify";
import { pathOnItsSurface } from "../../emulator/layout";
import { PLATFORM_PATH } from "../../provider/client/platform/jsonrpc";

export type RequestMatcher = (request: FastifyRequest) => boolean;

/** `method` on a path `v1Path` matches, or a gateway call of `tool`. */
const callOf =
  (method: string, v1Path: RegExp, tool?: string): RequestMatcher =>
  (request) => {
    const path = pathOnItsSurface(request.url.split("?")[0] ?? "");
    if (path === PLATFORM_PATH) return tool !== undefined && (request.body as { params?: { name?: unknown } } | undefined)?.params?.name === tool;
    return request.method === method && v1Path.test(path);
  };

export const agentCreate = callOf("POST", /^\/api\/v1\/environments\/[^/]+\/agents$/, "agents.create");
export const environmentCreate = callOf("POST", /^\/api\/v1\/projects\/[^/]+\/environments$/, "environments.create");

const VARIABLE_PATH = /^\/api\/v1\/environments\/[^/]+\/variables\/[^/]+$/;
/** A variable write: V1's PUT (core-api's, for a PLAIN value on platform), or environments.set_secret. */
export const variableWrite = callOf("PUT", VARIABLE_PATH, "environments.set_secret");
/** A SECRET variable write: environments.set_secret, or V1's PUT with `secret: true`. */
export const secretWrite: RequestMatcher = (request) =>
  variableWrite(request) && (request.url === PLATFORM_PATH || (request.body as { secret?: unknown } | undefined)?.secret === true);
