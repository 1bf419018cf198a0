/**
 * What the benchmark runs against: `emulator/main.ts` as its own process (so its memory is its own) on PGlite in
 * a temporary data directory, the tests' request recorder in front of it for the provider, and the credentials
 * for the stack (local/stack-access.ts, as the main job and the e2e suites reach it) and for the floor.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAllPools, createClient } from "../../provider/client";
import type { Protocol } from "../../provider/platos";
import { spawnEmulator, type SpawnedEmulator } from "../../emulator/spawn";
import { mintStackToken, stackAccess, stackConfig } from "../../local/stack-access";
import { startRequestRecorder, type RequestRecorder } from "../../test/helpers/request-recorder";
import type { FloorTokens } from "./floor/protocol";
import { PROJECT } from "./scenario";
import { startStatusTap, type StatusTap } from "./status-tap";

export interface BenchWorld {
  readonly emulator: SpawnedEmulator;
  readonly recorder: RequestRecorder;
  /** Between the recorder and a rate-limited emulator, counting the statuses the provider got. */
  readonly statusTap?: StatusTap;
  /** The provider's stack config: protocol, the recorder's URL, credentials. */
  readonly platosConfig: Readonly<Record<string, string>>;
  readonly floorTokens: FloorTokens;
  /** Scratch space: the emulator's data directory and the state files. */
  readonly work: string;
  close(): Promise<void>;
}

export async function startBenchWorld(options: { readonly protocol: Protocol; readonly rateLimitPerMinute?: number }): Promise<BenchWorld> {
  const work = mkdtempSync(join(tmpdir(), "platos-bench-"));
  const adminToken = `admin-${randomBytes(16).toString("hex")}`;
  const rateLimit: Record<string, string> = options.rateLimitPerMinute === undefined ? {} : { PLATOS_EMULATOR_RATE_LIMIT: String(options.rateLimitPerMinute) };
  const emulator = await spawnEmulator({ dataDir: join(work, "emulator"), adminToken, env: rateLimit, startTimeoutMs: 120_000 });
  const statusTap = options.rateLimitPerMinute === undefined ? undefined : await startStatusTap(emulator.url);
  const recorder = await startRequestRecorder(statusTap?.url ?? emulator.url);
  const admin = { url: emulator.url, adminToken };
  const access = await stackAccess(admin, options.protocol, { apiUrl: recorder.url, tokenName: "bench stack" });
  // Under a rate limit the floor has a token of its own, so it does not spend the provider's window.
  const api =
    options.rateLimitPerMinute === undefined
      ? adminToken
      : (await createClient({ apiUrl: emulator.url, token: adminToken }).tokens.create({ name: "bench floor", project: PROJECT, environments: "*" })).token;
  const pinned = access.home ? await mintStackToken(admin, access.home.id, { name: "bench floor" }) : undefined;
  await closeAllPools();
  return {
    emulator,
    recorder,
    statusTap,
    platosConfig: stackConfig(access.settings),
    floorTokens: { api, admin: adminToken, ...(pinned === undefined ? {} : { pinned }) },
    work,
    async close() {
      await recorder.close();
      await statusTap?.close();
      await emulator.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
