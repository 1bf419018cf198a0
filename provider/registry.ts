/**
 * The Platos resources, each listed once. Everything that must know every resource derives from this table: the
 * Pulumi type tokens (read by the resource classes and the policy pack), the shims' kinds (the names the engine-side
 * providers are exported under in runtime/index.ts, which state written by older versions calls), the create
 * journal's kinds and the collections an environment holds (the read cache's lists, the environment-contents check).
 * A resource missing from runtime/index.ts, from the policies' targets, from those collections or from the class
 * outputs check fails `tsc` (see CONTRIBUTING.md "Adding a resource").
 *
 * Loadable without the Pulumi SDK (the policy pack reads it through `pulumi-platos/rules`): nothing here imports code.
 */
export const TOKEN_MODULE = "platos";

/** What the registry says of one resource. */
interface ResourceEntry {
  /** The name its engine-side provider is exported under in runtime/index.ts, and that its shim loads. Never changed. */
  readonly shim: string;
  /** How the create journal (runtime/create-journal.ts) names its creates. */
  readonly journal: string;
  /**
   * The per-environment collection its objects are listed in, or null for what no environment holds (the
   * environment itself). Its refreshes read that list through the read cache (runtime/read-cache.ts), and an
   * environment's delete lists it to find what the stack did not declare (providers/environment-contents.ts): a
   * resource an environment holds cannot be left out of that check.
   */
  readonly collection: string | null;
}

export const RESOURCES = {
  Environment: { shim: "environment", journal: "environment", collection: null },
  EnvironmentVariable: { shim: "variable", journal: "variable", collection: "variables" },
  // Its variables are journalled one by one, as EnvironmentVariable's are: either resource may take over the other's.
  EnvironmentVariables: { shim: "variableSet", journal: "variable", collection: "variables" },
  Agent: { shim: "agent", journal: "agent", collection: "agents" },
  ProviderKey: { shim: "providerKey", journal: "providerKey", collection: "providerKeys" },
} as const satisfies Record<string, ResourceEntry>;

export type PlatosTypeName = keyof typeof RESOURCES;
type Entry = (typeof RESOURCES)[PlatosTypeName];

/** The names runtime/index.ts exports the engine-side providers under. */
export type ShimKind = Entry["shim"];
export type JournalKind = Entry["journal"];
/** What an environment holds, by collection: the read cache's lists and the environment-contents check. */
export type EnvironmentCollection = Exclude<Entry["collection"], null>;

/** Dynamic resources get `pulumi-nodejs:dynamic/<module>:<type>`. */
export type PlatosTypeToken<N extends PlatosTypeName = PlatosTypeName> = `pulumi-nodejs:dynamic/${typeof TOKEN_MODULE}:${N}`;

export const PLATOS_TYPE_NAMES = Object.keys(RESOURCES) as readonly PlatosTypeName[];

export const typeTokens = Object.fromEntries(PLATOS_TYPE_NAMES.map((name) => [name, `pulumi-nodejs:dynamic/${TOKEN_MODULE}:${name}`])) as {
  readonly [N in PlatosTypeName]: PlatosTypeToken<N>;
};

export const allTypeTokens: readonly string[] = Object.values(typeTokens);
