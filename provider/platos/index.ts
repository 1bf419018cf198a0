/** The one way to reach Platos: `createPlatosApi(settings)` picks the adapter for the configured protocol. */
import { createClient } from "../client";
import type { PlatosApi, PlatosSettings } from "./api";
import { platformApi, type PlatformTuning } from "./platform";
import { v1Api } from "./v1";

/** Transport tuning (the same on every protocol), and the platform's approval polling. */
export type ApiTuning = PlatformTuning;

export function createPlatosApi(settings: PlatosSettings, tuning: ApiTuning = {}): PlatosApi {
  switch (settings.protocol) {
    case "v1": {
      const { approvalPollMs: _poll, announce: _announce, ...transport } = tuning;
      return v1Api(createClient({ ...transport, apiUrl: settings.apiUrl, token: settings.token }));
    }
    case "platform":
      return platformApi(settings, tuning);
  }
}

export type * from "./api";
export { PROTOCOLS, Protocol, PROVIDER_KEY_CREDENTIAL_UNAVAILABLE, PROVIDER_KEY_PINNED } from "./api";
export { isProtocolLimit, ProtocolLimitError } from "./limits";
