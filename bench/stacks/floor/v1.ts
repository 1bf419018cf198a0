/** The floor on the V1 REST API: one request per object written, one listing per collection, one cascading delete. */
import { PROJECT } from "../scenario";
import type { FloorHttp } from "./http";
import type { FloorCalls, FloorCallsFactory } from "./protocol";

const V1 = "/api/v1";
const LIST_LIMIT = 200;

interface Page {
  readonly page?: { readonly nextCursor: string | null };
}

async function listAll(http: FloorHttp, token: string, path: string): Promise<void> {
  let cursor: string | null = null;
  do {
    const query: string = `?limit=${LIST_LIMIT}${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page: Page = await http.send<Page>({ method: "GET", path: `${path}${query}`, token });
    cursor = page.page?.nextCursor ?? null;
  } while (cursor !== null);
}

/** The variable routes, which core-api serves at the same paths (the platform floor uses them for PLAIN values). */
export const v1Variables = (http: FloorHttp, token: string) => ({
  async put(environmentId: string, key: string, value: string, secret: boolean): Promise<void> {
    await http.send({ method: "PUT", path: `${V1}/environments/${environmentId}/variables/${key}`, token, body: { value, secret }, idempotent: true });
  },
  // Not paginated: one request returns every variable.
  list: (environmentId: string): Promise<void> => http.send({ method: "GET", path: `${V1}/environments/${environmentId}/variables`, token }),
});

export const v1FloorCalls: FloorCallsFactory = (http, tokens): FloorCalls => {
  const token = tokens.api;
  const variables = v1Variables(http, token);
  return {
    async createEnvironment(slug) {
      const created = await http.send<{ data: { id: string } }>({
        method: "POST",
        path: `${V1}/projects/${PROJECT}/environments`,
        token,
        body: { slug },
        idempotent: true,
      });
      return created.data.id;
    },
    putVariable: variables.put,
    async createAgent(environmentId, slug, name, model) {
      const body = { slug, name, model };
      const created = await http.send<{ data: { id: string } }>({
        method: "POST",
        path: `${V1}/environments/${environmentId}/agents`,
        token,
        body,
        idempotent: true,
      });
      return created.data.id;
    },
    listEnvironments: () => listAll(http, token, `${V1}/projects/${PROJECT}/environments`),
    listVariables: variables.list,
    listAgents: (environmentId) => listAll(http, token, `${V1}/environments/${environmentId}/agents`),
    async destroyEnvironment(environmentId) {
      // Deleting an environment deletes its variables and agents with it.
      await http.send({ method: "DELETE", path: `${V1}/environments/${environmentId}`, token, idempotent: true });
    },
  };
};
