/**
 * The provider object Pulumi serialises into every resource's `__provider`. It holds no code of its own and
 * captures nothing but a name: each method loads the implementation by package name when the host calls it, so
 * state stays small, carries no credentials or paths, and fixes reach resources created by older versions.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";

export type ShimKind = "environment" | "variable" | "variableSet" | "agent" | "providerKey";

export function makeShim(kind: ShimKind): Required<dynamic.ResourceProvider> {
  const impl = (): Required<dynamic.ResourceProvider> => require("pulumi-platos/lib/runtime/index.js")[kind];
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
