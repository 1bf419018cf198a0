/**
 * A stand-in for the Pulumi engine's Engine gRPC service, the address a policy pack is started with: records log
 * calls and answers the root-resource calls, which is all a Node policy pack asks of it.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";

export interface StubEngine {
  /** `host:port` to hand the pack as its engine address. */
  readonly address: string;
  /** Messages the pack logged through the engine. */
  readonly logs: string[];
  close(): Promise<void>;
}

export async function startStubEngine(): Promise<StubEngine> {
  const logs: string[] = [];
  let rootUrn = "";
  const server = new grpc.Server();
  const service: enginerpc.IEngineServer = {
    log: (call, callback) => {
      logs.push(call.request.getMessage());
      callback(null, new Empty());
    },
    getRootResource: (_call, callback) => callback(null, new engineproto.GetRootResourceResponse().setUrn(rootUrn)),
    setRootResource: (call, callback) => {
      rootUrn = call.request.getUrn();
      callback(null, new engineproto.SetRootResourceResponse());
    },
    startDebugging: (_call, callback) => callback(null, new Empty()),
    requirePulumiVersion: (_call, callback) => callback(null, new engineproto.RequirePulumiVersionResponse()),
  };
  server.addService(enginerpc.EngineService, service);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  return {
    address: `127.0.0.1:${port}`,
    logs,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
