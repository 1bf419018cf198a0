/**
 * Putting the emulator in the state a fixture's `given` names, and reading its answers in the fixtures' terms:
 * shared by the tests that ask the emulator Platos's recorded questions (emulator-answers.test.ts for the gateway,
 * emulator-rest-answers.test.ts for core-api and the agent app).
 */
import { randomUUID } from "node:crypto";
import type { PlatosClient } from "../../provider/client";
import { APPROVAL_ID_HEADER, JSONRPC_VERSION, PLATFORM_PATH } from "../../provider/client/platform/jsonrpc";
import type { RunningEmulator } from "../helpers/emulator";
import { addKeyInDashboard, mintToken, provideKeyMaterial } from "../platos/support";
import { GATEWAY_FIXTURE_WORLD } from "./fixtures/gateway";
import { WORLD, type Given } from "./fixtures/types";

const ID_KEY = /(^id$|Id$|By$|^token$)/;
const TIME_KEY = /At$/;

/**
 * A value with ids and times reduced to their type (a value under an id or time key: `<key>`), keys sorted, and the
 * arranged ids inside strings put back to the fixture's. `errorId` is an id (a fresh UUID per failure); `traceRef`
 * is not, so an adopted request id must come back exactly.
 */
export function shape(value: unknown, ids: ReadonlyMap<string, string>, key = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => shape(item, ids));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shape(v, ids, k)]),
    );
  }
  if (typeof value === "string" && (ID_KEY.test(key) || TIME_KEY.test(key))) return `<${key}>`;
  // A taken agent slug gets `-<Date.now() in base 36>`: the moment differs, the rule does not.
  if (typeof value === "string" && key === "slug") return value.replace(/-[0-9a-z]{8,9}$/, "-<base36 time>");
  if (typeof value === "string") return [...ids].reduce((text, [arranged, recorded]) => text.split(arranged).join(recorded), value);
  return value;
}

export interface Arranged {
  /** A plt_mcp_ token for the `dev` environment, when the given has one. */
  readonly token: string | undefined;
  /** The emulator's ids of the fixture world's objects, arranged → recorded. */
  readonly ids: Map<string, string>;
  readonly devId: string;
}

const agentArgs = (blocks: boolean) => ({
  name: GATEWAY_FIXTURE_WORLD.agentName,
  slug: WORLD.agentSlug,
  model: GATEWAY_FIXTURE_WORLD.models.sonnet,
  ...(blocks
    ? { promptBlocks: GATEWAY_FIXTURE_WORLD.promptBlocks, toolsBlockConfig: GATEWAY_FIXTURE_WORLD.toolsBlockConfigWithoutMode, memoryConfig: {} }
    : {}),
});

/** One `tools/call` to the emulator's gateway, as the wire carries it. */
export async function rpc(emulator: RunningEmulator, token: string | undefined, tool: string, args: unknown, approvalId?: string) {
  const reply = await fetch(`${emulator.url}${PLATFORM_PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(approvalId === undefined ? {} : { [APPROVAL_ID_HEADER]: approvalId }),
    },
    body: JSON.stringify({ jsonrpc: JSONRPC_VERSION, id: 1, method: "tools/call", params: { name: tool, arguments: args } }),
  });
  return { status: reply.status, body: (await reply.json()) as unknown };
}

/** The result of a gateway tool call that succeeded; an error answer throws, naming the tool and the error. */
function resultOf(tool: string, answer: { body: unknown }): Record<string, unknown> {
  const body = answer.body as { result?: { content: [{ text: string }] }; error?: unknown };
  if (body.result === undefined) throw new Error(`arranging: ${tool} answered ${JSON.stringify(body.error)}`);
  return JSON.parse(body.result.content[0].text) as Record<string, unknown>;
}

export interface ArrangeOptions {
  /** The project `dev` and `prod` are made in; a fresh one when absent. */
  readonly projectId?: string;
  /** Whether the `providerKey` given's key is its provider's default (the fixtures of each surface differ). */
  readonly keyIsDefault?: boolean;
  /** The token's permissions, where a fixture names them (all when absent). */
  readonly permissions?: readonly string[];
}

/**
 * `dev` (the token's) and `prod` in `project` (a fresh one when absent), then what `given` adds. The givens a test
 * cannot arrange here are the approval gate's (test/emulator/platform/approvals.test.ts asks those).
 */
export async function arrange(emulator: RunningEmulator, admin: PlatosClient, given: Given, options: ArrangeOptions = {}): Promise<Arranged> {
  const projectId = options.projectId ?? (await admin.projects.create({ slug: `conformance-${randomUUID().slice(0, 8)}`, name: "Conformance" })).id;
  const dev = await admin.environments.create(projectId, { slug: WORLD.environmentSlug });
  const prod = await admin.environments.create(projectId, { slug: "prod" });
  const ids = new Map<string, string>([
    [dev.id, WORLD.environmentId],
    [prod.id, WORLD.prodEnvironmentId],
    [projectId, WORLD.projectId],
  ]);
  if (given === "noToken") return { token: undefined, ids, devId: dev.id };
  if (given === "badToken") return { token: "plt_mcp_not_a_token_anyone_minted", ids, devId: dev.id };
  const token = await mintToken(emulator, dev.id, options.permissions);
  if (given === "agent" || given === "agentWithBlocks") {
    ids.set(resultOf("agents.create", await rpc(emulator, token, "agents.create", agentArgs(given === "agentWithBlocks")))["id"] as string, WORLD.agentId);
  }
  if (given === "variables") {
    await rpc(emulator, token, "environments.set_secret", { name: "OPENAI_API_KEY", value: "sk-conformance" });
    await admin.variables.put(dev.id, "LOG_LEVEL", { value: "info" });
  }
  if (given === "providerCredential")
    await provideKeyMaterial(emulator, "platform", dev.id, { name: "OPENAI_API_KEY", provider: "openai", value: "sk-conformance" });
  if (given === "providerKey" || given === "pinnedProviderKey") {
    const key = await addKeyInDashboard(emulator, dev.id, {
      provider: "openai",
      label: "primary",
      envVarName: "OPENAI_API_KEY",
      plaintext: "sk-conformance",
      isDefault: options.keyIsDefault ?? false,
    });
    ids.set(key.id, WORLD.providerKeyId);
    if (key.credentialId !== null) ids.set(key.credentialId, WORLD.credentialId);
    if (given === "pinnedProviderKey") {
      const agent = resultOf(
        "agents.create",
        await rpc(emulator, token, "agents.create", { ...agentArgs(false), model: "openai/gpt-4o", providerKeyId: key.id }),
      );
      ids.set(agent["id"] as string, WORLD.agentId);
    }
  }
  if (given === "archivedEnvironment") await emulator.store.environments.archive(dev.id);
  return { token, ids, devId: dev.id };
}
