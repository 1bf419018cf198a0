/**
 * The one way a suite sets up the Platos its tests run against: an emulator, a recording proxy in front of it (where
 * the provider is pointed, so a test can count its calls), a V1 admin client to check and change Platos behind the
 * provider's back, a work directory, and, given a protocol, the stack's access on it. Call `platosWorld()` inside a
 * `describe`: it starts them in `before`; in `after` it closes them and forgets what the in-process providers were
 * configured with, cached and said. Read its fields inside tests (they exist once the suite's `before` has run).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAllPools, createClient, type PlatosClient } from "../../provider/client";
import { createPlatosApi, type PlatosApi, type Protocol } from "../../provider/platos";
import { v1Api } from "../../provider/platos/v1";
import { resetConfiguration } from "../../provider/runtime/settings";
import { accessFor, stackConfig, type Access, type AccessOptions } from "../platos/support";
import { startEmulator, type RunningEmulator, type StartOptions } from "./emulator";
import { configureProviders, newProviderProcess } from "./provider-process";
import { startRequestRecorder, type RequestRecorder } from "./request-recorder";
import { testProtocol } from "./test-protocols";

export interface PlatosWorld {
  readonly emulator: RunningEmulator;
  /** The provider talks to the emulator through this, so tests can count its API calls. */
  readonly recorder: RequestRecorder;
  /** Talks to the emulator directly over V1, to check it or change it behind the provider's back. */
  readonly admin: PlatosClient;
  /** The same, through the seam the provider uses. */
  readonly adminApi: PlatosApi;
  /** A scratch directory of the suite's own (state files, create journals), removed after it. */
  readonly work: string;
  /**
   * A stack's access on `protocol`, through the recorder unless `options.apiUrl` says otherwise: V1 with the admin
   * token; platform with a plt_mcp_ token pinned to environment "home" (each call mints one) and the admin token as
   * the operator token.
   */
  accessOn(protocol: Protocol, options?: AccessOptions): Promise<Access>;
  /** Configures this process's providers as the engine does with a stack's config on `protocol` (see `accessOn`). */
  configureProvidersOn(protocol: Protocol, options?: AccessOptions): Promise<Access>;
}

/** A world for stacks on one protocol: their access made once, in `before`. */
export interface StackWorld extends PlatosWorld {
  readonly protocol: Protocol;
  readonly access: Access;
  /** The provider's stack config (list platos:token and platos:operatorToken in secretKeys). */
  readonly platosConfig: Readonly<Record<string, string>>;
  /** The API as the stacks reach it (what `pulumi-platos import` reads with). */
  readonly stackApi: PlatosApi;
}

export interface PlatosWorldOptions {
  /** The emulator's faults, hooks and the like. */
  readonly emulator?: StartOptions;
  /**
   * `two-ports`: the agent app and core-api each on a port of its own, as Platos deploys them, with the stacks'
   * platos:coreApiUrl set to core-api's (through the recorder); `one-port`: core-api below `/core` on the one port.
   * Default: a world of stacks on a protocol takes its layout (test-protocols.ts), any other one port.
   */
  readonly layout?: "one-port" | "two-ports";
}

export function platosWorld(options?: PlatosWorldOptions): PlatosWorld;
export function platosWorld(options: PlatosWorldOptions & { readonly protocol: Protocol }): StackWorld;
export function platosWorld(options: PlatosWorldOptions & { readonly protocol?: Protocol } = {}): PlatosWorld {
  let world: (PlatosWorld & Partial<StackWorld>) | undefined;
  const twoPorts = (options.layout ?? (options.protocol ? testProtocol(options.protocol).layout : "one-port")) === "two-ports";
  before(async () => {
    const emulator = await startEmulator({ ...options.emulator, ...(twoPorts ? { coreApiPort: options.emulator?.coreApiPort ?? 0 } : {}) });
    const recorder = await startRequestRecorder(emulator.url, twoPorts ? emulator.coreApiUrl : undefined);
    const admin = createClient({ apiUrl: emulator.v1Url, token: emulator.adminToken });
    const accessOn = (protocol: Protocol, access: AccessOptions = {}) =>
      accessFor(emulator, protocol, { apiUrl: recorder.url, ...(recorder.coreApiUrl === undefined ? {} : { coreApiUrl: recorder.coreApiUrl }), ...access });
    world = {
      emulator,
      recorder,
      admin,
      adminApi: v1Api(admin),
      work: mkdtempSync(join(tmpdir(), "platos-world-")),
      accessOn,
      async configureProvidersOn(protocol, access) {
        const reached = await accessOn(protocol, access);
        await configureProviders(stackConfig(reached.settings));
        return reached;
      },
    };
    if (options.protocol) {
      const access = await accessOn(options.protocol);
      world = { ...world, protocol: options.protocol, access, platosConfig: stackConfig(access.settings), stackApi: createPlatosApi(access.settings) };
    }
  });
  after(async () => {
    resetConfiguration();
    newProviderProcess();
    await closeAllPools();
    await world?.recorder.close();
    await world?.emulator.close();
    if (world) rmSync(world.work, { recursive: true, force: true });
  });
  const started = (): PlatosWorld & Partial<StackWorld> => {
    if (!world) throw new Error("the Platos world is used outside a test: it starts in the suite's before hook");
    return world;
  };
  return new Proxy({} as StackWorld, { get: (_target, field) => started()[field as keyof StackWorld] });
}
