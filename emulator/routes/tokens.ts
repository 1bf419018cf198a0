import type { FastifyInstance } from "fastify";
import { requireAdmin } from "../access";
import { hashToken, newApiToken } from "../crypto";
import { PlatosError } from "../errors";
import { defineRoute } from "./define";
import { item } from "./envelopes";

export function tokenRoutes(api: FastifyInstance): void {
  defineRoute(api, "createToken", async ({ body, principal, store }) => {
    requireAdmin(principal);
    const project = await store.projects.findByRef(body.project);
    if (!project) throw new PlatosError("TENANCY_NOT_FOUND", "project not found");
    const token = newApiToken();
    const { id } = await store.tokens.create({ name: body.name, projectId: project.id, environments: body.environments, tokenHash: hashToken(token) });
    return { status: 201, body: item({ id, token }) };
  });

  defineRoute(api, "revokeToken", async ({ params, principal, store }) => {
    requireAdmin(principal);
    if (!(await store.tokens.revoke(params.tokenId))) throw new PlatosError("TENANCY_NOT_FOUND", "no live token with this id");
    return { status: 204 };
  });
}
