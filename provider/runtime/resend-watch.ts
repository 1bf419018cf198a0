/**
 * Whether any call made inside `watchingResends` was sent more than once. The transport reports every attempt
 * (`onAttempt`, runtime/context.ts); a second attempt of a write that may have run once already can leave Platos
 * one version further than a single send would (retry-rule.ts resends environments.set_secret after an ambiguous
 * failure). The EnvironmentVariables race check only trusts a write's version when its write went out once.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { AttemptEvent } from "../client/transport";

interface ResendWatch {
  resent: boolean;
}

const watch = new AsyncLocalStorage<ResendWatch>();

/** The transport's `onAttempt`: an attempt past the first, made inside a watch, marks it. */
export function noteResend(event: AttemptEvent): void {
  const current = watch.getStore();
  if (current && event.attempt > 1) current.resent = true;
}

/** Runs `send`, and says whether any of its calls was sent again. */
export async function watchingResends<T>(send: () => Promise<T>): Promise<{ readonly value: T; readonly resent: boolean }> {
  const current: ResendWatch = { resent: false };
  const value = await watch.run(current, send);
  return { value, resent: current.resent };
}
