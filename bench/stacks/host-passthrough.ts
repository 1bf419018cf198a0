/** What a ProviderHost wrapper (timed-host.ts, noop/provider-swap.ts) hands on unchanged: the process and its plugin. */
import type { ProviderHost } from "../../test/harness/provider-host";

export const passedThrough = (host: ProviderHost): Pick<ProviderHost, "port" | "pid" | "startupMs" | "logs" | "pluginVersion"> => ({
  port: host.port,
  ...(host.pid === undefined ? {} : { pid: host.pid }),
  startupMs: host.startupMs,
  logs: host.logs,
  pluginVersion: () => host.pluginVersion(),
});
