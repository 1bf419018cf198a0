/** What every e2e suite runs against: an emulator, a recording proxy in front of it, an admin client, a work dir. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAllPools, createClient, type PlatosClient } from "../../provider/client";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { startRequestRecorder, type RequestRecorder } from "../helpers/request-recorder";

export interface E2eWorld {
  readonly emulator: RunningEmulator;
  /** The provider talks to the emulator through this, so tests can count its API calls. */
  readonly recorder: RequestRecorder;
  /** Talks to the emulator directly, to check it or change it behind Pulumi's back. */
  readonly admin: PlatosClient;
  readonly work: string;
}

/** Registers the suite's before/after hooks; read the world inside tests. */
export function useE2eWorld(): () => E2eWorld {
  let world: E2eWorld | undefined;
  before(async () => {
    const emulator = await startEmulator();
    const recorder = await startRequestRecorder(emulator.url);
    world = { emulator, recorder, admin: createClient({ apiUrl: emulator.url, token: emulator.adminToken }), work: mkdtempSync(join(tmpdir(), "platos-e2e-")) };
  });
  after(async () => {
    await world?.recorder.close();
    await closeAllPools();
    await world?.emulator.close();
    if (world) rmSync(world.work, { recursive: true, force: true });
  });
  return () => {
    if (!world) throw new Error("the e2e world is used outside a test");
    return world;
  };
}
