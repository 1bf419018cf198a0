/**
 * Runs the benchmark's own resources, inputs unchanged, on another dynamic provider through the same host: a
 * ProviderHost wrapper that puts `code` in place of the `__provider` input of every call.
 */
import type { ProviderHost } from "../../../test/harness/provider-host";
import { PROVIDER_KEY, type PropertyMap } from "../../../test/harness/wire";
import { passedThrough } from "../host-passthrough";

export function swapProvider(host: ProviderHost, code: string): ProviderHost {
  const swapped = (props: PropertyMap): PropertyMap => (PROVIDER_KEY in props ? { ...props, [PROVIDER_KEY]: code } : props);
  const maybe = (props: PropertyMap | undefined) => props && swapped(props);
  return {
    ...passedThrough(host),
    configure: (config, opts) => host.configure(config, opts),
    check: (urn, olds, news) => host.check(urn, swapped(olds), swapped(news)),
    diff: (id, urn, olds, news, oldInputs) => host.diff(id, urn, swapped(olds), swapped(news), maybe(oldInputs)),
    create: (urn, props, opts) => host.create(urn, swapped(props), opts),
    read: (id, urn, props, inputs) => host.read(id, urn, swapped(props), maybe(inputs)),
    update: (id, urn, olds, news, opts) => host.update(id, urn, swapped(olds), swapped(news), opts && { ...opts, oldInputs: maybe(opts.oldInputs) }),
    delete: (id, urn, props, oldInputs) => host.delete(id, urn, swapped(props), maybe(oldInputs)),
    close: () => host.close(),
  };
}
