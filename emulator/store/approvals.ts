/**
 * Approval rows of the platform gateway's approval gate. A pending row is unique per (environment, tool, HMAC of
 * the redacted arguments), so a repeated call finds the row it already made. The original arguments, an
 * operator's edited arguments and the cached result are sealed: they may hold a secret value.
 */
import { randomUUID } from "node:crypto";
import type { ApprovalStatus } from "../../provider/client/platform/jsonrpc";
import type { Keyring } from "../crypto";
import type { Database } from "./database";
import { isUniqueViolation } from "./database";
import type { EditsMissing, NotPending } from "./refusals";
import { iso, sealedOf, type Clock } from "./rows";

type Args = Record<string, unknown>;

export interface Approval {
  readonly id: string;
  readonly environmentId: string;
  readonly toolName: string;
  readonly redactedArgs: Args;
  readonly args: Args;
  readonly status: ApprovalStatus;
  readonly expiresAt: Date;
  readonly respondedBy: string | null;
  readonly comment: string | null;
  readonly editedArgs: Args | null;
  readonly consumedAt: string | null;
  /** Present once an approved call has run: what every later retry answers. */
  readonly result?: { readonly value: unknown };
  readonly createdAt: string;
}

export interface NewApproval {
  readonly environmentId: string;
  readonly toolName: string;
  /** What identifies the call (its redacted arguments); only its HMAC is stored. */
  readonly identity: string;
  readonly redactedArgs: Args;
  readonly args: Args;
  /** How long the row waits for an operator before it times out. */
  readonly ttlSeconds: number;
}

export interface Resolution {
  readonly status: Exclude<ApprovalStatus, "pending">;
  readonly comment?: string;
  readonly editedArgs?: Args;
  readonly respondedBy: string;
}

type Sealed = { ciphertext: Uint8Array; iv: Uint8Array; tag: Uint8Array };
type Maybe<T> = { [K in keyof T]: T[K] | null };

interface ApprovalRow {
  id: string;
  environmentId: string;
  toolName: string;
  redactedArgs: Args;
  status: ApprovalStatus;
  expiresAt: Date;
  respondedBy: string | null;
  comment: string | null;
  consumedAt: Date | null;
  createdAt: Date;
  argsCiphertext: Uint8Array;
  argsIv: Uint8Array;
  argsTag: Uint8Array;
  editedCiphertext: Uint8Array | null;
  editedIv: Uint8Array | null;
  editedTag: Uint8Array | null;
  resultCiphertext: Uint8Array | null;
  resultIv: Uint8Array | null;
  resultTag: Uint8Array | null;
}

const COLUMNS = `id, environment_id AS "environmentId", tool_name AS "toolName", redacted_args AS "redactedArgs", status,
  expires_at AS "expiresAt", responded_by AS "respondedBy", comment, consumed_at AS "consumedAt", created_at AS "createdAt",
  args_ciphertext AS "argsCiphertext", args_iv AS "argsIv", args_tag AS "argsTag",
  edited_ciphertext AS "editedCiphertext", edited_iv AS "editedIv", edited_tag AS "editedTag",
  result_ciphertext AS "resultCiphertext", result_iv AS "resultIv", result_tag AS "resultTag"`;

const boundTo = (id: string, part: "args" | "edited" | "result"): string => `approval/${id}/${part}`;

