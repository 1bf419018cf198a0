/**
 * The emulator as a Fastify instance that does not listen: main.ts listens, tests use inject() or listen on
 * port 0. The order of the API hooks is the order a request meets them:
 * auth → rate limit → storable text → idempotency key check → faults → idempotency claim/replay → handler → record →
 * late drop.
 * The platform gateway (`POST /mcp/platform`, emulator/platform/) sits outside those hooks with its own auth and
 * no rate limit; the `/mcp` body cap runs before everything.
 */
import { randomUUID } from "node:crypto";
import { serializerCompiler, validatorCompiler } from "@fastify/type-provider-zod";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { installErrorHandlers, type NotFoundAnswer } from "./errors";
import { authPlugin } from "./plugins/auth";
import { contractHeaderPlugin } from "./plugins/contract-header";
import { dropAfterResponse, faultsBeforeHandler, NO_FAULTS, type FaultConfig, type Random } from "./plugins/faults";
import { idempotencyPlugin } from "./plugins/idempotency";
import { rateLimitPlugin } from "./plugins/rate-limit";
import { coreApiEdgeChecks, installCoreApiErrorHandler } from "./core-api-validation";
import { coreApiRequestId, requestIdEchoPlugin } from "./plugins/request-id";
import { storePlugin } from "./plugins/store";
import { storableTextPlugin } from "./plugins/storable-text";
import { bodyCapPlugin } from "./platform/body-cap";
import { DEFAULT_APPROVAL_TTL_SECONDS } from "./platform/approval-gate";
import { platformGateway } from "./platform/gateway";
import { agentRoutes } from "./routes/agents";
import { approvalRoutes } from "./routes/approvals";
import { coreApiOnlyRoutes } from "./routes/core-api";
import { dashboardKeyRoutes } from "./routes/dashboard";
import { environmentRoutes } from "./routes/environments";
import { mcpTokenRoutes } from "./routes/mcp-tokens";
import { organizationRoutes } from "./routes/organizations";
import { projectRoutes } from "./routes/projects";
import { providerKeyRoutes } from "./routes/provider-keys";
import { tokenRoutes } from "./routes/tokens";
import { variableRoutes } from "./routes/variables";
import { AgentSessions, agentProviderKeyRoutes, agentSessionRoutes } from "./routes/agent-provider-keys";
import { agentAppNotFound, agentAppTokenRoutes, coreApiNotFound } from "./service-refusals";
import { CORE_API_PREFIX, V1_CONTRACT_PREFIX } from "./layout";
import { OperatorSessions } from "./operator-sessions";
import { identitySessionRoute, operatorSessionRoutes } from "./routes/operator-sessions";
import type { Store } from "./store";

export interface EmulatorOptions {
  readonly store: Store;
  readonly adminToken: string;
  readonly faults?: FaultConfig;
  /** Requests per window per token; 0 or absent turns rate limiting off. */
  readonly rateLimitPerMinute?: number;
  /** The rate-limit window: a minute, as in Platos, unless a test shortens it. */
  readonly rateLimitWindowMs?: number;
  /** Pino options (level, stream); Authorization and Idempotency-Key are always redacted. False: no logging. */
  readonly logger?: false | { level?: string; stream?: NodeJS.WritableStream };
  /** Decides injected faults; Math.random unless a test pins it. */
  readonly random?: Random;
  /** Gated platform calls wait for an approval (-32002) instead of being auto-approved. */
  readonly interactiveApprovals?: boolean;
  /** The origin of approval dashboard URLs; the emulator's own URL when absent. */
  readonly dashboardOrigin?: string;
  /** How long an approval waits; at least 60, default 3600. */
  readonly approvalTtlSeconds?: number;
  /** The operator sessions core-api authenticates; one registry per options object when absent. */
  readonly operatorSessions?: OperatorSessions;
}

/** One value per `options` object, made on first use: every surface built from it (the agent app and core-api of two services) shares it. */
function onePerOptions<T>(make: () => T): (options: EmulatorOptions) => T {
  const made = new WeakMap<EmulatorOptions, T>();
  return (options) => {
    let value = made.get(options);
    if (value === undefined) made.set(options, (value = make()));
    return value;
  };
}

