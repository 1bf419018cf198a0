import { collect, paginate } from "./paginate";
import type { CreateEnvironment, Environment, UpdateEnvironment } from "./schemas";
import type { Transport } from "./route-caller";

export function environmentsApi(transport: Transport) {
  const list = (projectRef: string, filter: { slug?: string } = {}): Promise<Environment[]> =>
    collect(paginate((cursor) => transport.call("listEnvironments", { params: { projectRef }, query: { cursor, limit: 200, slug: filter.slug } })));
  return {
    list,
    /** The live environment with this slug, or undefined. */
    findBySlug: async (projectRef: string, slug: string): Promise<Environment | undefined> =>
      (await list(projectRef, { slug })).find((env) => env.slug === slug),
    get: (environmentId: string): Promise<Environment> => transport.call("getEnvironment", { params: { environmentId } }).then((r) => r.data),
    create: (projectRef: string, body: CreateEnvironment): Promise<Environment> =>
      transport.call("createEnvironment", { params: { projectRef }, body }).then((r) => r.data),
    update: (environmentId: string, body: UpdateEnvironment): Promise<Environment> =>
      transport.call("updateEnvironment", { params: { environmentId }, body }).then((r) => r.data),
    delete: (environmentId: string): Promise<void> => transport.call("deleteEnvironment", { params: { environmentId } }),
  };
}
export type EnvironmentsApi = ReturnType<typeof environmentsApi>;
