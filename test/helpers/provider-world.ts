/**
 * What a suite of provider tests against the emulator shares: one emulator, a recording proxy in front of it (the
 * provider's apiUrl), and a V1 admin client to check and change Platos behind the provider's back. Call
 * `providerWorld()` inside a `describe`: it starts them in `before`, closes them in `after` and forgets the
 * provider's settings, caches and notices.
 */
import { strict as assert } from "node:assert";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { closeAllPools, createClient, type PlatosClient } from "../../provider/client";
import { environmentProvider } from "../../provider/providers/environment";
import { resetContexts } from "../../provider/runtime/context";
import { resetJournalDirectories } from "../../provider/runtime/create-journal";
import { resetNotices } from "../../provider/runtime/notices";
import { resetConfiguration } from "../../provider/runtime/settings";
import { configSource } from "../platos/support";
import { startEmulator, type RunningEmulator } from "./emulator";
import { startRequestRecorder, type RequestRecorder } from "./request-recorder";

export interface ProviderWorld {
  readonly emulator: RunningEmulator;
  readonly recorder: RequestRecorder;
  readonly admin: PlatosClient;
}

/** Each Pulumi operation has a provider process of its own: an empty read cache, nothing said yet, no journal directory checked. */
export function newProviderProcess(): void {
  resetContexts();
  resetNotices();
  resetJournalDirectories();
}

/** `check` as the engine calls it, asserting it reports no failure: the checked inputs. */
export async function checkedInputs(provider: dynamic.ResourceProvider, news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const result = await provider.check!(olds, news);
  assert.deepEqual(result.failures, []);
  return result.inputs as Record<string, unknown>;
}

/** Configures every provider of this process as the engine does, with exactly this stack config. */
export async function configureProviders(config: Record<string, string>): Promise<void> {
  resetConfiguration(); // configure keeps a key the new config leaves out
  await environmentProvider.configure!({ config: configSource(config) });
}

export function providerWorld(): ProviderWorld {
  const world = {} as { emulator: RunningEmulator; recorder: RequestRecorder; admin: PlatosClient };
  before(async () => {
    world.emulator = await startEmulator();
    world.recorder = await startRequestRecorder(world.emulator.url);
    world.admin = createClient({ apiUrl: world.emulator.url, token: world.emulator.adminToken });
  });
  after(async () => {
    resetConfiguration();
    newProviderProcess();
    await closeAllPools();
    await world.recorder?.close();
    await world.emulator?.close();
  });
  return world;
}
