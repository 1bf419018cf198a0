/** Errors from the dynamic provider host, as the engine would see them. */
import type * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { fromStruct, type PropertyMap } from "./wire";

/**
 * Create/Update errors thrown with an `id` mean "created, but failed to initialise": the host packs id,
 * properties and reasons into the gRPC status details and the engine records the resource anyway.
 */
export interface InitFailure {
  id: string;
  properties: PropertyMap;
  reasons: string[];
}

export class HostCallError extends Error {
  constructor(
    readonly method: string,
    /** gRPC status code: UNKNOWN (2) for anything a provider method throws. */
    readonly code: number,
    /** The provider's error message, exactly as the engine reports it. */
    readonly details: string,
    readonly initFailure?: InitFailure,
  ) {
    super(`${method}: ${details}`);
    this.name = "HostCallError";
  }
}

export function grpcErrorToHostError(method: string, err: grpc.ServiceError): HostCallError {
  return new HostCallError(method, err.code, err.details, decodeInitFailure(err.metadata));
}

function decodeInitFailure(metadata: grpc.Metadata | undefined): InitFailure | undefined {
  const [bin] = metadata?.get("grpc-status-details-bin") ?? [];
  if (!(bin instanceof Buffer)) return undefined;
  for (const any of statusproto.Status.deserializeBinary(bin).getDetailsList()) {
    const detail = any.unpack(provproto.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
    if (detail) {
      return { id: detail.getId(), properties: fromStruct(detail.getProperties()), reasons: detail.getReasonsList() };
    }
  }
  return undefined;
}