const operatorSessionRegistry = onePerOptions(() => new OperatorSessions());
/** The operator sessions core-api authenticates: the options' own, else one registry per options. */
const sessionsOf = (options: EmulatorOptions): OperatorSessions => options.operatorSessions ?? operatorSessionRegistry(options);

/** The agent app's sessions (routes/agent-provider-keys.ts), one registry per options. */
const agentSessionsOf = onePerOptions(() => new AgentSessions());

const REDACTED = ["req.headers.authorization", 'req.headers["idempotency-key"]', "headers.authorization"];

function loggerOptions(logger: EmulatorOptions["logger"]): FastifyServerOptions["logger"] {
  if (!logger) return false;
  return { level: logger.level ?? "info", redact: { paths: REDACTED, censor: "[REDACTED]" }, ...(logger.stream ? { stream: logger.stream } : {}) };
}

export { CORE_API_PREFIX, V1_CONTRACT_PREFIX } from "./layout";

/**
 * Which requests are core-api's (they get its request id, adopted or minted, echoed): all of a core-api listener's,
 * or those below CORE_API_PREFIX on one port.
 */
type CoreApiRequests = (url: string) => boolean;
const ON_ONE_PORT: CoreApiRequests = (url) => url === CORE_API_PREFIX || url.startsWith(`${CORE_API_PREFIX}/`) || url.startsWith(`${CORE_API_PREFIX}?`);
const EVERY_REQUEST: CoreApiRequests = () => true;

/** `notFound`: what the service answers an unrouted request; the V1 contract's refusal by default. */
function baseApp(options: EmulatorOptions, coreApiRequests: CoreApiRequests, notFound?: NotFoundAnswer): FastifyInstance {
  if (options.adminToken.length === 0) throw new Error("the admin token must not be empty");
  const app = Fastify({
    logger: loggerOptions(options.logger),
    // Shown to clients as traceRef and logged with each request, so an error report can be found in the log.
    genReqId: (request) => (coreApiRequests(request.url ?? "") ? coreApiRequestId(request) : `trace-${randomUUID()}`),
    return503OnClosing: false,
    // Platos's routers take an id of any length (a long one is refused by the route, in the envelope); Fastify's
    // default of 100 answered 414 in its own shape, echoing the path.
    routerOptions: { maxParamLength: 16 * 1024 },
  });
  // JSON in and out: Fastify would otherwise also parse text/plain bodies.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  storePlugin(app, options.store);
  // core-api's edge middleware runs before its /mcp body cap: a refused body still gets its request id
  // (apps/core-api/src/http/mcp-body-cap.ts@9d6948bc, "WHERE IT RUNS").
  requestIdEchoPlugin(app, coreApiRequests);
  bodyCapPlugin(app);
  contractHeaderPlugin(app);
  installErrorHandlers(app, notFound);

  app.get("/health", async () => {
    await app.store.ping();
    return { status: "ok" };
  });
  return app;
}

/**
 * The hooks every REST route meets, in order: auth → rate limit → storable text → idempotency key check → faults →
 * claim/replay → drop.
 */
async function restHooks(api: FastifyInstance, options: EmulatorOptions, coreApi = false): Promise<void> {
  authPlugin(api, { adminToken: options.adminToken, sessions: sessionsOf(options), coreApi });
  await rateLimitPlugin(api, { max: options.rateLimitPerMinute ?? 0, windowMs: options.rateLimitWindowMs });
  storableTextPlugin(api);
  faultsBeforeHandler(api, options.faults ?? NO_FAULTS, options.random ?? Math.random);
  idempotencyPlugin(api);
  dropAfterResponse(api, options.faults ?? NO_FAULTS, options.random ?? Math.random);
}

/** core-api as real Platos deploys it, apart from the agent app: its own shapes, and only its routes. */
async function coreApiSurface(api: FastifyInstance, options: EmulatorOptions): Promise<void> {
  installCoreApiErrorHandler(api);
  coreApiEdgeChecks(api);
  await restHooks(api, options, true);
  coreApiOnlyRoutes(api);
  identitySessionRoute(api);
  organizationRoutes(api);
  mcpTokenRoutes(api);
}

