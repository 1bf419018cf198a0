/**
 * The agent app's provider-key routes under `/api/v1/agent/providers/keys` (apps/agent providers.controller.ts@2235b98b:
 * GET list, POST linked, POST byok, POST :id/rotate-secret, DELETE :id), over the store the gateway's `providers.*`
 * tools use, answering with the controller's bodies (`{key}`, `{keys, items, ...}`, `{deleted: true}`, the
 * `{error}` bodies of throwProviderKeyError, and Nest's `{statusCode, message}` for an HttpException(string)).
 *
 * ScopeGuard (apps/agent/src/auth/scope.guard.ts) lets through an `X-Platos-Session-Token`; here a session is one
 * the emulator opened with `POST /emulator/agent-sessions` (admin token only, standing in for the platform signing
 * one), scoped to one environment, an operator's or an end user's. Without one, ScopeGuard's refusals: through the
 * public proxy (`X-Forwarded-For`) any other credential is refused; directly, the four scope headers without the
 * internal control-plane token or an access key are refused, and nothing at all is refused.
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { CoreRouteSpec } from "../../provider/client/platform/core-api";
import { ItemEnvelope } from "../../provider/client/schemas";
import { ADMIN, principalName, requireAdmin } from "../access";
import { hashToken } from "../crypto";
import type { Store } from "../store";
import { isRefusal, type Refusal } from "../store/refusals";
import type { StoredProviderKey } from "../store/provider-keys";
import { SCOPE_GUARD_MESSAGES } from "../service-refusals";
import { defineSpecRoute } from "./define";
import { item } from "./envelopes";
import { reachableEnvironment } from "./lookups";

const AGENT_KEYS_PATH = "/api/v1/agent/providers/keys";

/** A session the agent app takes: whose (an operator's, or an entity end user's) and which environment it scopes. */
export interface AgentSession {
  readonly environmentId: string;
  readonly principal: "operator" | "end-user";
}

/** Sessions opened by `POST /emulator/agent-sessions`, by token hash; in memory, as operator sessions are. */
export class AgentSessions {
  private readonly byHash = new Map<string, AgentSession>();

  open(session: AgentSession): string {
    const token = `pes_${randomBytes(24).toString("base64url")}`;
    this.byHash.set(hashToken(token), session);
    return token;
  }

  find(token: string): AgentSession | undefined {
    return this.byHash.get(hashToken(token));
  }
}

const OpenAgentSessionRequest = z.strictObject({ environmentId: z.string().min(1), endUser: z.boolean().optional() });

const agentSessionEmulatorRoutes = {
  openAgentSession: {
    method: "POST",
    path: "/emulator/agent-sessions",
    success: [201],
    body: OpenAgentSessionRequest,
    response: ItemEnvelope(z.object({ token: z.string() })),
  },
} as const satisfies Record<string, CoreRouteSpec>;

/** The emulator's own route that opens a session for the agent app's routes (admin token only). */
export function agentSessionRoutes(api: FastifyInstance, sessions: AgentSessions): void {
  defineSpecRoute(api, agentSessionEmulatorRoutes.openAgentSession, async ({ body, principal, store }) => {
    requireAdmin(principal);
    const environment = await reachableEnvironment(store, principal, body.environmentId);
    const token = sessions.open({ environmentId: environment.id, principal: body.endUser === true ? "end-user" : "operator" });
    return { status: 201 as const, body: item({ token }) };
  });
}

const MAX_PLAINTEXT = 16_384;
const SCOPE_HEADERS = ["x-platos-organization-id", "x-platos-project-id", "x-platos-environment-id", "x-platos-user-id"] as const;

/** A refusal already sent: the handler stops. */
class Answered extends Error {}

function send(reply: FastifyReply, status: number, body: unknown): never {
  void reply.code(status).type("application/json; charset=utf-8").send(body);
  throw new Answered();
}

/** Nest's rendering of `HttpException(message, status)` and of `UnauthorizedException(message)`. */
const nest = (reply: FastifyReply, status: number, message: string): never => send(reply, status, { statusCode: status, message });
const unauthorized = (reply: FastifyReply, message: string): never => send(reply, 401, { message, error: "Unauthorized", statusCode: 401 });

