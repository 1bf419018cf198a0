/**
 * The in-process providers as the engine drives them: each Pulumi operation a provider process of its own, configured
 * with the stack's config, and `check` run before anything else.
 */
import { strict as assert } from "node:assert";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { environmentProvider } from "../../provider/providers/environment";
import { resetContexts } from "../../provider/runtime/context";
import { resetJournalDirectories } from "../../provider/runtime/create-journal";
import { resetNotices } from "../../provider/runtime/notices";
import { resetConfiguration } from "../../provider/runtime/settings";
import { configSource } from "../platos/support";

/** Each Pulumi operation has a provider process of its own: an empty read cache, nothing said yet, no journal directory checked. */
export function newProviderProcess(): void {
  resetContexts();
  resetNotices();
  resetJournalDirectories();
}

/** `check` as the engine calls it, asserting it reports no failure: the checked inputs. */
export async function checkedInputs(
  provider: dynamic.ResourceProvider,
  news: Record<string, unknown>,
  olds: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const result = await provider.check!(olds, news);
  assert.deepEqual(result.failures, []);
  return result.inputs as Record<string, unknown>;
}

/** Configures every provider of this process as the engine does, with exactly this stack config. */
export async function configureProviders(config: Record<string, string>): Promise<void> {
  resetConfiguration(); // configure keeps a key the new config leaves out
  await environmentProvider.configure!({ config: configSource(config) });
}
