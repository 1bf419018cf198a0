/** The one way a resource's engine side is built: what runtime/index.ts exports and the shims call. */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { redactError } from "../runtime/redact";
import { configureFrom } from "../runtime/settings";
import type { Raw } from "./inputs";

/**
 * A resource's engine side as it is written, typed by its inputs as `check` returns them and by its outputs. The
 * engine hands each method back what an earlier one returned: `create`, `diff` and `update` get the inputs `check`
 * made, `read`, `update` and `delete` the outputs `create`, `read` or `update` made.
 */
export interface ResourceMethods<Inputs, Outputs> {
  /**
   * `olds`: the inputs last deployed (empty for a new resource); `news`: the program's, not yet checked. Without
   * failures its inputs are the resource's; with failures, whatever they could be read as.
   */
  check(olds: Raw, news: Raw): Promise<dynamic.CheckResult<Inputs> | { readonly inputs: object; readonly failures: dynamic.CheckFailure[] }>;
  diff(id: string, olds: Outputs, news: Inputs): Promise<dynamic.DiffResult>;
  create(inputs: Inputs): Promise<{ readonly id: string; readonly outs: Outputs }>;
  /** No `props` is an object gone from Platos: `id: ""`. `inputs` are what a refresh hands back as the program's. */
  read(id: string, props: Outputs): Promise<{ readonly id: string; readonly props?: Outputs; readonly inputs?: Inputs }>;
  update(id: string, olds: Outputs, news: Inputs): Promise<{ readonly outs: Outputs }>;
  delete(id: string, props: Outputs): Promise<void>;
}

/** What the shims call: the engine's untyped property bags, every method present. */
export type EngineProvider = Required<dynamic.ResourceProvider<Raw, Raw>>;

type Method = (...args: never[]) => Promise<unknown>;

/** A method whose failure leaves with every credential redacted (runtime/redact.ts), whatever path it came by. */
function redacting<M extends Method>(method: M): M {
  return (async (...args: Parameters<M>) => {
    try {
      return await method(...args);
    } catch (err) {
      throw redactError(err);
    }
  }) as M;
}

/**
 * A resource's engine side; `configure` is the same for all: it records the engine's `platos:*` stack config. Every
 * method's failure is redacted here, the one door through which errors reach the engine and so the user's log.
 */
export function engineProvider<Inputs extends object, Outputs extends object>(methods: ResourceMethods<Inputs, Outputs>): EngineProvider {
  // The one place the engine's bags are taken for the types: they are what check and the other methods returned.
  const typed = methods as unknown as Omit<EngineProvider, "configure">;
  return {
    async configure(req) {
      configureFrom(req.config);
    },
    check: redacting(typed.check),
    diff: redacting(typed.diff),
    create: redacting(typed.create),
    read: redacting(typed.read),
    update: redacting(typed.update),
    delete: redacting(typed.delete),
  };
}
