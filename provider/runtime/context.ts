/** The provider process's shared Platos API and read cache, one per set of settings. */
import { TRANSPORT_DEFAULTS } from "../client";
import type { AttemptEvent } from "../client/transport";
import { createPlatosApi, protocolDescriptor, type PlatosApi } from "../platos";
import { projectSlugsReader, type ProjectSlugsReader } from "../platos/project-slugs";
import { noteAttempt } from "./create-journal";
import { ReadCache } from "./read-cache";
import { noticeOnce } from "./notices";
import { rememberCredential } from "./redact";
import { noteResend } from "./resend-watch";
import { numberFromEnv, providerSettings, tokenDestinationNotices } from "./settings";

export interface ProviderContext {
  readonly api: PlatosApi;
  readonly cache: ReadCache;
  /** Organization and project slugs for dashboard links, read on first use only. */
  readonly projectSlugs: ProjectSlugsReader;
}

const contexts = new Map<string, ProviderContext>();

export function providerContext(): ProviderContext {
  const settings = providerSettings();
  const key = [settings.protocol, settings.apiUrl, settings.coreApiUrl ?? "", settings.token, settings.operatorToken ?? ""].join("\u0000");
  let context = contexts.get(key);
  if (!context) {
    // Before any token is sent: errors redact the configured tokens, and the user hears where they go.
    rememberCredential(settings.token);
    rememberCredential(settings.operatorToken);
    for (const line of tokenDestinationNotices(settings)) noticeOnce(line);
    const transport = {
      // The create journal hears whether a create's attempts were answered (create-journal.ts, sendJournalled); the
      // resend watch, whether a variable write went out more than once (resend-watch.ts).
      onAttempt: (event: AttemptEvent) => {
        noteAttempt(event);
        noteResend(event);
      },
      maxConcurrency: numberFromEnv("PLATOS_MAX_CONCURRENCY", TRANSPORT_DEFAULTS.maxConcurrency),
      operationTimeoutMs: numberFromEnv("PLATOS_OPERATION_TIMEOUT_MS", TRANSPORT_DEFAULTS.operationTimeoutMs),
    };
    const api = createPlatosApi(settings, { ...transport, ...protocolDescriptor(settings.protocol).tuningFromEnvironment(numberFromEnv) });
    context = { api, cache: new ReadCache(api), projectSlugs: projectSlugsReader(settings, transport) };
    contexts.set(key, context);
  }
  return context;
}

/** For tests: drop APIs and caches. */
export function resetContexts(): void {
  contexts.clear();
}
