/**
 * Where the engine finds an SDK entry point (`@pulumi/pulumi/cmd/...`): resolved from the directory it runs the
 * program or pack in, so an installed project uses its own SDK; this repo's copy for a throwaway directory without one.
 */
export function resolveSdkModule(entry: string, dir: string): string {
  try {
    return require.resolve(entry, { paths: [dir] });
  } catch {
    return require.resolve(entry);
  }
}
