/** Starts `emulator/main.ts` as a child process and waits for its ready line; for the main job and CLI tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");

export interface EmulatorProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export function startEmulatorProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", join(root, "emulator", "main.ts")], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the emulator did not report ready within ${timeoutMs} ms`));
    }, timeoutMs);
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /Platos emulator listening on (http:\/\/\S+)/.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ url: match[1]!, child, stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with code ${code} before it was ready`));
    });
  });
}