/** `operatorScope`: ScopeGuard's getScope, then requireOperator; the environment the session scopes. */
function operatorScope(request: FastifyRequest, reply: FastifyReply, sessions: AgentSessions): string {
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return typeof value === "string" && value.length > 0 ? value : undefined;
  };
  const token = header("x-platos-session-token");
  if (token !== undefined) {
    const session = sessions.find(token);
    if (!session) unauthorized(reply, "Invalid or expired session token");
    if (session!.principal !== "operator") {
      send(reply, 403, {
        error: "OPERATOR_ONLY",
        message: "This endpoint requires an operator (control-plane) credential. End-user / entity / guest tokens are not permitted.",
      });
    }
    return session!.environmentId;
  }
  if (header("x-forwarded-for") !== undefined) unauthorized(reply, SCOPE_GUARD_MESSAGES.viaProxy);
  if (SCOPE_HEADERS.every((name) => header(name) !== undefined)) {
    // The emulator has neither the internal control-plane token nor access keys: direct scope headers never pass.
    send(reply, 401, {
      error: "INVALID_ACCESS_KEY",
      message: "Operator access via direct scope headers requires a configured X-Platos-Api-Key or the internal control-plane token.",
    });
  }
  return unauthorized(reply, SCOPE_GUARD_MESSAGES.direct);
}

/** providers.controller.ts throwProviderKeyError. */
function keyRefused(reply: FastifyReply, refusal: Refusal): never {
  switch (refusal.refused) {
    case "label_taken":
      return send(reply, 409, { error: "already_exists" });
    case "credential_unavailable":
      return send(reply, 404, { error: "credential_unavailable" });
    case "pinned_by_agents":
      // The reference query ends in LIMIT 1 (provider-key.service.ts delete).
      return send(reply, 409, { error: "pinned_agents", pinnedAgents: Math.min(refusal.agents.length, 1) });
    default:
      throw new Error(`unexpected refusal ${refusal.refused}`);
  }
}

const notFound = (reply: FastifyReply): never => send(reply, 404, { error: "not_found" });

/** provider-key.service.ts toView. */
const view = (key: StoredProviderKey) => ({
  id: key.id,
  environmentId: key.environmentId,
  credentialId: key.credentialId,
  provider: key.provider,
  label: key.label,
  envVarName: key.envVarName,
  isDefault: key.isDefault,
  createdBy: key.createdBy,
  lastUsedAt: key.lastUsedAt,
  createdAt: key.createdAt,
  updatedAt: key.updatedAt,
});

const bodyOf = (request: FastifyRequest): Record<string, unknown> =>
  request.body !== null && typeof request.body === "object" && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
const trimmed = (value: unknown): string => (typeof value === "string" ? value.trim() : "");
const isPlaintext = (value: unknown): value is string => typeof value === "string" && value.length >= 1 && value.length <= MAX_PLAINTEXT;

/** A non-negative integer query value, or the fallback. */
function count(value: unknown, fallback: number): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : fallback;
}

/** parsePageRequest and the page answer of the agent app's list routes. */
function page(keys: readonly StoredProviderKey[], query: Record<string, unknown>) {
  const limit = Math.min(Math.max(count(query["limit"], 25), 1), 100);
  const pageNumber = Math.max(count(query["page"], 1), 1);
  const offset = query["offset"] !== undefined ? count(query["offset"], 0) : (pageNumber - 1) * limit;
  const search = trimmed(query["search"]) || null;
  const needle = search?.toLowerCase();
  const matching = needle === undefined ? keys : keys.filter((k) => [k.provider, k.label, k.envVarName].some((field) => field.toLowerCase().includes(needle)));
  const total = matching.length;
  const rows = matching.slice(offset, offset + limit).map(view);
  const current = Math.floor(offset / limit) + 1;
  const totalPages = Math.max(Math.ceil(total / limit), 1);
  return {
    keys: rows,
    items: rows,
    total,
    limit,
    offset,
    hasMore: offset + rows.length < total,
    pagination: {
      page: current,
      pageSize: limit,
      total,
      totalPages,
      from: rows.length === 0 ? 0 : offset + 1,
      to: offset + rows.length,
      hasPrevious: offset > 0,
      hasNext: offset + rows.length < total,
      isFirstPage: current === 1,
      isLastPage: current >= totalPages,
    },
    filters: { search },
  };
}

