import type { FastifyInstance } from "fastify";
import { MAX_PAGE_LIMIT, type ProviderKey } from "../../provider/client/schemas";
import { principalName } from "../access";
import { PlatosError } from "../errors";
import type { StoredProviderKey } from "../store/provider-keys";
import { wholePage } from "../store/pagination";
import { defineRoute } from "./define";
import { collectionOf, item } from "./envelopes";
import { reachableEnvironment } from "./lookups";
import { unlessRefused } from "./refusals";

const notFound = () => new PlatosError("PROVIDER_KEY_NOT_FOUND", "no such provider key in this environment");

/** The contract's resource: which variable row holds the material is the emulator's business. */
const resourceOf = ({ credentialId: _credential, ...key }: StoredProviderKey): ProviderKey => key;

export function providerKeyRoutes(api: FastifyInstance): void {
  defineRoute(api, "listProviderKeys", async ({ params, query, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const keys = (await store.providerKeys.list(environment.id, query)).map(resourceOf);
    return { status: 200, body: collectionOf(wholePage(keys, MAX_PAGE_LIMIT)) };
  });

  defineRoute(api, "createProviderKey", async ({ params, body, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const key = unlessRefused(await store.providerKeys.create(environment.id, { ...body, isDefault: body.isDefault ?? false }, principalName(principal)));
    return { status: 201, body: item(resourceOf(key)) };
  });

  defineRoute(api, "getProviderKey", async ({ params, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const key = await store.providerKeys.get(environment.id, params.keyId);
    if (!key) throw notFound();
    return { status: 200, body: item(resourceOf(key)) };
  });

  defineRoute(api, "updateProviderKey", async ({ params, body, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    const updated = unlessRefused(await store.providerKeys.update(environment.id, params.keyId, body));
    if (!updated) throw notFound();
    return { status: 200, body: item(resourceOf(updated.key)) };
  });

  defineRoute(api, "deleteProviderKey", async ({ params, principal, store }) => {
    const environment = await reachableEnvironment(store, principal, params.environmentId);
    if (!unlessRefused(await store.providerKeys.delete(environment.id, params.keyId))) throw notFound();
    return { status: 204 };
  });
}
