/** Each protocol's descriptor, one entry per protocol (PROTOCOLS in api.ts): the only table that knows them all. */
import type { Protocol, ProtocolDescriptor } from "./api";
import { platformProtocol } from "./platform";
import { v1Protocol } from "./v1";

export const PROTOCOL_DESCRIPTORS = {
  platform: platformProtocol,
  v1: v1Protocol,
} as const satisfies Record<Protocol, ProtocolDescriptor>;

export const protocolDescriptor = (protocol: Protocol): ProtocolDescriptor => PROTOCOL_DESCRIPTORS[protocol];
