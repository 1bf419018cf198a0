/**
 * The creates this machine's provider sent in the last day whose answer never arrived: how a later `pulumi up`
 * tells its own interrupted create from somebody else's object. When the provider host dies (or the CLI is killed)
 * with a create in flight, Pulumi keeps no id for it (at most a "pending operation", which the next up clears and
 * then creates again, pulumi/pulumi#9293), while the object may well exist. Platos cannot say who made it: MCP has
 * no idempotency keys, no object has a field to mark it with, and a variable write is an upsert (sending it again to
 * ask would overwrite). So each create is written down here before it is sent, and settled (its entry removed) when
 * its answer arrives. An object holding the create's natural key counts as the provider's own only when an
 * unsettled entry for the identical create of the same stack and resource (`declaredBy`, same API, credential,
 * kind and request) exists and the object was made while that create could have been running. Anything else still
 * needs `adopt: true`, and so does a run that died on another machine: the journal is local.
 *
 * An entry is a file named by an HMAC, keyed by the credential, of the API URL, kind, stack and resource, and
 * request in canonical form; it holds the times the create was sent. No value, id or token can be read back from
 * it. Entries are dropped after a day; the sweep touches only files named like an entry. Directory:
 * PLATOS_CREATE_JOURNAL_DIR, else `pulumi-platos-creates` in the OS temp directory, made 0700 (files 0600) and
 * refused when it is a symlink, another user's, or writable by group or others.
 */
import { createHmac } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { lstat, mkdir, open, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonicalJson } from "../client/canonical-json";
import type { JournalKind } from "../registry";
import { noticeOnce } from "./notices";
import { providerSettings } from "./settings";

export const JOURNAL_KEEPS_MS = 24 * 60 * 60_000;
/**
 * How much earlier than its create was sent an object may seem to have been made, the clocks of this machine and
 * of Platos disagreeing. Kept small: an object made before the create was sent is somebody else's.
 */
const CLOCK_SKEW_MS = 5_000;
/** How long after it was sent a create may still have made its object: its attempts, an approval, a late answer. */
const CREATE_RUNS_MS = 30 * 60_000;

/** What an entry file is named: the hex HMAC. Nothing else in the directory is ever read or removed. */
const ENTRY_NAME = /^[0-9a-f]{64}$/;

export interface JournalledCreate {
  /** The resource's journal kind in the registry (EnvironmentVariable and EnvironmentVariables share "variable"). */
  readonly kind: JournalKind;
  /**
   * The stack and resource that send it (the resource classes' `declaredBy` input). Without one nothing is
   * journalled, and nothing ever counts as this create's own.
   */
  readonly declaredBy: string | undefined;
  /** Everything the create sends, the natural key (with the environment's id, not its slug) included. */
  readonly request: Readonly<Record<string, unknown>>;
}

const JOURNAL_DIR_SETTING = "PLATOS_CREATE_JOURNAL_DIR";

const journalDir = () => process.env[JOURNAL_DIR_SETTING] || join(tmpdir(), "pulumi-platos-creates");

function entryName(create: JournalledCreate & { declaredBy: string }): string {
  const { apiUrl, token } = providerSettings();
  return createHmac("sha256", token).update(`${apiUrl}\n${create.kind}\n${create.declaredBy}\n${canonicalJson(create.request)}`).digest("hex");
}

/** Why a journal directory is not this user's alone, or undefined when it is. */
function unsafeDirectory(info: Stats): string | undefined {
  if (info.isSymbolicLink()) return "it is a symbolic link";
  if (!info.isDirectory()) return "it is not a directory";
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) return `it is owned by uid ${info.uid}, not by the user running Pulumi (uid ${uid})`;
  if ((info.mode & 0o022) !== 0) return "it is writable by group or others";
  return undefined;
}

class JournalDirectoryRefused extends Error {
  constructor(dir: string, reason: string) {
    super(
      `pulumi-platos: refuses the create journal directory ${dir} (${JOURNAL_DIR_SETTING}, else pulumi-platos-creates in the OS temp directory): ${reason}. ` +
        `Point ${JOURNAL_DIR_SETTING} at a directory of your own that only you can write (a missing one is made 0700); ` +
        "until then nothing is journalled, and after an interrupted run an object it made will need `adopt: true`",
    );
  }
}

/** Each journal directory of this process: made and checked once, its old entries dropped once (in the background). */
const readyDirs = new Map<string, Promise<void>>();

