/**
 * `npm run bench`: the stacks benchmark with the options given on the command line (bench/stacks/options.ts), then
 * the policy pack's cost and the emulator's memory, each in a process of its own as when run alone. (npm hands a
 * script's arguments to its last command only, so a chain of three in package.json gave them to the wrong one.)
 */
import { spawnSync } from "node:child_process";

const TS_NODE = ["-r", "ts-node/register/transpile-only"];
const STEPS: readonly (readonly string[])[] = [
  ["--preserve-symlinks", ...TS_NODE, "bench/stacks/main.ts", ...process.argv.slice(2)],
  ["--preserve-symlinks", ...TS_NODE, "bench/policy-cost.ts"],
  [...TS_NODE, "bench/emulator-memory.ts"],
];

for (const args of STEPS) {
  const { status, signal } = spawnSync(process.execPath, args, { stdio: "inherit" });
  if (status !== 0) {
    console.error(`bench: ${args.filter((arg) => arg.endsWith(".ts")).join(" ")} ${signal ? `was killed by ${signal}` : `exited ${status}`}`);
    process.exitCode = status ?? 1;
    break;
  }
}
