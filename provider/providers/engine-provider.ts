/** The one way a resource's engine side is built: what runtime/index.ts exports and the shims call. */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { configureFrom } from "../runtime/settings";

/** Every method a shim forwards, typed by the resource's inputs and outputs. */
export type EngineProvider<Inputs, Outputs> = Required<dynamic.ResourceProvider<Inputs, Outputs>>;

/** A resource's engine side; `configure` is the same for all: it records the engine's `platos:*` stack config. */
export function engineProvider<Inputs, Outputs>(methods: Omit<EngineProvider<Inputs, Outputs>, "configure">): EngineProvider<Inputs, Outputs> {
  return {
    async configure(req) {
      configureFrom(req.config);
    },
    ...methods,
  };
}
