import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentResource, EnvironmentResource, EnvironmentVariableResource, ItemEnvelope } from "../../provider/client/schemas";
import { spawnEmulator, type SpawnedEmulator } from "../helpers/emulator";

const ADMIN = "restart-test-admin-token";

async function call(emulator: SpawnedEmulator, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(new URL(path, emulator.url), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

describe("the emulator process (npm run emulator)", function () {
  this.timeout(90_000);
  let dataDir: string;
  const running: SpawnedEmulator[] = [];

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "platos-restart-"));
  });
  after(async () => {
    await Promise.all(running.map((emulator) => emulator.stop("SIGKILL")));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps its data across a SIGTERM and a restart, and prints a generated admin token only at start", async () => {
    const first = await spawnEmulator({ dataDir, adminToken: ADMIN });
    running.push(first);
    const env = ItemEnvelope(EnvironmentResource).parse((await call(first, ADMIN, "POST", "/api/v1/projects/default/environments", { slug: "dev" })).json).data;
    const put = await call(first, ADMIN, "PUT", `/api/v1/environments/${env.id}/variables/OPENAI_API_KEY`, { value: "sk-restart", secret: true });
    assert.equal(put.status, 201);
    const agent = ItemEnvelope(AgentResource).parse(
      (await call(first, ADMIN, "POST", `/api/v1/environments/${env.id}/agents`, { name: "Support", model: "anthropic:claude-sonnet-4-6" })).json,
    ).data;
    assert.equal(await first.stop("SIGTERM"), 0, "a clean exit on SIGTERM");
    assert.equal(first.output().match(/Platos emulator listening on/g)?.length, 1);
    assert.ok(!first.output().includes(ADMIN), "a configured admin token is never printed");
    assert.equal(statSync(join(dataDir, "master.key")).mode & 0o777, 0o600);

    const second = await spawnEmulator({ dataDir });
    running.push(second);
    const printed = /Admin token [^:]*: (\S+)/.exec(second.output())?.[1];
    assert.ok(printed, `a generated admin token is printed:\n${second.output()}`);
    assert.equal((await call(second, ADMIN, "GET", `/api/v1/environments/${env.id}`)).status, 401, "the old token is not configured any more");
    const variable = ItemEnvelope(EnvironmentVariableResource).parse(
      (await call(second, printed, "GET", `/api/v1/environments/${env.id}/variables/OPENAI_API_KEY`)).json,
    ).data;
    assert.deepEqual([variable.kind, variable.value, variable.version], ["SECRET", null, 1]);
    assert.deepEqual(
      ItemEnvelope(AgentResource).parse((await call(second, printed, "GET", `/api/v1/environments/${env.id}/agents/${agent.id}`)).json).data,
      agent,
    );
    assert.equal(await second.stop("SIGINT"), 0, "a clean exit on SIGINT");
  });

  it("refuses a second emulator on the same data directory while the first runs", async () => {
    const first = await spawnEmulator({ dataDir, adminToken: ADMIN });
    running.push(first);
    await assert.rejects(spawnEmulator({ dataDir, adminToken: ADMIN }), new RegExp(`another emulator \\(pid ${first.child.pid}\\) is using`));
    assert.equal(await first.stop("SIGTERM"), 0);
  });

  it("refuses to start on invalid configuration, naming the setting but not its value", async () => {
    const failed = spawnEmulator({ dataDir, adminToken: ADMIN, env: { PLATOS_EMULATOR_MASTER_KEY: "not-hex-secret-material" } });
    await assert.rejects(failed, (err: Error) => {
      assert.match(err.message, /PLATOS_EMULATOR_MASTER_KEY must be 64 hexadecimal characters/);
      assert.ok(!err.message.includes("not-hex-secret-material"));
      return true;
    });
  });
});
