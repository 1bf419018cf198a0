/**
 * The platform adapter's agent updates against Platos's recorded answers (fixtures/gateway.ts, each citing
 * agent-crud.service.ts@a9710c92), with no emulator: an update that changes prompt blocks sends the prompt the
 * program declares with them, since Platos re-derives the prompt from blocks sent alone; and where the program
 * declares no prompt, the one it sends is the one Platos would have derived, so the record is the same either way.
 */
import { strict as assert } from "node:assert";
import { closeAllPools } from "../../provider/client";
import { createPlatosApi } from "../../provider/platos";
import { GATEWAY_FIXTURES } from "./fixtures/gateway";
import { WORLD, type GatewayFixture } from "./fixtures/types";
import { startReplayServer, type ReplayServer } from "./replay";

const FAST = { retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, operationTimeoutMs: 5_000 };

function gateway(id: string): GatewayFixture {
  const fixture = GATEWAY_FIXTURES.find((candidate) => candidate.id === id);
  assert.ok(fixture, `no recorded answer ${id}`);
  return fixture;
}

type PlatformBlock = { id: string; content: string };
const repoBlocksOf = (args: Record<string, unknown>) => (args.promptBlocks as PlatformBlock[]).map((block) => ({ key: block.id, content: block.content }));

describe("agent updates, replayed against Platos's recorded answers (platform adapter alone)", function () {
  let replay: ReplayServer;
  before(async () => {
    replay = await startReplayServer();
  });
  after(async () => {
    await replay?.close();
    await closeAllPools();
  });

  const api = () => createPlatosApi({ protocol: "platform", apiUrl: replay.url, token: WORLD.mcpToken, operatorToken: undefined }, FAST);
  const sentUpdate = () => {
    const call = replay.received.find((request) => (request.body as { params?: { name?: string } } | undefined)?.params?.name === "agents.update");
    assert.ok(call, "agents.update was sent");
    return (call.body as { params: { arguments: Record<string, unknown> } }).params.arguments;
  };

  it("blocks edited under a declared prompt: the prompt goes with them, and the record keeps it", async () => {
    const fixture = gateway("agents.update/prompt-blocks-with-declared-prompt");
    replay.serve(gateway("platos.whoami/success"), fixture);
    const blocks = repoBlocksOf(fixture.arguments);
    const declared = fixture.arguments.systemPrompt as string;
    const updated = await api().agents.update(WORLD.environmentId, WORLD.agentId, { promptBlocks: blocks }, { systemPrompt: declared, promptBlocks: blocks });
    assert.deepEqual(sentUpdate(), fixture.arguments);
    assert.equal(updated.systemPrompt, declared);
    assert.deepEqual(updated.promptBlocks, blocks);
  });

  it("blocks edited with no prompt declared: the prompt sent is the one Platos derives from them", async () => {
    const fixture = gateway("agents.update/prompt-blocks-rederive-prompt");
    replay.serve(gateway("platos.whoami/success"), fixture);
    const blocks = repoBlocksOf(fixture.arguments);
    const updated = await api().agents.update(WORLD.environmentId, WORLD.agentId, { promptBlocks: blocks }, { systemPrompt: null, promptBlocks: blocks });
    const derived = (fixture.reply as { value: { systemPrompt: string } }).value.systemPrompt;
    assert.deepEqual(sentUpdate(), { ...fixture.arguments, systemPrompt: derived });
    assert.equal(updated.systemPrompt, derived);
  });

  it("a block declared `enabled: true` is held as Platos's record reads it back", () => {
    const held = api().agents.held({
      promptBlocks: [
        { key: "persona", content: "Hi.", enabled: true },
        { key: "off", content: "No.", enabled: false },
      ],
    });
    assert.deepEqual(held.promptBlocks, [
      { key: "persona", content: "Hi." },
      { key: "off", content: "No.", enabled: false },
    ]);
  });
});