function readyDir(dir: string, now: number): Promise<void> {
  let ready = readyDirs.get(dir);
  if (!ready) {
    ready = (async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const unsafe = unsafeDirectory(await lstat(dir));
      if (unsafe !== undefined) throw new JournalDirectoryRefused(dir, unsafe);
      void dropOldEntries(dir, now).catch(() => undefined);
    })();
    readyDirs.set(dir, ready);
  }
  return ready;
}

async function dropOldEntries(dir: string, now: number): Promise<void> {
  for (const name of (await readdir(dir)).filter((entry) => ENTRY_NAME.test(entry))) {
    const path = join(dir, name);
    const info = await lstat(path);
    if (info.isFile() && now - info.mtimeMs > JOURNAL_KEEPS_MS) await rm(path, { force: true });
  }
}

/** The entry's path, once its directory is known safe; undefined for a create no resource identity sent. */
async function entryPath(create: JournalledCreate, now: number): Promise<string | undefined> {
  if (create.declaredBy === undefined) return undefined;
  const dir = journalDir();
  await readyDir(dir, now);
  return join(dir, entryName({ ...create, declaredBy: create.declaredBy }));
}

function sayCannotJournal(err: unknown): void {
  if (err instanceof JournalDirectoryRefused) return noticeOnce(err.message);
  const code = (err as { code?: unknown }).code;
  noticeOnce(`pulumi-platos: cannot write its create journal (${typeof code === "string" ? code : "error"}): after an interrupted run, an object it made will need \`adopt: true\``);
}

/** Writes the create down; call it just before sending. A journal that cannot be written is said once and stops nothing. */
export async function journalCreate(create: JournalledCreate, now = Date.now()): Promise<void> {
  try {
    const path = await entryPath(create, now);
    if (path === undefined) return;
    // O_NOFOLLOW: an entry planted as a symlink is not written through.
    const file = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    try {
      await file.appendFile(`${now}\n`);
    } finally {
      await file.close();
    }
  } catch (err) {
    sayCannotJournal(err);
  }
}

/** The create's answer arrived (or its object was taken over): its entry no longer shows anything. */
export async function settleCreate(create: JournalledCreate): Promise<void> {
  try {
    const path = await entryPath(create, Date.now());
    if (path !== undefined) await rm(path, { force: true });
  } catch {
    // An entry left unsettled counts only for this very stack and resource, and for a day.
  }
}

/** Sends a create, journalled before and settled once its answer arrives. */
export async function sendJournalled<T>(create: JournalledCreate, send: () => Promise<T>, sentAt = Date.now()): Promise<T> {
  await journalCreate(create, sentAt);
  const answer = await send();
  await settleCreate(create);
  return answer;
}

function inWords(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return minutes < 120 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}

export interface EvidenceOptions {
  readonly now?: number;
  /** Only sends before this time count: a create that journals, sends, then meets a conflict must not count itself. */
  readonly sentBefore?: number;
}

async function sendTimes(create: JournalledCreate, now: number): Promise<number[]> {
  try {
    const path = await entryPath(create, now);
    if (path === undefined) return [];
    const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return (await file.readFile("utf8")).split("\n").filter(Boolean).map(Number);
    } finally {
      await file.close();
    }
  } catch {
    return [];
  }
}

/**
 * When an object made at `madeAt` fits an unsettled send of this identical create by the same stack and resource,
 * the evidence for the notice; undefined when nothing shows that this resource made it.
 */
export async function ownCreateEvidence(create: JournalledCreate, madeAt: string | null, options: EvidenceOptions = {}): Promise<string | undefined> {
  const { now = Date.now(), sentBefore = Infinity } = options;
  const made = madeAt === null ? NaN : Date.parse(madeAt);
  if (Number.isNaN(made)) return undefined;
  // A send dated after now is no record of this machine's past: never evidence.
  const fits = (at: number) => at <= now && at < sentBefore && now - at <= JOURNAL_KEEPS_MS && made >= at - CLOCK_SKEW_MS && made <= at + CREATE_RUNS_MS;
  const sent = (await sendTimes(create, now)).find(fits);
  return sent === undefined ? undefined : `this machine's provider sent the identical create ${inWords(now - sent)}, and it was made then`;
}

/** For tests: a new provider process has checked no journal directory yet. */
export function resetJournalDirectories(): void {
  readyDirs.clear();
}
