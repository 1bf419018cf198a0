/**
 * Measures how big the serialized `__provider` is for the three ways a package can hand its shim to
 * `dynamic.Resource`, by running a one-resource program and reading the captured input.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { literalShim } from "./fixtures/literal-shim";
import { makeProgramDir, type InstallMode } from "./program-dir";
import { providerCode, runProgram } from "./program-runner";

export const ECHO_PROVIDER_DIR = path.join(__dirname, "fixtures", "echo-provider");

export interface ProviderSample {
  shape: string;
  /** How echo-provider is installed in the program dir the host must run from. */
  mode: InstallMode;
  code: string;
  bytes: number;
}

class Probe extends pulumi.dynamic.Resource {}

export async function serializedProviderOf(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  const run = await runProgram(() => {
    new Probe(provider, "probe", {}, undefined, "echo", "Thing");
  });
  const [probe] = run.resources;
  if (!probe) throw new Error("probe resource was not registered");
  return providerCode(probe);
}

/** The shim module object, loaded through a program dir's node_modules (copied or symlinked). */
function loadShimModule(mode: InstallMode): { module: pulumi.dynamic.ResourceProvider; remove(): void } {
  const program = makeProgramDir({ "echo-provider": { from: ECHO_PROVIDER_DIR, mode } });
  return { module: require(path.join(program.packagePath("echo-provider"), "lib", "shim.js")), remove: program.remove };
}

/** Node keeps a symlinked package under node_modules (instead of its real path) only with this flag. */
function preservesSymlinks(): boolean {
  const flag = "--preserve-symlinks";
  return process.execArgv.includes(flag) || (process.env.NODE_OPTIONS ?? "").includes(flag) || process.env.NODE_PRESERVE_SYMLINKS === "1";
}

export async function measureProviderSizes(): Promise<ProviderSample[]> {
  const samples: ProviderSample[] = [];
  const add = async (shape: string, mode: InstallMode, provider: pulumi.dynamic.ResourceProvider) => {
    const code = await serializedProviderOf(provider);
    samples.push({ shape, mode, code, bytes: Buffer.byteLength(code) });
  };
  await add("object literal of 7 one-line require delegates", "symlink", literalShim);
  for (const mode of ["copy", "symlink"] as const) {
    const shim = loadShimModule(mode);
    try {
      const how = mode === "copy" ? "copied into node_modules" : `symlinked (workspace), ${preservesSymlinks() ? "with" : "without"} --preserve-symlinks`;
      await add(`module object, package ${how}`, mode, shim.module);
    } finally {
      shim.remove();
    }
  }
  return samples;
}
