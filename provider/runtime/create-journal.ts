/**
 * The creates this machine's provider sent in the last day: how a later `pulumi up` tells its own interrupted
 * create from somebody else's object. When the provider host dies (or the CLI is killed) with a create in flight,
 * Pulumi keeps no id for it (at most a "pending operation", which the next up clears and then creates again,
 * pulumi/pulumi#9293), while the object may well exist. Platos cannot say who made it: MCP has no idempotency
 * keys, no object has a field to mark it with, and a variable write is an upsert (sending it again to ask would
 * overwrite). So each create is written down here before it is sent, and an object holding the create's natural
 * key counts as the provider's own only when an entry for the identical create (same API, credential, kind and
 * request) exists and the object was made while that create could have been running. Anything else still needs
 * `adopt: true`, and so does a run that died on another machine: the journal is local.
 *
 * An entry is a file named by an HMAC, keyed by the credential, of the API URL, kind and request in canonical
 * form; it holds the times the create was sent. No value, id or token can be read back from it. Entries are
 * dropped after a day. Directory: PLATOS_CREATE_JOURNAL_DIR, else `pulumi-platos-creates` in the OS temp directory.
 */
import { createHmac } from "node:crypto";
import { appendFile, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonicalJson } from "../client/canonical-json";
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

export interface JournalledCreate {
  readonly kind: "environment" | "variable" | "agent" | "providerKey";
  /** Everything the create sends, the natural key (with the environment's id, not its slug) included. */
  readonly request: Readonly<Record<string, unknown>>;
}

const journalDir = () => process.env.PLATOS_CREATE_JOURNAL_DIR || join(tmpdir(), "pulumi-platos-creates");

function entryPath(create: JournalledCreate): string {
  const { apiUrl, token } = providerSettings();
  const name = createHmac("sha256", token).update(`${apiUrl}\n${create.kind}\n${canonicalJson(create.request)}`).digest("hex");
  return join(journalDir(), name);
}

/** Each journal directory of this process: made once, its entries older than a day dropped once (in the background). */
const readyDirs = new Map<string, Promise<void>>();

function readyDir(dir: string, now: number): Promise<void> {
  let ready = readyDirs.get(dir);
  if (!ready) {
    ready = mkdir(dir, { recursive: true, mode: 0o700 }).then(() => void dropOldEntries(dir, now).catch(() => undefined));
    readyDirs.set(dir, ready);
  }
  return ready;
}

async function dropOldEntries(dir: string, now: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if (now - (await stat(path)).mtimeMs > JOURNAL_KEEPS_MS) await rm(path, { force: true });
  }
}

/** Writes the create down; call it just before sending. A journal that cannot be written is said once and stops nothing. */
export async function journalCreate(create: JournalledCreate, now = Date.now()): Promise<void> {
  try {
    await readyDir(journalDir(), now);
    await appendFile(entryPath(create), `${now}\n`, { mode: 0o600 });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    noticeOnce(`pulumi-platos: cannot write its create journal (${typeof code === "string" ? code : "error"}): after an interrupted run, an object it made will need \`adopt: true\``);
  }
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

/**
 * When an object made at `madeAt` fits a journalled send of this identical create, the evidence for the notice;
 * undefined when nothing shows that this provider made it.
 */
export async function ownCreateEvidence(create: JournalledCreate, madeAt: string | null, options: EvidenceOptions = {}): Promise<string | undefined> {
  const { now = Date.now(), sentBefore = Infinity } = options;
  const made = madeAt === null ? NaN : Date.parse(madeAt);
  if (Number.isNaN(made)) return undefined;
  let sends: number[];
  try {
    sends = (await readFile(entryPath(create), "utf8")).split("\n").filter(Boolean).map(Number);
  } catch {
    return undefined;
  }
  const fits = (at: number) => at < sentBefore && now - at <= JOURNAL_KEEPS_MS && made >= at - CLOCK_SKEW_MS && made <= at + CREATE_RUNS_MS;
  const sent = sends.find(fits);
  return sent === undefined ? undefined : `this machine's provider sent the identical create ${inWords(now - sent)}, and it was made then`;
}
