/**
 * The creates this machine's provider sent in the last day: how a later `pulumi up` tells its own interrupted create
 * from somebody else's object. When the provider host dies (or the CLI, or the CI job, is killed) with a create in
 * flight, Pulumi keeps no id for it (at most a "pending operation", which the next up clears and then creates again,
 * pulumi/pulumi#9293), while the object may well exist. The same holds for a create whose answer the provider did
 * get: the engine records the id only once the provider's answer reaches it, and a run killed in between leaves an
 * object no state holds. Platos cannot say who made it: MCP has no idempotency keys, no object has a field to mark it
 * with, and a variable write is an upsert (sending it again to ask would overwrite). So each create is written down
 * here before it is sent, and its answer's time once it arrives; the entry stays, for a day. A refusal of a create
 * whose every attempt was answered (4xx or 503) made nothing, and removes its send. An object holding the create's
 * natural key counts as the provider's own only when an entry for the identical create of the same stack, state
 * backend and resource (`declaredBy`, same API, credential, kind and request) exists, the object was made while that
 * send could have been running (between the send and its answer; 30 minutes when no answer came: no answer, or a
 * 500/502/504), and the object holds what the request fixed (own-create.ts). Anything else still needs
 * `adopt: true`, and so does a run that died on another machine: the journal is local.
 *
 * An entry is a file named by an HMAC, keyed by the credential, of the API URL, state backend (state-backend.ts),
 * kind, stack and resource, and request in canonical form; it holds, per send, when it was sent and when its answer
 * arrived. No value, id or token can be read back from it. Entries are dropped after a day; the sweep touches only
 * files named like an entry. Directory: PLATOS_CREATE_JOURNAL_DIR, else `pulumi-platos-creates` in the OS temp
 * directory, made 0700 (files 0600) and refused when it is a symlink, another user's, or writable by group or others
 * (journal-directory.ts; a refused shared default gives way to a private one in the user's home).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHmac } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { canonicalJson } from "../client/canonical-json";
import { isApiError } from "../client/errors";
import type { AttemptEvent } from "../client/transport";
import type { JournalKind } from "../registry";
import { checkedJournalDirectory, JournalDirectoryRefused, resetJournalDirectories as resetCheckedDirectories } from "./journal-directory";
import { noticeOnce } from "./notices";
import { providerSettings } from "./settings";
import { forgetStateBackend, stateBackend } from "./state-backend";

export const JOURNAL_KEEPS_MS = 24 * 60 * 60_000;
/**
 * How much earlier than its create was sent an object may seem to have been made, the clocks of this machine and
 * of Platos disagreeing. Kept small: an object made before the create was sent is somebody else's.
 */
const CLOCK_SKEW_MS = 5_000;
/** How long after it was sent a create whose answer never came may still have made its object: its attempts, an approval. */
const CREATE_RUNS_MS = 30 * 60_000;

/** One send of a create: when it left, and when its answer arrived (undefined while none has). */
interface Send {
  readonly sentAt: number;
  readonly answeredAt?: number;
}

/** An entry holds a line per send: `sentAt`, or `sentAt answeredAt` once its answer arrived. */
const sendLine = ({ sentAt, answeredAt }: Send) => (answeredAt === undefined ? `${sentAt}\n` : `${sentAt} ${answeredAt}\n`);

function parseSends(text: string): Send[] {
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [sentAt, answeredAt] = line.split(" ").map(Number);
      return answeredAt === undefined || Number.isNaN(answeredAt) ? { sentAt: sentAt! } : { sentAt: sentAt!, answeredAt };
    });
}

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

function entryName(create: JournalledCreate & { declaredBy: string }): string {
  const { apiUrl, token } = providerSettings();
  return createHmac("sha256", token)
    .update(`${apiUrl}\n${stateBackend()}\n${create.kind}\n${create.declaredBy}\n${canonicalJson(create.request)}`)
    .digest("hex");
}

/** Old entries of a journal directory are dropped once per process, in the background. */
const swept = new Set<string>();

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
  const dir = await checkedJournalDirectory();
  if (!swept.has(dir)) {
    swept.add(dir);
    void dropOldEntries(dir, now).catch(() => undefined);
  }
  return join(dir, entryName({ ...create, declaredBy: create.declaredBy }));
}

function sayCannotJournal(err: unknown): void {
  if (err instanceof JournalDirectoryRefused) return noticeOnce(err.message);
  const code = (err as { code?: unknown }).code;
  noticeOnce(
    `pulumi-platos: cannot write its create journal (${typeof code === "string" ? code : "error"}): after an interrupted run, an object it made will need \`adopt: true\``,
  );
}

/** Writes the create down; call it just before sending. A journal that cannot be written is said once and stops nothing. */
export async function journalCreate(create: JournalledCreate, now = Date.now()): Promise<void> {
  try {
    const path = await entryPath(create, now);
    if (path === undefined) return;
    // O_NOFOLLOW: an entry planted as a symlink is not written through.
    const file = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    try {
      await file.appendFile(sendLine({ sentAt: now }));
    } finally {
      await file.close();
    }
  } catch (err) {
    sayCannotJournal(err);
  }
}

/** The object the create met is somebody else's, made by none of its sends: its entry no longer shows anything. */
export async function settleCreate(create: JournalledCreate): Promise<void> {
  try {
    const path = await entryPath(create, Date.now());
    if (path !== undefined) await rm(path, { force: true });
  } catch {
    // An entry left counts only for this very stack and resource, and for a day.
  }
}

