/**
 * Names a recorded request by what it did: a platform gateway call by its tool (`tools/call agents.create`), any
 * other by method and route template from the client's route tables (`PUT /api/v1/environments/:environmentId/variables/:key`).
 */
import { pathOnItsSurface } from "../../emulator/layout";
import { coreApiRoutes } from "../../provider/client/platform/core-api";
import { routes } from "../../provider/client/routes";
import type { RecordedRequest } from "../../test/helpers/request-recorder";

interface Template {
  readonly method: string;
  readonly path: string;
  readonly pattern: RegExp;
  readonly params: number;
}

const templates: readonly Template[] = [...Object.values(routes), ...Object.values(coreApiRoutes)]
  .map(({ method, path }) => ({
    method,
    path,
    pattern: new RegExp(`^${path.replace(/:[A-Za-z]+/g, "[^/]+")}$`),
    params: (path.match(/:/g) ?? []).length,
  }))
  // A literal segment wins over a parameter: `/environments/by-slugs` before `/environments/:environmentId`.
  .sort((a, b) => a.params - b.params);

export function routeOf(request: RecordedRequest): string {
  if (request.rpc) return request.rpc.tool === undefined ? request.rpc.method : `${request.rpc.method} ${request.rpc.tool}`;
  const path = pathOnItsSurface(request.path);
  const template = templates.find((t) => t.method === request.method && t.pattern.test(path));
  return `${request.method} ${template?.path ?? `${request.path} (no route)`}`;
}

/** Requests counted by route, most frequent first. */
export function countByRoute(requests: readonly RecordedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const route = routeOf(request);
    counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  return new Map([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}
