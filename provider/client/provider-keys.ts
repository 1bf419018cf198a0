import type { CreateProviderKey, ProviderKey, UpdateProviderKey } from "./schemas";
import type { Transport } from "./route-caller";

export function providerKeysApi(transport: Transport) {
  return {
    /** The whole collection, oldest first: provider key listings are not paginated. */
    list: (environmentId: string, filter: { provider?: string } = {}): Promise<ProviderKey[]> =>
      transport.call("listProviderKeys", { params: { environmentId }, query: { provider: filter.provider } }).then((r) => r.data),
    get: (environmentId: string, keyId: string): Promise<ProviderKey> =>
      transport.call("getProviderKey", { params: { environmentId, keyId } }).then((r) => r.data),
    /** A key with `isDefault` becomes its provider's only default. */
    create: (environmentId: string, body: CreateProviderKey): Promise<ProviderKey> =>
      transport.call("createProviderKey", { params: { environmentId }, body }).then((r) => r.data),
    /** Rotation: `envVarName` points the key at another variable; `label` and `isDefault` change in place. */
    update: (environmentId: string, keyId: string, body: UpdateProviderKey): Promise<ProviderKey> =>
      transport.call("updateProviderKey", { params: { environmentId, keyId }, body }).then((r) => r.data),
    /** Refused with 409 PROVIDER_KEY_PINNED while an agent's configuration names the key. */
    delete: (environmentId: string, keyId: string): Promise<void> => transport.call("deleteProviderKey", { params: { environmentId, keyId } }),
  };
}
export type ProviderKeysApi = ReturnType<typeof providerKeysApi>;
