/**
 * Requests per second and latency of the emulator on PGlite, over real HTTP with keep-alive connections.
 *
 *   node -r ts-node/register/transpile-only bench/emulator-throughput.ts [--requests 2000] [--concurrency 16] [--memory]
 *
 * PGlite lives in a temporary data directory (as `npm run emulator` runs it) unless --memory. Prints figures
 * only; nothing here asserts a time.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildEmulator } from "../emulator/app";
import { MASTER_KEY_BYTES } from "../emulator/crypto";
import { openStore } from "../emulator/store";
import { openPglite } from "../emulator/store/pglite";

interface Options {
  readonly requests: number;
  readonly concurrency: number;
  readonly memory: boolean;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: { requests: { type: "string", default: "2000" }, concurrency: { type: "string", default: "16" }, memory: { type: "boolean", default: false } },
  });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(concurrency) || concurrency < 1)
    throw new Error("--requests and --concurrency take whole numbers");
  return { requests, concurrency, memory: values.memory };
}

interface Call {
  readonly method: "GET" | "PUT" | "POST";
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

function send(base: URL, agent: Agent, token: string, call: Call): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const req = request(
      new URL(call.path, base),
      {
        method: call.method,
        agent,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { "content-type": "application/json" } : {}), ...call.headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

interface Figures {
  readonly name: string;
  readonly requests: number;
  readonly failures: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Runs `total` calls from `concurrency` workers, each taking the next call as soon as its last one is answered. */
async function measure(
  name: string,
  total: number,
  concurrency: number,
  next: (i: number) => Promise<{ status: number }>,
  expected: number[],
): Promise<Figures> {
  const latenciesMs: number[] = [];
  let issued = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (issued < total) {
      const i = issued++;
      const sent = process.hrtime.bigint();
      const { status } = await next(i);
      latenciesMs.push(Number(process.hrtime.bigint() - sent) / 1e6);
      if (!expected.includes(status)) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { name, requests: total, failures, seconds: Number(process.hrtime.bigint() - started) / 1e9, latenciesMs: latenciesMs.sort((a, b) => a - b) };
}

function report(figures: Figures): void {
  const { name, requests, failures, seconds, latenciesMs } = figures;
  console.log(
    `${name.padEnd(34)} ${String(requests).padStart(6)} req  ${(requests / seconds).toFixed(0).padStart(6)} req/s  ` +
      `p50 ${percentile(latenciesMs, 50).toFixed(2).padStart(7)} ms  p99 ${percentile(latenciesMs, 99).toFixed(2).padStart(7)} ms  failures ${failures}`,
  );
}

async function main(): Promise<void> {
  const options = readOptions();
  const dataDir = options.memory ? undefined : mkdtempSync(join(tmpdir(), "platos-bench-"));
  const store = await openStore(await openPglite({ dataDir }), { masterKey: randomBytes(MASTER_KEY_BYTES) });
  const adminToken = randomUUID();
  const app = buildEmulator({ store, adminToken });
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    if (typeof address !== "object" || !address) throw new Error("not listening");
    const base = new URL(`http://127.0.0.1:${address.port}`);
    const call = (c: Call) => send(base, agent, adminToken, c);

    const created = await call({ method: "POST", path: "/api/v1/projects/default/environments", body: { slug: "bench" } });
    const environmentId = (JSON.parse(created.text) as { data: { id: string } }).data.id;
    const variables = `/api/v1/environments/${environmentId}/variables`;
    const keys = Array.from({ length: 50 }, (_, i) => `BENCH_${i}`);
    for (const key of keys) await call({ method: "PUT", path: `${variables}/${key}`, body: { value: "x".repeat(64) } });
    await measure("warm-up", 200, options.concurrency, (i) => call({ method: "GET", path: `${variables}/${keys[i % keys.length]}` }), [200]);

    console.log(`PGlite ${options.memory ? "in memory" : "in a data directory"}, concurrency ${options.concurrency}, Node ${process.version}`);
    report(
      await measure(
        "GET variable",
        options.requests,
        options.concurrency,
        (i) => call({ method: "GET", path: `${variables}/${keys[i % keys.length]}` }),
        [200],
      ),
    );
    report(
      await measure(
        "PUT variable",
        options.requests,
        options.concurrency,
        (i) => call({ method: "PUT", path: `${variables}/${keys[i % keys.length]}`, body: { value: `v${i}` } }),
        [200],
      ),
    );
    report(
      await measure(
        "PUT variable with Idempotency-Key",
        options.requests,
        options.concurrency,
        (i) =>
          call({
            method: "PUT",
            path: `${variables}/${keys[i % keys.length]}`,
            body: { value: `w${i}`, secret: true },
            headers: { "idempotency-key": randomUUID() },
          }),
        [200],
      ),
    );
    const { rss, heapUsed } = process.memoryUsage();
    console.log(
      `memory after the run (emulator and load generator in one process): rss ${(rss / 2 ** 20).toFixed(0)} MiB, heap ${(heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );
  } finally {
    agent.destroy();
    await app.close();
    await store.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
