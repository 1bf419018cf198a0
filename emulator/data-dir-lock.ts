/**
 * One emulator per data directory: PGlite has no lock of its own, and two processes writing one data directory
 * corrupt it. The lock file holds the owner's pid; a lock whose process is gone (killed with SIGKILL) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock on `dataDir`, or throws naming the process that holds it; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, "emulator.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(`another emulator (pid ${owner}) is using ${dataDir}; stop it or set PLATOS_EMULATOR_DATA to another directory`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