export function approvalsStore(db: Database, keyring: Keyring, clock: Clock) {
  const seal = (id: string, part: "args" | "edited" | "result", value: unknown) => keyring.seal(JSON.stringify(value), boundTo(id, part));
  const open = (id: string, part: "args" | "edited" | "result", sealed: Maybe<Sealed>): unknown =>
    sealed.ciphertext && sealed.iv && sealed.tag ? JSON.parse(keyring.open(sealedOf(sealed as Sealed), boundTo(id, part))) : undefined;

  const toApproval = (row: ApprovalRow): Approval => {
    const edited = open(row.id, "edited", { ciphertext: row.editedCiphertext, iv: row.editedIv, tag: row.editedTag });
    const result = row.resultCiphertext
      ? { value: open(row.id, "result", { ciphertext: row.resultCiphertext, iv: row.resultIv, tag: row.resultTag }) }
      : undefined;
    return {
      id: row.id,
      environmentId: row.environmentId,
      toolName: row.toolName,
      redactedArgs: row.redactedArgs,
      args: open(row.id, "args", { ciphertext: row.argsCiphertext, iv: row.argsIv, tag: row.argsTag }) as Args,
      status: row.status,
      expiresAt: row.expiresAt,
      respondedBy: row.respondedBy,
      comment: row.comment,
      editedArgs: (edited ?? null) as Args | null,
      consumedAt: row.consumedAt && iso(row.consumedAt),
      ...(result ? { result } : {}),
      createdAt: iso(row.createdAt),
    };
  };

  /** Pending rows past their deadline become timed_out. */
  const expire = (now: Date) => db.query("UPDATE approvals SET status = 'timed_out' WHERE status = 'pending' AND expires_at <= $1", [now]);

  const find = async (id: string): Promise<Approval | undefined> => {
    await expire(clock());
    const [row] = await db.query<ApprovalRow>(`SELECT ${COLUMNS} FROM approvals WHERE id = $1`, [id]);
    return row && toApproval(row);
  };

  return {
    find,

    /** The pending row for this call, made if there is none. */
    async pending(input: NewApproval): Promise<Approval> {
      await expire(clock());
      const argsHash = keyring.mac(`approval\n${input.toolName}\n${input.identity}`);
      for (;;) {
        const [existing] = await db.query<ApprovalRow>(
          `SELECT ${COLUMNS} FROM approvals WHERE environment_id = $1 AND tool_name = $2 AND args_hash = $3 AND status = 'pending'`,
          [input.environmentId, input.toolName, argsHash],
        );
        if (existing) return toApproval(existing);
        const id = randomUUID();
        const args = seal(id, "args", input.args);
        const now = clock();
        try {
          const [row] = await db.query<ApprovalRow>(
            `INSERT INTO approvals (id, environment_id, tool_name, args_hash, redacted_args, args_ciphertext, args_iv, args_tag, status, expires_at, created_at)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, 'pending', $9, $10) RETURNING ${COLUMNS}`,
            [
              id,
              input.environmentId,
              input.toolName,
              argsHash,
              JSON.stringify(input.redactedArgs),
              args.ciphertext,
              args.iv,
              args.tag,
              new Date(now.getTime() + input.ttlSeconds * 1000),
              now,
            ],
          );
          return toApproval(row as ApprovalRow);
        } catch (err) {
          // A concurrent identical call made the row first: read it.
          if (!isUniqueViolation(err, "approvals_pending")) throw err;
        }
      }
    },

    /**
     * Resolves a pending row; `environmentId` narrows it to one environment's rows (a token's). Undefined when there
     * is no such row.
     */
    async resolve(id: string, resolution: Resolution, environmentId?: string): Promise<Approval | undefined | NotPending | EditsMissing> {
      const approval = await find(id);
      if (!approval || (environmentId !== undefined && approval.environmentId !== environmentId)) return undefined;
      if (resolution.status === "approved_with_edits" && resolution.editedArgs === undefined) return { refused: "edits_missing" };
      await expire(clock());
      const edited = resolution.editedArgs === undefined ? undefined : seal(id, "edited", resolution.editedArgs);
      const [row] = await db.query<ApprovalRow>(
        `UPDATE approvals SET status = $2, comment = $3, responded_by = $4, edited_ciphertext = $5, edited_iv = $6, edited_tag = $7
         WHERE id = $1 AND status = 'pending' RETURNING ${COLUMNS}`,
        [id, resolution.status, resolution.comment ?? null, resolution.respondedBy, edited?.ciphertext ?? null, edited?.iv ?? null, edited?.tag ?? null],
      );
      return row ? toApproval(row) : { refused: "not_pending", status: approval.status };
    },

    /** Takes the right to run an approved row's call; false when another retry already has it. */
    async claim(id: string): Promise<boolean> {
      const claimed = await db.query<{ id: string }>("UPDATE approvals SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL RETURNING id", [id, clock()]);
      return claimed.length > 0;
    },

    /** Caches the result of the call a claim ran. */
    async complete(id: string, result: unknown): Promise<void> {
      const sealed = seal(id, "result", result);
      await db.query("UPDATE approvals SET result_ciphertext = $2, result_iv = $3, result_tag = $4 WHERE id = $1", [
        id,
        sealed.ciphertext,
        sealed.iv,
        sealed.tag,
      ]);
    },

    /** Gives a claim back when its call threw, so a retry runs it again. */
    async release(id: string): Promise<void> {
      await db.query("UPDATE approvals SET consumed_at = NULL WHERE id = $1 AND result_ciphertext IS NULL", [id]);
    },
  };
}
