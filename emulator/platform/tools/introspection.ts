/** platos.whoami and platos.list_accessible_scopes: what the token is, from the verified token alone. */
import type { ToolHandlers } from "./context";

export const introspectionTools: ToolHandlers<"platos.whoami" | "platos.list_accessible_scopes"> = {
  "platos.whoami": async (_args, { token }) => ({
    scope: token.scope,
    mintedByUserId: token.mintedBy,
    permissions: [...token.permissions],
    expiresAt: token.expiresAt,
  }),
  "platos.list_accessible_scopes": async (_args, { token }) => ({ scopes: [token.scope] }),
};
