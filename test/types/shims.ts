/**
 * Compile-time proof (`npm run typecheck`) that every resource of the registry has its shim file, the file its
 * `__provider` loads (`provider/shims/<resource>.ts`, resources/platos-resource.ts `shimModule`), and that the file
 * makes the shim of the resource's own `shim` kind: a resource without a line, a line naming no file, or a file making
 * another kind fails here. test/providers/serialized-shim.test.ts loads each one as the engine's host does.
 */
import type { PlatosTypeName, RESOURCES } from "../../provider/registry";
import type { Shim } from "../../provider/shims/make-shim";

/** Each resource's shim module, by registry name. */
interface ShimFiles {
  Environment: typeof import("../../provider/shims/environment");
  EnvironmentVariable: typeof import("../../provider/shims/environment-variable");
  EnvironmentVariables: typeof import("../../provider/shims/environment-variables");
  Agent: typeof import("../../provider/shims/agent");
  ProviderKey: typeof import("../../provider/shims/provider-key");
}

type MakesItsOwnKind<N extends PlatosTypeName> = ShimFiles[N] extends Shim<(typeof RESOURCES)[N]["shim"]> ? true : false;

export const everyResourceHasItsShim: { [N in PlatosTypeName]: MakesItsOwnKind<N> } = {
  Environment: true,
  EnvironmentVariable: true,
  EnvironmentVariables: true,
  Agent: true,
  ProviderKey: true,
};
