/**
 * Platos's answers, recorded from its source (fixtures/, each citing path@commit and lines), replayed against the
 * platform adapter alone: no emulator is involved, so the adapter is checked against Platos, not against this
 * repo's own reading of it. Every success answer must parse (a field the provider does not read never breaks it),
 * every refusal must become the typed error the resources rely on, and every tool and core-api route the provider
 * calls must have its answers recorded. emulator-answers.test.ts asks the emulator the same questions.
 */
import { strict as assert } from "node:assert";
import { closeAllPools, isPlatosError, isUnauthenticated } from "../../provider/client";
import { coreApiRoutes, type CoreApiRouteName } from "../../provider/client/platform/core-api";
import { RPC_ERRORS } from "../../provider/client/platform/jsonrpc";
import type { ToolName } from "../../provider/client/platform/tools";
import { routeCaller } from "../../provider/client/route-caller";
import { createHttp } from "../../provider/client/transport";
import { gatewaySession } from "../../provider/platos/platform/gateway";
import { CORE_API_FIXTURES } from "./fixtures/core-api";
import { GATEWAY_FIXTURES } from "./fixtures/gateway";
import { WORLD, type CoreApiFixture, type GatewayFixture } from "./fixtures/types";
import { startReplayServer, type ReplayServer } from "./replay";

/** Every tool the platform adapter calls (provider/platos/platform/). */
export const TOOLS_CALLED: readonly ToolName[] = [
  "platos.whoami",
  "environments.list",
  "environments.create",
  "environments.delete",
  "environments.list_secrets",
  "environments.set_secret",
  "environments.delete_secret",
  "agents.list",
  "agents.create",
  "agents.update",
  "agents.delete",
  "providers.list_keys",
  "providers.add_key",
  "providers.rotate_key",
  "providers.delete_key",
];

/** Every core-api route the platform adapter calls (provider/platos/platform/core-api.ts). */
export const CORE_ROUTES_CALLED: readonly CoreApiRouteName[] = [
  "listCoreProjects",
  "listOrganizations",
  "listCoreVariables",
  "putCoreVariable",
  "mintMcpToken",
];

const RPC_NAME = new Map<number, string>(Object.entries(RPC_ERRORS).map(([name, code]) => [code, name]));
const FAST = { retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, operationTimeoutMs: 5_000 };

/** The core-api route a fixture's request is, among the ones the provider calls. */
export function coreRouteOf(fixture: CoreApiFixture): CoreApiRouteName | undefined {
  return CORE_ROUTES_CALLED.find((name) => {
    const spec = coreApiRoutes[name];
    const pattern = new RegExp(`^${spec.path.replace(/:[A-Za-z]+/g, "[^/]+")}$`);
    return fixture.service === "core-api" && spec.method === fixture.method && pattern.test(fixture.path);
  });
}

/** The path parameters of a concrete path, by the route template's names. */
function paramsOf(template: string, path: string): Record<string, string> {
  const names = template.split("/");
  const parts = path.split("/");
  return Object.fromEntries(names.flatMap((name, index) => (name.startsWith(":") ? [[name.slice(1), decodeURIComponent(parts[index]!)]] : [])));
}

const isDomainError = (value: unknown): value is { error: string } =>
  typeof value === "object" && value !== null && typeof (value as { error?: unknown }).error === "string";

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

const codeOf = (err: unknown) => (isPlatosError(err) ? err.code : `not a typed error: ${String(err)}`);

