/**
 * The provider object every resource's `__provider` loads by package name (resources/platos-resource.ts; state
 * written by 0.1 serialised it through the SDK, as a require of the same file). It holds no code of its own: each
 * method loads the implementation by package name when the host calls it, so state carries no credentials or paths,
 * and fixes reach resources created by older versions.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ShimKind } from "../registry";

/** The engine-side providers by shim kind: a type only, the code is loaded by package name when the host calls. */
type EngineProviders = typeof import("../runtime/index");

export type { ShimKind };

/**
 * A shim of one kind, which it carries (test/types/shims.ts checks each file makes its own; a test loads each
 * resource's `__provider` and reads it). The host calls only the methods.
 */
export type Shim<K extends ShimKind> = Required<dynamic.ResourceProvider> & { readonly shimKind: K };

export function makeShim<K extends ShimKind>(kind: K): Shim<K> {
  const impl = (): EngineProviders[K] => require("pulumi-platos/lib/runtime/index.js")[kind];
  return {
    shimKind: kind,
    configure: (req) => impl().configure(req),
    check: (olds, news) => impl().check(olds, news),
    diff: (id, olds, news) => impl().diff(id, olds, news),
    create: (inputs) => impl().create(inputs),
    read: (id, props) => impl().read(id, props),
    update: (id, olds, news) => impl().update(id, olds, news),
    delete: (id, props) => impl().delete(id, props),
  };
}
