/**
 * Runs one resource policy in-process the way @pulumi/policy's analyzer does: wire-form properties go through the
 * SDK's own deserializer (secrets unwrapped to plaintext) and unknown-checking proxy, the policy's config comes
 * from `getConfig`, and the stack config is the runtime's. An `UnknownValueError` escaping the policy fails the
 * test: the SDK would have downgraded it to an advisory, which is exactly what the pack must never rely on.
 */
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { unknownCheckingProxy, UnknownValueError, type ResourceValidationArgs, type ResourceValidationPolicy } from "@pulumi/policy";
import { urnOf } from "./fixtures";

// The SDK's internal deserializer: what turns the engine's Struct into the props a policy sees.
const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
  deserializeProperties(struct: Struct, proxySecrets: boolean): Record<string, unknown>;
};

export interface PolicyRun {
  type: string;
  stack: string;
  /** The Pulumi project in the URN; fixtures' PROJECT by default. */
  project?: string;
  name?: string;
  /** Wire form: may hold secret envelopes and the unknown sentinel. */
  props: Record<string, unknown>;
  /** The policy's config properties (what `getConfig()` returns). */
  policyConfig?: Record<string, unknown>;
  /** Stack config, e.g. `{ "platos:environment": "prod" }`. */
  stackConfig?: Record<string, string>;
}

/** The messages the policy reported. */
export async function runResourcePolicy(policy: ResourceValidationPolicy, run: PolicyRun): Promise<string[]> {
  const validate = policy.validateResource;
  if (typeof validate !== "function") throw new Error(`${policy.name} has no single validateResource`);
  const props = unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(run.props as never), false));
  const name = run.name ?? "resource";
  const args: ResourceValidationArgs = {
    type: run.type,
    props,
    urn: urnOf(run.stack, run.type, name, run.project),
    name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => (run.policyConfig ?? {}) as T,
    notApplicable: (reason?: string) => {
      throw new Error(`notApplicable: ${reason}`);
    },
  };
  const messages: string[] = [];
  pulumi.runtime.setAllConfig(run.stackConfig ?? {});
  try {
    await validate(args, (message) => messages.push(message));
  } catch (err) {
    if (err instanceof UnknownValueError) throw new Error(`${policy.name} let an unknown reach the SDK: ${(err as Error).message}`);
    throw err;
  } finally {
    pulumi.runtime.setAllConfig({});
  }
  return messages;
}