/** Rewrites the entry's sends as `change` says; an entry left with none is removed. */
async function rewriteSends(create: JournalledCreate, change: (sends: Send[]) => Send[]): Promise<void> {
  try {
    const path = await entryPath(create, Date.now());
    if (path === undefined) return;
    const left = change(await sendsOf(create, Date.now()));
    if (left.length === 0) return await rm(path, { force: true });
    // No O_CREAT: an entry that was never written (the journal could not be) is not made now.
    const file = await open(path, constants.O_WRONLY | constants.O_TRUNC | constants.O_NOFOLLOW);
    try {
      await file.writeFile(left.map(sendLine).join(""));
    } finally {
      await file.close();
    }
  } catch {
    // Left as it was: it counts only for this very create, and only for an object that holds it.
  }
}

/** A refused create's own send leaves the entry; earlier sends of the same create stay evidence. */
const settleSend = (create: JournalledCreate, sentAt: number) => rewriteSends(create, (sends) => sends.filter((send) => send.sentAt !== sentAt));

/**
 * The answer of the send made at `sentAt` arrived: the entry keeps it, now bounded by the answer's time. The engine
 * records the object's id only once this answer reaches it; until the next run finds it in state, only the journal
 * can show the object is this resource's own.
 */
export const answerCreate = (create: JournalledCreate, sentAt: number, answeredAt = Date.now()) =>
  rewriteSends(create, (sends) => sends.map((send) => (send.sentAt === sentAt ? { sentAt, answeredAt } : send)));

/**
 * Statuses after which a create may have run: no answer at all (the connection dropped, the attempt timed out), a
 * 500 (Platos's agents.create commits its transaction and only then reads the agent back and clears caches,
 * apps/agent/src/agent-runtime/agent-crud.service.ts@a9710c92 `create`: a failure there answers an error for an agent
 * that exists), and a gateway's 502 or 504 (the upstream may have run it). Any other answer, a 4xx or a 503, is a
 * refusal: the tool or route did not make the object.
 */
const mayHaveRunAfter = (status: number | undefined): boolean => status === undefined || (status >= 500 && status !== 503);

/** What the attempts of one journalled send showed: whether any of them may have run without its answer reaching us. */
interface SendWatch {
  mayHaveRun: boolean;
}

const watchedSend = new AsyncLocalStorage<SendWatch>();

/**
 * The transport's `onAttempt` (runtime/context.ts): an attempt made while a journalled create is being sent counts
 * for that send. Lookups made during the send (the platform adapter looks for a create's object before it sends
 * again) count too, which only ever keeps an entry that might have been settled.
 */
export function noteAttempt(event: AttemptEvent): void {
  const watch = watchedSend.getStore();
  if (watch && mayHaveRunAfter(event.status)) watch.mayHaveRun = true;
}

/** A create that failed with a refusal every one of whose attempts was answered: it made nothing. */
function refusedUnrun(err: unknown, watch: SendWatch): boolean {
  return !watch.mayHaveRun && isApiError(err) && !mayHaveRunAfter(err.status);
}

/**
 * Sends a create, journalled before: a success records when its answer arrived, a refusal whose every attempt was
 * answered removes this send ("nothing made"). A send that may have run without an answer stays as it was.
 */
export async function sendJournalled<T>(create: JournalledCreate, send: () => Promise<T>, sentAt = Date.now()): Promise<T> {
  await journalCreate(create, sentAt);
  const watch: SendWatch = { mayHaveRun: false };
  let answer: T;
  try {
    answer = await watchedSend.run(watch, send);
  } catch (err) {
    if (refusedUnrun(err, watch)) await settleSend(create, sentAt);
    throw err;
  }
  await answerCreate(create, sentAt);
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

async function sendsOf(create: JournalledCreate, now: number): Promise<Send[]> {
  try {
    const path = await entryPath(create, now);
    if (path === undefined) return [];
    const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return parseSends(await file.readFile("utf8"));
    } finally {
      await file.close();
    }
  } catch {
    return [];
  }
}

/**
 * When an object made at `madeAt` fits a send of this identical create by the same stack and resource,
 * the evidence for the notice; undefined when nothing shows that this resource made it.
 */
export async function ownCreateEvidence(create: JournalledCreate, madeAt: string | null, options: EvidenceOptions = {}): Promise<string | undefined> {
  const { now = Date.now(), sentBefore = Infinity } = options;
  const made = madeAt === null ? NaN : Date.parse(madeAt);
  if (Number.isNaN(made)) return undefined;
  // A send dated after now is no record of this machine's past: never evidence.
  const fits = ({ sentAt: at, answeredAt }: Send) =>
    at <= now &&
    at < sentBefore &&
    now - at <= JOURNAL_KEEPS_MS &&
    made >= at - CLOCK_SKEW_MS &&
    made <= (answeredAt === undefined ? at + CREATE_RUNS_MS : answeredAt + CLOCK_SKEW_MS);
  const send = (await sendsOf(create, now)).find(fits);
  return send === undefined ? undefined : `this machine's provider sent the identical create ${inWords(now - send.sentAt)}, and it was made then`;
}

/** For tests: a new provider process has checked no journal directory and swept none. */
export function resetJournalDirectories(): void {
  swept.clear();
  resetCheckedDirectories();
  forgetStateBackend();
}
