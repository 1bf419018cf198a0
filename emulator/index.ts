/** platos-emulator as a library: start the emulator in this process (the `start` command prints what this returns). */
export { readConfig, type EmulatorConfig } from "./config";
export { startEmulator, StartError, type StartedEmulator, type StartSettings, type Storage } from "./start";
