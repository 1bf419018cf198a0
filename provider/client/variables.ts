import type { EnvironmentVariable, PutVariable } from "./schemas";
import type { Transport } from "./route-caller";

export function variablesApi(transport: Transport) {
  return {
    /** The whole collection: variable listings are not paginated. */
    list: (environmentId: string): Promise<EnvironmentVariable[]> => transport.call("listVariables", { params: { environmentId } }).then((r) => r.data),
    get: (environmentId: string, key: string): Promise<EnvironmentVariable> =>
      transport.call("getVariable", { params: { environmentId, key } }).then((r) => r.data),
    /** Upsert: creates the variable or writes a new version of it. */
    put: (environmentId: string, key: string, body: PutVariable): Promise<EnvironmentVariable> =>
      transport.call("putVariable", { params: { environmentId, key }, body }).then((r) => r.data),
    delete: (environmentId: string, key: string): Promise<void> => transport.call("deleteVariable", { params: { environmentId, key } }),
  };
}
export type VariablesApi = ReturnType<typeof variablesApi>;
