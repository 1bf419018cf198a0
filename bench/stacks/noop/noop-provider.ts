/**
 * The floor for the provider host: a dynamic provider that does nothing. Check hands back what it is given, Diff
 * finds no change, Create, Read and Update return what they get; it sends no request. Serialised by the SDK, as any
 * dynamic provider written inline in a program is, so the host deserialises and calls it as it does ours.
 */
import type * as pulumi from "@pulumi/pulumi";
import { serializedProviderOf } from "../../../test/harness/provider-size";

export const noopProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    return { inputs: news };
  },
  async diff() {
    return { changes: false };
  },
  async create(inputs) {
    // Ids only need to differ within a state file.
    return { id: `noop-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, outs: inputs };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
  async delete() {},
};

/** The `__provider` the SDK writes for `noopProvider`. */
export const noopProviderCode = (): Promise<string> => serializedProviderOf(noopProvider);
