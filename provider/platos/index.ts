/** The one way to reach Platos: `createPlatosApi(settings)` builds the adapter of the configured protocol. */
import type { ApiTuning, PlatosApi, PlatosSettings } from "./api";
import { protocolDescriptor } from "./protocols";

export function createPlatosApi(settings: PlatosSettings, tuning: ApiTuning = {}): PlatosApi {
  return protocolDescriptor(settings.protocol).create(settings, tuning);
}

export type * from "./api";
export { PROTOCOLS, Protocol, PROVIDER_KEY_CREDENTIAL_UNAVAILABLE, PROVIDER_KEY_PINNED } from "./api";
export { isProtocolLimit, ProtocolLimitError } from "./limits";
export { PROTOCOL_DESCRIPTORS, protocolDescriptor } from "./protocols";