/** listPage's order: provider, default first, oldest, id. */
const listOrder = (a: StoredProviderKey, b: StoredProviderKey): number =>
  a.provider.localeCompare(b.provider) || Number(b.isDefault) - Number(a.isDefault) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

export function agentProviderKeyRoutes(app: FastifyInstance, store: Store, sessions: AgentSessions): void {
  const route = (
    method: "GET" | "POST" | "DELETE",
    url: string,
    handle: (request: FastifyRequest, reply: FastifyReply, environmentId: string) => Promise<unknown>,
  ) =>
    app.route({
      method,
      url,
      handler: async (request, reply) => {
        try {
          const environmentId = operatorScope(request, reply, sessions);
          const body = await handle(request, reply, environmentId);
          return reply.code(method === "POST" ? 201 : 200).send(body);
        } catch (err) {
          if (err instanceof Answered) return reply;
          throw err;
        }
      },
    });
  const createdBy = principalName(ADMIN);

  route("GET", AGENT_KEYS_PATH, async (request, _reply, environmentId) => {
    const keys = [...(await store.providerKeys.list(environmentId))].sort(listOrder);
    return page(keys, (request.query ?? {}) as Record<string, unknown>);
  });

  route("POST", AGENT_KEYS_PATH, async (request, reply, environmentId) => {
    const body = bodyOf(request);
    const [provider, label, envVarName] = [trimmed(body["provider"]), trimmed(body["label"]), trimmed(body["envVarName"])];
    if (!provider || !label || !envVarName) nest(reply, 400, "provider, label, and envVarName are required");
    const key = await store.providerKeys.create(
      environmentId,
      { provider, label, envVarName, isDefault: body["isDefault"] === true },
      createdBy,
      "providerCredential",
    );
    if (isRefusal(key)) keyRefused(reply, key);
    return { key: view(key as StoredProviderKey) };
  });

  route("POST", `${AGENT_KEYS_PATH}/byok`, async (request, reply, environmentId) => {
    const body = bodyOf(request);
    const [provider, label, envVarName] = [trimmed(body["provider"]), trimmed(body["label"]), trimmed(body["envVarName"])];
    const plaintext = body["plaintext"];
    if (!provider || !label || !envVarName || !isPlaintext(plaintext)) nest(reply, 400, "provider, label, envVarName, and secret are required");
    const key = await store.providerCredentials.linkKey(
      environmentId,
      { provider, label, envVarName, plaintext: plaintext as string, isDefault: body["isDefault"] === true },
      createdBy,
    );
    if (isRefusal(key)) keyRefused(reply, key);
    return { key: view(key as StoredProviderKey) };
  });

  route("POST", `${AGENT_KEYS_PATH}/:keyId/rotate-secret`, async (request, reply, environmentId) => {
    const plaintext = bodyOf(request)["plaintext"];
    if (!isPlaintext(plaintext)) nest(reply, 400, "secret is required");
    const key = await store.providerCredentials.rotateKey(environmentId, (request.params as { keyId: string }).keyId, plaintext as string);
    if (key === undefined) notFound(reply);
    if (isRefusal(key)) keyRefused(reply, key);
    return { key: view(key as StoredProviderKey) };
  });

  route("DELETE", `${AGENT_KEYS_PATH}/:keyId`, async (request, reply, environmentId) => {
    const deleted = await store.providerKeys.delete(environmentId, (request.params as { keyId: string }).keyId);
    if (deleted === undefined) notFound(reply);
    if (isRefusal(deleted)) keyRefused(reply, deleted);
    return { deleted: true };
  });
}