describe("Platos's recorded answers, replayed against the platform adapter alone", function () {
  let replay: ReplayServer;

  before(async () => {
    replay = await startReplayServer();
  });

  after(async () => {
    await closeAllPools();
    await replay?.close();
  });

  it("records the answers of every tool and core-api route the provider calls, success included, each citing its source", () => {
    for (const tool of TOOLS_CALLED) {
      const answers = GATEWAY_FIXTURES.filter((fixture) => fixture.tool === tool);
      assert.ok(
        answers.some((fixture) => fixture.reply.kind === "result" && !isDomainError(fixture.reply.value)),
        `no success answer recorded for ${tool}`,
      );
    }
    for (const route of CORE_ROUTES_CALLED) {
      const answers = CORE_API_FIXTURES.filter((fixture) => coreRouteOf(fixture) === route);
      assert.ok(
        answers.some((fixture) => coreApiRoutes[route].success.some((status) => status === fixture.reply.status)),
        `no success answer recorded for ${route}`,
      );
    }
    for (const fixture of [...GATEWAY_FIXTURES, ...CORE_API_FIXTURES]) {
      // A citation the index could not date says so in its commit field; each answer still rests on one that is dated.
      assert.ok(
        fixture.source.some((c) => c.path && /^[0-9a-f]{8,40}$/.test(c.commit) && c.lines),
        `${fixture.id}: every answer cites path@commit and lines`,
      );
    }
    assert.equal(new Set(GATEWAY_FIXTURES.map((f) => f.id)).size, GATEWAY_FIXTURES.length, "gateway fixture ids are unique");
    assert.equal(new Set(CORE_API_FIXTURES.map((f) => f.id)).size, CORE_API_FIXTURES.length, "core-api fixture ids are unique");
  });

  describe("the MCP gateway", () => {
    for (const fixture of GATEWAY_FIXTURES.filter((f) => (TOOLS_CALLED as readonly string[]).includes(f.tool))) {
      it(fixture.id, async () => {
        replay.serve(fixture);
        const session = gatewaySession(createHttp({ apiUrl: replay.url, token: WORLD.mcpToken, ...FAST }), replay.url);
        const outcome = await settle(session.send(fixture.tool as ToolName, fixture.arguments as never, fixture.approvalId));
        assert.equal((replay.received[0]?.body as { params?: { name?: string } })?.params?.name, fixture.tool);
        expectOutcome(fixture, outcome);
      });
    }
  });

  describe("core-api", () => {
    for (const fixture of CORE_API_FIXTURES.filter((f) => coreRouteOf(f) !== undefined)) {
      it(fixture.id, async () => {
        const route = coreRouteOf(fixture)!;
        const spec = coreApiRoutes[route];
        replay.serve(fixture);
        const core = routeCaller(createHttp({ apiUrl: replay.url, token: WORLD.operatorToken, ...FAST }), coreApiRoutes);
        const outcome = await settle(core.call(route, { params: paramsOf(spec.path, fixture.path), query: fixture.query ?? {}, body: fixture.body } as never));
        if ((spec.success as readonly number[]).includes(fixture.reply.status)) {
          assert.equal(outcome.error, undefined, `a success answer must parse: ${String(outcome.error)}`);
          return;
        }
        assert.ok(outcome.error !== undefined, "a refusal must fail the call");
        const wire = (fixture.reply.body as { error?: { code?: string } }).error;
        assert.equal(codeOf(outcome.error), wire?.code ?? "CONTRACT_STATUS_UNEXPECTED");
        if (fixture.reply.status === 401) assert.ok(isUnauthenticated(outcome.error));
      });
    }
  });
});

function expectOutcome(fixture: GatewayFixture, outcome: { value?: unknown; error?: unknown }): void {
  const { reply } = fixture;
  switch (reply.kind) {
    case "result":
      if (isDomainError(reply.value)) {
        assert.ok(outcome.error !== undefined, "a domain error must fail the call");
        assert.equal(codeOf(outcome.error), reply.value.error);
      } else {
        assert.equal(outcome.error, undefined, `a success answer must parse: ${String(outcome.error)}`);
        assert.equal((outcome.value as { kind: string }).kind, "result");
      }
      return;
    case "rpcError":
      if (reply.code === RPC_ERRORS.AWAITING_APPROVAL) {
        assert.equal(outcome.error, undefined, `an approval answer must parse: ${String(outcome.error)}`);
        const answer = outcome.value as { kind: string; approval: { status: string } };
        assert.equal(answer.kind, "approval");
        assert.equal(answer.approval.status, (reply.data as { status: string }).status);
      } else {
        assert.equal(codeOf(outcome.error), `RPC_${RPC_NAME.get(reply.code) ?? reply.code}`);
      }
      return;
    case "http":
      assert.ok(outcome.error !== undefined, "an HTTP refusal must fail the call");
      if (reply.status === 401) assert.ok(isUnauthenticated(outcome.error), String(outcome.error));
      return;
  }
}
