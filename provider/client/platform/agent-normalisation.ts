/**
 * How real Platos changes an agent's configuration on its way in and out
 * (apps/agent/src/agent-runtime/agent-crud.service.ts@a9710c92: `create` L785-L848, `update` L909-L943,
 * `buildSnapshot` L548-L577, `versionData` L611-L673, `publicMemoryConfig`/`publicToolsConfig` L522-L537,
 * `normalizeToolsBlockConfig` L106-L116, `mergeJsonConfig` L124-L129; prompt-builder.service.ts@2c9a6b15
 * `serializePromptBlocksToSystemPrompt` L658-L685), so that the emulator stores what Platos stores and the provider
 * compares a declaration with what Platos will hold, not with what it sent:
 * - `systemPrompt` on create is `dto.systemPrompt || derivedFromBlocks || null`; an update that carries prompt
 *   blocks but no prompt re-derives it; an update that carries a prompt stores it as given.
 * - `toolsBlockConfig` always reads back with a `mode` (`versionData`: the tool mode, "direct" unless set; an
 *   unknown mode is coerced by `normalizeToolsBlockConfig`), and an update merges it shallowly over the stored
 *   value (`mergeJsonConfig`), so a key is never removed by leaving it out. `versionData` moves `enabledTools` into
 *   the version's runtime settings only when it is an array, and `publicToolsConfig` puts it back from there: any
 *   other `enabledTools` is dropped.
 * - `memoryConfig` reads back without its `__runtime` part, and as null when nothing else is left
 *   (`publicMemoryConfig`); an update replaces it whole.
 */
import type { JsonObject, PromptBlock } from "../schemas";

const TOOL_CALL_MODES: readonly string[] = ["direct", "sub-agent", "execute-tool"];
const DEFAULT_TOOL_MODE = "direct";

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** `serializePromptBlocksToSystemPrompt` for this repo's blocks (Platos type "custom", name = key, in order). */
function promptOfBlocks(blocks: readonly PromptBlock[]): string {
  return blocks
    .filter((block) => block.enabled !== false && block.content.trim().length > 0)
    .map((block) => `## ${block.key}\n\n${block.content.trim()}`)
    .join("\n\n");
}

/** What a create stores as the prompt. */
export function promptOnCreate(systemPrompt: string | null | undefined, blocks: readonly PromptBlock[] | null | undefined): string | null {
  const derived = !systemPrompt && blocks && blocks.length > 0 ? promptOfBlocks(blocks) : null;
  return systemPrompt || derived || null;
}

/** What an update stores as the prompt: the one it gives, else one derived from the blocks it gives, else the current one. */
export function promptOnUpdate(
  systemPrompt: string | null | undefined,
  blocks: readonly PromptBlock[] | null | undefined,
  current: string | null,
): string | null {
  if (systemPrompt !== undefined) return systemPrompt;
  return blocks && blocks.length > 0 ? promptOfBlocks(blocks) : current;
}

/** `normalizeToolsBlockConfig`: a `mode` outside the known ones becomes "direct" ("tool-wrapper": "execute-tool"). */
function withValidMode(config: JsonObject): JsonObject {
  if (!("mode" in config) || (typeof config.mode === "string" && TOOL_CALL_MODES.includes(config.mode))) return config;
  return { ...config, mode: config.mode === "tool-wrapper" ? "execute-tool" : DEFAULT_TOOL_MODE };
}

/** The tools config as Platos reads it back after storing `config` (null included): always with a mode. */
export function toolsConfigAsStored(config: JsonObject | null | undefined): JsonObject {
  const { enabledTools, ...rest } = withValidMode(isObject(config) ? config : {});
  const valid = Array.isArray(enabledTools) ? { ...rest, enabledTools } : rest;
  return valid.mode === undefined ? { ...valid, mode: DEFAULT_TOOL_MODE } : valid;
}

/** `mergeJsonConfig` of an update's tools config over the stored one. */
export function toolsConfigOnUpdate(current: JsonObject | null, patch: JsonObject | null): JsonObject {
  if (patch === null) return toolsConfigAsStored(null);
  return toolsConfigAsStored({ ...(current ?? {}), ...withValidMode(patch) });
}

/** The tools config keys an update cannot remove: present now, left out of the declared config. */
export function toolsConfigKeysKept(current: JsonObject | null, declared: JsonObject | null): string[] {
  const wanted = toolsConfigAsStored(declared);
  return Object.keys(current ?? {}).filter((key) => !(key in wanted));
}

/** The memory config as Platos reads it back: without `__runtime`, null when empty. */
export function memoryConfigAsRead(config: JsonObject | null | undefined): JsonObject | null {
  if (!isObject(config)) return null;
  const { __runtime: _runtime, ...rest } = config;
  return Object.keys(rest).length > 0 ? rest : null;
}
