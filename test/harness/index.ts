/** Test harness for the real Pulumi pieces without the CLI; see README.md. */
export * from "./wire";
export * from "./provider-host";
export * from "./program-runner";
export * from "./host-engine";
export { makeProgramDir, type InstallMode, type ProgramDir } from "./program-dir";