/**
 * The combined emulator: the platform gateway and the V1 contract at the root (with core-api's routes that the V1
 * contract lacks, for a deployment that serves both from one origin), and core-api's own surface under
 * CORE_API_PREFIX.
 */
export function buildEmulator(options: EmulatorOptions): FastifyInstance {
  const app = baseApp(options, ON_ONE_PORT);
  gateway(app, options);
  agentProviderKeyRoutes(app, options.store, agentSessionsOf(options));
  app.register(async (api) => {
    await restHooks(api, options);
    v1ContractRoutes(api);
    organizationRoutes(api);
    mcpTokenRoutes(api);
    approvalRoutes(api);
    dashboardKeyRoutes(api);
    agentSessionRoutes(api, agentSessionsOf(options));
    operatorSessionRoutes(api, sessionsOf(options));
  });
  app.register((api) => coreApiSurface(api, options), { prefix: CORE_API_PREFIX });
  return app;
}

/** The platform gateway (`POST /mcp/platform`), with the approval gate when interactive approvals are on. */
function gateway(app: FastifyInstance, options: EmulatorOptions): void {
  platformGateway(app, {
    faults: options.faults ?? NO_FAULTS,
    random: options.random ?? Math.random,
    ...(options.interactiveApprovals
      ? { approvals: { ttlSeconds: Math.max(60, options.approvalTtlSeconds ?? DEFAULT_APPROVAL_TTL_SECONDS), dashboardOrigin: options.dashboardOrigin } }
      : {}),
  });
}

/** The emulator's own uniform V1 contract: projects, environments, variables, agents, provider keys, tokens. */
function v1ContractRoutes(api: FastifyInstance): void {
  projectRoutes(api);
  environmentRoutes(api);
  variableRoutes(api);
  agentRoutes(api);
  providerKeyRoutes(api);
  tokenRoutes(api);
}

/** Platos's two services, each on a listener of its own, over one store. */
export interface TwoServices {
  /** The agent app: the MCP gateway, the dashboard stand-ins, and (below V1_CONTRACT_PREFIX) the V1 contract. */
  readonly agentApp: FastifyInstance;
  /** core-api: only its own routes, at the root. */
  readonly coreApi: FastifyInstance;
}

/**
 * The two-port layout, as Platos deploys its services (the agent app at `platos:apiUrl`, core-api at
 * `platos:coreApiUrl`): each refuses the other's paths as the real other service does (service-refusals.ts), so a
 * forgotten `platos:coreApiUrl` fails here as on a real deployment.
 */
function buildTwoServices(options: EmulatorOptions): TwoServices {
  const agentApp = baseApp(options, () => false, agentAppNotFound);
  gateway(agentApp, options);
  agentAppTokenRoutes(agentApp);
  agentProviderKeyRoutes(agentApp, options.store, agentSessionsOf(options));
  agentApp.register(async (api) => {
    await restHooks(api, options);
    approvalRoutes(api);
    dashboardKeyRoutes(api);
    agentSessionRoutes(api, agentSessionsOf(options));
    operatorSessionRoutes(api, sessionsOf(options));
  });
  agentApp.register(
    async (api) => {
      await restHooks(api, options);
      v1ContractRoutes(api);
    },
    { prefix: V1_CONTRACT_PREFIX },
  );
  const coreApi = baseApp(options, EVERY_REQUEST, coreApiNotFound);
  coreApi.register((api) => coreApiSurface(api, options));
  return { agentApp, coreApi };
}

/** The services a start serves: everything on one port (core-api below CORE_API_PREFIX), or a port each. */
export interface Services {
  /** The agent app; on one port, everything. */
  readonly app: FastifyInstance;
  /** core-api, on two ports. */
  readonly coreApi?: FastifyInstance;
}

/** One port, or two as Platos deploys them (`twoPorts`): what the package's start and the tests' emulator both build. */
export function buildServices(options: EmulatorOptions, twoPorts: boolean): Services {
  if (!twoPorts) return { app: buildEmulator(options) };
  const { agentApp, coreApi } = buildTwoServices(options);
  return { app: agentApp, coreApi };
}
