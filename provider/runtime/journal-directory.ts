/**
 * Where the create journal (create-journal.ts) and the held agent slug notes (platform/held-slugs.ts) live, checked
 * before anything there is read or written: a directory this user alone can write, and no symbolic link, so that
 * another local user can neither redirect the writes nor plant entries. PLATOS_CREATE_JOURNAL_DIR names it (and is
 * refused, with a notice, when it fails the checks: the setting says where the user wants it); without the setting it
 * is `pulumi-platos-creates` in the OS temp directory, a name every local user can make first. When another user
 * made that one (or a symlink stands there), the provider journals in a private directory of its own,
 * `~/.pulumi-platos/creates`, and says so: planting the shared one never switches the journal off.
 */
import type { Stats } from "node:fs";
import { lstat, mkdir } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { noticeOnce } from "./notices";

export const JOURNAL_DIR_SETTING = "PLATOS_CREATE_JOURNAL_DIR";

const sharedDefault = () => join(tmpdir(), "pulumi-platos-creates");
/** In the user's home, which other users cannot write into. */
export const privateJournalDirectory = (): string => join(homedir(), ".pulumi-platos", "creates");

/** Why a journal directory is not this user's alone, or undefined when it is. */
function unsafeDirectory(info: Stats): string | undefined {
  if (info.isSymbolicLink()) return "it is a symbolic link";
  if (!info.isDirectory()) return "it is not a directory";
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) return `it is owned by uid ${info.uid}, not by the user running Pulumi (uid ${uid})`;
  if ((info.mode & 0o022) !== 0) return "it is writable by group or others";
  return undefined;
}

export class JournalDirectoryRefused extends Error {
  constructor(dir: string, reason: string) {
    super(
      `pulumi-platos: refuses the create journal directory ${dir} (${JOURNAL_DIR_SETTING}, else pulumi-platos-creates in the OS temp directory): ${reason}. ` +
        `Point ${JOURNAL_DIR_SETTING} at a directory of your own that only you can write (a missing one is made 0700); ` +
        "until then nothing is journalled, and after an interrupted run an object it made will need `adopt: true`",
    );
  }
}

/**
 * Makes `dir` (0700, with its parents) unless it exists, then says why it is not safe, or undefined when it is.
 * `make: "leaf"` makes only `dir` itself; `"none"` makes nothing (a missing one then fails with ENOENT).
 */
async function whyUnsafe(dir: string, make: "with-parents" | "leaf" | "none"): Promise<string | undefined> {
  if (make === "with-parents") await mkdir(dir, { recursive: true, mode: 0o700 });
  if (make === "leaf") await mkdir(dir, { mode: 0o700 }).catch((err: { code?: unknown }) => (err.code === "EEXIST" ? undefined : Promise.reject(err)));
  return unsafeDirectory(await lstat(dir));
}

/** A planted shared default: the private directory instead, said once. */
async function privateInstead(shared: string, reason: string): Promise<string> {
  const own = privateJournalDirectory();
  const unsafe = await whyUnsafe(own, "with-parents");
  if (unsafe !== undefined) throw new JournalDirectoryRefused(own, unsafe);
  noticeOnce(
    `pulumi-platos: the shared create journal directory ${shared} is not this user's alone (${reason}): another local user may have made it, so the journal is kept in ${own} instead (set ${JOURNAL_DIR_SETTING} to choose another)`,
  );
  return own;
}

async function journalDirectory(setting: string | undefined): Promise<string> {
  if (setting) {
    const unsafe = await whyUnsafe(setting, "with-parents");
    if (unsafe !== undefined) throw new JournalDirectoryRefused(setting, unsafe);
    return setting;
  }
  const shared = sharedDefault();
  let unsafe: string | undefined;
  try {
    unsafe = await whyUnsafe(shared, "with-parents");
  } catch (err) {
    // A file or a dangling link planted under the shared name.
    unsafe = `it cannot be made (${String((err as { code?: unknown }).code ?? "error")})`;
  }
  return unsafe === undefined ? shared : privateInstead(shared, unsafe);
}

/** Each journal directory of this process, made and checked once. */
const checked = new Map<string, Promise<string>>();

/** The journal directory, made and known safe; rejects with JournalDirectoryRefused (or a file system error). */
export function checkedJournalDirectory(): Promise<string> {
  const setting = process.env[JOURNAL_DIR_SETTING] || undefined;
  const key = setting ?? `default\u0000${tmpdir()}\u0000${homedir()}`;
  let dir = checked.get(key);
  if (!dir) {
    dir = journalDirectory(setting);
    checked.set(key, dir);
  }
  return dir;
}

/**
 * A directory inside the journal's, under the same checks (the held agent slug notes); made when `make`, else a
 * missing one fails with ENOENT (a reader need not make it).
 */
export async function checkedJournalSubdirectory(name: string, make: boolean): Promise<string> {
  const dir = join(await checkedJournalDirectory(), name);
  const unsafe = await whyUnsafe(dir, make ? "leaf" : "none");
  if (unsafe !== undefined) throw new JournalDirectoryRefused(dir, unsafe);
  return dir;
}

/** For tests: a new provider process has checked no journal directory yet. */
export function resetJournalDirectories(): void {
  checked.clear();
}
