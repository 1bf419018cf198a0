/**
 * The emulator's data directory holds its master key and every secret it stores: it is the running user's alone.
 * PGlite copies the cluster it initialises into place as 0666 files whatever the umask, so modes are fixed after it
 * writes, and the process umask keeps files PostgreSQL makes later private too.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Group and others get nothing. */
export const PRIVATE_UMASK = 0o077;

const withoutGroupAndOthers = (mode: number) => mode & 0o7777 & ~PRIVATE_UMASK;

function privatise(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  chmodSync(path, withoutGroupAndOthers(stat.mode));
  if (stat.isDirectory()) for (const entry of readdirSync(path)) privatise(join(path, entry));
}

/** Creates `dir` when missing (0700) and takes every permission of group and others from it and everything under it. */
export function makePrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  privatise(dir);
}
