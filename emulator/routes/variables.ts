import type { FastifyInstance } from "fastify";
import { MAX_PAGE_LIMIT } from "../../provider/client/schemas";
import { principalName } from "../access";
import { PlatosError } from "../errors";
import { wholePage } from "../store/pagination";
import { defineRoute } from "./define";
import { collectionOf, item } from "./envelopes";
import { reachableEnvironment } from "./lookups";

const notFound = (key: string) => new PlatosError("ENVIRONMENT_VARIABLE_UNAVAILABLE", `no variable ${key} in this environment`);

export function variableRoutes(api: FastifyInstance): void {
  defineRoute(api, "listVariables", async ({ params, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    // The whole collection in one page; PageBlock.limit cannot exceed MAX_PAGE_LIMIT, so that is what it reports.
    return { status: 200, body: collectionOf(wholePage(await store.variables.list(environment.id), MAX_PAGE_LIMIT)) };
  });

  defineRoute(api, "getVariable", async ({ params, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const variable = await store.variables.get(environment.id, params.key);
    if (!variable) throw notFound(params.key);
    return { status: 200, body: item(variable) };
  });

  defineRoute(api, "putVariable", async ({ params, body, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const { variable, created } = await store.variables.put(
      environment.id,
      params.key,
      { value: body.value, secret: body.secret ?? false },
      principalName(principal),
    );
    return { status: created ? 201 : 200, body: item(variable) };
  });

  defineRoute(api, "deleteVariable", async ({ params, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    if (!(await store.variables.delete(environment.id, params.key))) throw notFound(params.key);
    return { status: 204 };
  });
}
