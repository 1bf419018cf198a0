/**
 * The provider object Pulumi serialises into every resource's `__provider`. It holds no code of its own and
 * captures nothing but a name: each method loads the implementation by package name when the host calls it, so
 * state stays small, carries no credentials or paths, and fixes reach resources created by older versions.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ShimKind } from "../registry";

/** The engine-side providers by shim kind: a type only, the code is loaded by package name when the host calls. */
type EngineProviders = typeof import("../runtime/index");

export type { ShimKind };

/** A shim of one kind. The kind is a type only (nothing at run time): test/types/shims.ts checks each file makes its own. */
export type Shim<K extends ShimKind> = Required<dynamic.ResourceProvider> & { readonly __shimKind?: K };

export function makeShim<K extends ShimKind>(kind: K): Shim<K> {
  const impl = (): EngineProviders[K] => require("pulumi-platos/lib/runtime/index.js")[kind];
  return {
    configure: (req) => impl().configure(req),
    check: (olds, news) => impl().check(olds, news),
    diff: (id, olds, news) => impl().diff(id, olds, news),
    create: (inputs) => impl().create(inputs),
    read: (id, props) => impl().read(id, props),
    update: (id, olds, news) => impl().update(id, olds, news),
    delete: (id, props) => impl().delete(id, props),
  };
}
