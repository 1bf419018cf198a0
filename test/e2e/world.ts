/** What every e2e suite runs against: an emulator, a recording proxy in front of it, an admin client, a work dir. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAllPools, createClient, type PlatosClient } from "../../provider/client";
import { createPlatosApi, type PlatosApi, Protocol } from "../../provider/platos";
import { v1Api } from "../../provider/platos/v1";
import { startEmulator, type RunningEmulator, type StartOptions } from "../helpers/emulator";
import { startRequestRecorder, type RequestRecorder } from "../helpers/request-recorder";
import { accessFor, stackConfig } from "../platos/support";

export interface E2eWorld {
  readonly emulator: RunningEmulator;
  /** The provider talks to the emulator through this, so tests can count its API calls. */
  readonly recorder: RequestRecorder;
  /** Talks to the emulator directly, to check it or change it behind Pulumi's back. */
  readonly admin: PlatosClient;
  /** The same, through the seam the provider uses. */
  readonly adminApi: PlatosApi;
  /** The API as the stacks reach it, on the suite's protocol (what `pulumi-platos import` reads with). */
  readonly stackApi: PlatosApi;
  /**
   * The provider's stack config: protocol, the recorder's URL and the credentials (list platos:token and
   * platos:operatorToken in secretKeys). On the platform: a plt_mcp_ token pinned to environment "home", and the
   * admin token as the operator token.
   */
  readonly platosConfig: Readonly<Record<string, string>>;
  readonly work: string;
}

/** Registers the suite's before/after hooks; read the world inside tests. `emulator`: faults, hooks and the like. */
export function useE2eWorld(protocol: Protocol = "v1", emulatorOptions: StartOptions = {}): () => E2eWorld {
  let world: E2eWorld | undefined;
  before(async () => {
    const emulator = await startEmulator(emulatorOptions);
    const recorder = await startRequestRecorder(emulator.url);
    const admin = createClient({ apiUrl: emulator.url, token: emulator.adminToken });
    const { settings } = await accessFor(emulator, protocol, { apiUrl: recorder.url });
    const platosConfig = stackConfig(settings);
    world = { emulator, recorder, admin, adminApi: v1Api(admin), stackApi: createPlatosApi(settings), platosConfig, work: mkdtempSync(join(tmpdir(), "platos-e2e-")) };
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
