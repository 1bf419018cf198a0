/**
 * Wrappers the harness hands its provider host and policy pack through (StackHarnessOptions.instrument): each
 * gRPC call is timed on a CallTimeline, and the moments that split an operation's wall time are noted (host
 * started and configured, policy pack started, shutdown begun). A preview create or update that the host would
 * not be asked for (it does not support preview) is not a call and is not timed.
 */
import type { ProviderHost } from "../../test/harness/provider-host";
import type { RunningPolicyPack } from "../../test/helpers/policy-analyzer";
import type { PropertyMap } from "../../test/harness/wire";
import { sampleProcess } from "../proc";
import type { CallTimeline } from "./call-timeline";
import { passedThrough } from "./host-passthrough";

export interface SessionMoments {
  hostStartedMs?: number;
  hostConfiguredMs?: number;
  policyPackStartedMs?: number;
  /** When the first of the host and the pack was asked to close. */
  closingMs?: number;
  /** The host's CPU seconds when Configure answered: Node and the SDK starting, no provider code loaded yet. */
  hostCpuSecondsWhenConfigured?: number;
}

/** What the wrappers need from the operation that owns them. */
export interface Instrumentation {
  readonly providerCalls: CallTimeline;
  readonly policyCalls: CallTimeline;
  readonly moments: SessionMoments;
  /** Called just before a child process is closed, to read its memory and CPU time while it still exists. */
  readonly beforeClose: () => void;
}

const closing = (moments: SessionMoments): void => {
  moments.closingMs ??= performance.now();
};

export function timedHost(host: ProviderHost, at: Instrumentation): ProviderHost {
  at.moments.hostStartedMs = performance.now();
  const { providerCalls: calls } = at;
  let supportsPreview = false;
  /** A preview write the host does not support is answered by the harness without a call. */
  const previewOnly = (opts?: { preview?: boolean }) => !!opts?.preview && !supportsPreview;
  return {
    ...passedThrough(host),
    async configure(config, opts) {
      const result = await calls.time("Configure", () => host.configure(config, opts));
      supportsPreview = result.supportsPreview;
      at.moments.hostConfiguredMs = performance.now();
      if (host.pid !== undefined) at.moments.hostCpuSecondsWhenConfigured = sampleProcess(host.pid)?.cpuSeconds;
      return result;
    },
    check: (urn, olds, news) => calls.time("Check", () => host.check(urn, olds, news)),
    diff: (id, urn, olds, news, oldInputs) => calls.time("Diff", () => host.diff(id, urn, olds, news, oldInputs)),
    create: (urn: string, props: PropertyMap, opts?: { preview?: boolean }) =>
      previewOnly(opts) ? host.create(urn, props, opts) : calls.time("Create", () => host.create(urn, props, opts)),
    read: (id, urn, props, inputs) => calls.time("Read", () => host.read(id, urn, props, inputs)),
    update: (id, urn, olds, news, opts) =>
      previewOnly(opts) ? host.update(id, urn, olds, news, opts) : calls.time("Update", () => host.update(id, urn, olds, news, opts)),
    delete: (id, urn, props, oldInputs) => calls.time("Delete", () => host.delete(id, urn, props, oldInputs)),
    async close() {
      closing(at.moments);
      at.beforeClose();
      await host.close();
    },
  };
}

export function timedPolicyPack(pack: RunningPolicyPack, at: Instrumentation): RunningPolicyPack {
  at.moments.policyPackStartedMs = performance.now();
  return {
    info: pack.info,
    startupMs: pack.startupMs,
    get logs() {
      return pack.logs;
    },
    urnOf: (type, name) => pack.urnOf(type, name),
    configure: (policyConfig) => pack.configure(policyConfig),
    analyze: (resource) => at.policyCalls.time("Analyze", () => pack.analyze(resource)),
    async close() {
      closing(at.moments);
      at.beforeClose();
      await pack.close();
    },
  };
}
