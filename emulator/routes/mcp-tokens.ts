/**
 * core-api's `plt_mcp_` token lifecycle under `/mcp/platform/tokens`. It takes an operator session, which here is
 * the admin token; minting needs an Idempotency-Key, and a replay answers the same token (the idempotency record
 * holding it is sealed).
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { MCP_TOKEN_DEFAULT_TTL_SECONDS, MCP_TOKEN_PREFIX } from "../../provider/client/platform/core-api";
import { ADMIN, principalName, requireAdmin } from "../access";
import { hashToken } from "../crypto";
import { PlatosError } from "../errors";
import { defineCoreRoute } from "./define";
import { item } from "./envelopes";
import { operatorEnvironment } from "./lookups";
import { paged } from "./paging";

const newMcpToken = (): string => `${MCP_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;

export function mcpTokenRoutes(api: FastifyInstance): void {
  defineCoreRoute(api, "mintMcpToken", async ({ body, principal, store }) => {
    requireAdmin(principal);
    const environment = await operatorEnvironment(store, ADMIN, body.environmentId);
    const token = newMcpToken();
    const minted = await store.mcpTokens.create({
      environmentId: environment.id,
      name: body.name,
      permissions: body.permissions,
      tier: body.tier ?? "scope",
      tokenHash: hashToken(token),
      mintedBy: principalName(principal),
      ttlSeconds: body.ttlSeconds ?? MCP_TOKEN_DEFAULT_TTL_SECONDS,
    });
    const { tokenId, label, permissions, tier, expiresAt, createdAt } = minted;
    return { status: 201, body: item({ tokenId, token, label, permissions, tier, expiresAt, createdAt }) };
  });

  defineCoreRoute(api, "listMcpTokens", async ({ query, principal, store }) => {
    requireAdmin(principal);
    const environment = await operatorEnvironment(store, ADMIN, query.environmentId);
    const { items, page, total } = await store.mcpTokens.list(environment.id, paged(query));
    return { status: 200, body: { data: items, page: { ...page, total } } };
  });

  defineCoreRoute(api, "revokeMcpToken", async ({ params, body, principal, store }) => {
    requireAdmin(principal);
    const revoked = await store.mcpTokens.revoke(params.tokenId, body.environmentId, principalName(principal));
    if (!revoked) throw new PlatosError("CREDENTIAL_NOT_FOUND", "no MCP token with this id in this environment");
    const { tokenId, label, revokedAt, revokedBy } = revoked.token;
    return {
      status: 200,
      body: item({
        tokenId,
        label,
        revokedAt: revokedAt ?? new Date().toISOString(),
        newlyRevoked: revoked.newlyRevoked,
        previousState: revoked.previousState,
        revokedBy,
      }),
    };
  });
}
