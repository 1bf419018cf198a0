import type { CreateToken } from "./schemas";
import type { Transport } from "./route-caller";

/** Scoped API tokens (admin only). */
export function tokensApi(transport: Transport) {
  return {
    create: (body: CreateToken): Promise<{ id: string; token: string }> => transport.call("createToken", { body }).then((r) => r.data),
    revoke: (tokenId: string): Promise<void> => transport.call("revokeToken", { params: { tokenId } }),
  };
}
export type TokensApi = ReturnType<typeof tokensApi>;
