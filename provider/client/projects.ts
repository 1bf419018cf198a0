import { collect, paginate } from "./paginate";
import type { CreateProject, Project } from "./schemas";
import type { Transport } from "./route-caller";

export function projectsApi(transport: Transport) {
  return {
    list: (): Promise<Project[]> => collect(paginate((cursor) => transport.call("listProjects", { query: { cursor, limit: 200 } }))),
    get: (projectRef: string): Promise<Project> => transport.call("getProject", { params: { projectRef } }).then((r) => r.data),
    create: (body: CreateProject): Promise<Project> => transport.call("createProject", { body }).then((r) => r.data),
  };
}
export type ProjectsApi = ReturnType<typeof projectsApi>;
