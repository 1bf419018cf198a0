import assert from "node:assert/strict";
import { request } from "node:http";
import { EnvironmentVariableResource, ErrorEnvelope, ItemEnvelope } from "../../provider/client/schemas";
import { NO_FAULTS, parseFaults, type FaultConfig } from "../../emulator/plugins/faults";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { apiAs, createEnvironment } from "./support";

interface HttpReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request over a fresh connection; rejects when the server drops it. */
function send(base: string, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      new URL(path, base),
      {
        method,
        agent: false,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { "content-type": "application/json" } : {}), ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Random numbers from a script, so each test decides which requests fail. */
function scripted(values: number[]): () => number {
  return () => {
    const next = values.shift();
    if (next === undefined) throw new Error("the test's script of random numbers ran out");
    return next;
  };
}

async function environmentsWithSlug(emulator: RunningEmulator, slug: string): Promise<number> {
  const project = await emulator.store.projects.findByRef("default");
  assert.ok(project);
  return (await emulator.store.environments.list(project.id, { slug })).items.length;
}

async function withFaults(faults: Partial<FaultConfig>, random: () => number, test: (emulator: RunningEmulator) => Promise<void>): Promise<void> {
  const emulator = await startEmulator({ faults: { ...NO_FAULTS, ...faults }, random });
  try {
    await test(emulator);
  } finally {
    await emulator.close();
  }
}

describe("fault injection", () => {
  describe("parseFaults", () => {
    it("reads name=value pairs and defaults the rest to no faults", () => {
      assert.deepEqual(parseFaults("error503=0.2, drop=0.1,dropAfter=0.05,latencyMs=50"), { error503: 0.2, drop: 0.1, dropAfter: 0.05, latencyMs: 50 });
      assert.deepEqual(parseFaults(""), NO_FAULTS);
      assert.deepEqual(parseFaults("drop=1"), { ...NO_FAULTS, drop: 1 });
    });

    for (const bad of ["error503=2", "drop=-0.1", "latencyMs=1.5", "teleport=1", "drop", "drop=0.5=1", "error503=0.6,drop=0.6", "drop=x"]) {
      it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => parseFaults(bad)));
    }
  });

  it("error503 answers 503 SERVICE_UNAVAILABLE with Retry-After before the handler runs", () =>
    withFaults({ error503: 0.5 }, scripted([0.1, 0.9]), async (emulator) => {
      const failed = await send(emulator.url, "POST", "/api/v1/projects/default/environments", emulator.adminToken, { slug: "from-faulty" });
      assert.equal(failed.status, 503);
      assert.equal(failed.headers["retry-after"], "1");
      const { error } = ErrorEnvelope.parse(JSON.parse(failed.body));
      assert.deepEqual([error.code, error.retryAfterSec], ["SERVICE_UNAVAILABLE", 1]);
      assert.equal(await environmentsWithSlug(emulator, "from-faulty"), 0, "the write did not happen");
      const ok = await send(emulator.url, "POST", "/api/v1/projects/default/environments", emulator.adminToken, { slug: "from-faulty" });
      assert.equal(ok.status, 201);
      const health = await send(emulator.url, "GET", "/health", "none");
      assert.equal(health.status, 200, "/health is never faulted");
    }));

  it("drop closes the connection with no response, before the handler runs", () =>
    withFaults(
      { drop: 1 },
      () => 0,
      async (emulator) => {
        await assert.rejects(
          send(emulator.url, "POST", "/api/v1/projects/default/environments", emulator.adminToken, { slug: "dropped" }),
          /socket hang up|ECONNRESET/,
        );
        assert.equal(await environmentsWithSlug(emulator, "dropped"), 0, "the write did not happen");
      },
    ));

  it("dropAfter loses the response of a committed write; a retry with the same Idempotency-Key gets it back", () =>
    withFaults({ dropAfter: 0.5 }, scripted([0.9, 0.1, 0.9]), async (emulator) => {
      const env = await createEnvironment(apiAs(emulator.app, emulator.adminToken));
      const path = `/api/v1/environments/${env.id}/variables/AFTER_DROP`;
      const headers = { "idempotency-key": "retry-after-drop" };
      await assert.rejects(send(emulator.url, "PUT", path, emulator.adminToken, { value: "v" }, headers), /socket hang up|ECONNRESET/);
      assert.equal((await emulator.store.variables.get(env.id, "AFTER_DROP"))?.version, 1, "the write committed although the response was lost");
      const retried = await send(emulator.url, "PUT", path, emulator.adminToken, { value: "v" }, headers);
      assert.equal(retried.status, 201);
      assert.equal(retried.headers["idempotency-replayed"], "true");
      assert.equal(ItemEnvelope(EnvironmentVariableResource).parse(JSON.parse(retried.body)).data.version, 1, "no second write");
    }));

  it("latencyMs delays every API request by at least that much", () =>
    withFaults(
      { latencyMs: 150 },
      () => 0.99,
      async (emulator) => {
        const started = process.hrtime.bigint();
        const reply = await send(emulator.url, "GET", "/api/v1/projects", emulator.adminToken);
        assert.equal(reply.status, 200);
        assert.ok(Number(process.hrtime.bigint() - started) / 1e6 >= 150);
      },
    ));
});
