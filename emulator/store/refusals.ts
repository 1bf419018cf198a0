/**
 * What the store answers when it will not do what it was asked, in the emulator's own words. The store speaks no
 * wire: each front door says a refusal its own way (routes/refusals.ts as a WireError of the V1 contract or
 * core-api; the platform tools as Platos's `{error}` result, or a thrown error the gateway answers -32603).
 * Something absent is not a refusal: a read, update or delete of it answers undefined.
 */
import type { ApprovalStatus } from "../../provider/client/platform/jsonrpc";
import type { Database, Queryable } from "./database";

/** A live project, a live environment of the project, or an agent bound in the environment already has the slug. */
export interface SlugTaken {
  readonly refused: "slug_taken";
  readonly of: "project" | "environment" | "agent";
  readonly slug: string;
}

/** A project was to go into an organization that does not exist. */
export interface OrganizationNotFound {
  readonly refused: "organization_not_found";
}

/** The environment already has a key of this provider with this label. */
export interface LabelTaken {
  readonly refused: "label_taken";
  readonly provider: string;
  readonly label: string;
}

/** What a key's envVarName must name: a SECRET variable (the V1 contract) or a provider credential (real Platos). */
export type CredentialRule = "secretVariable" | "providerCredential";

/** A key's envVarName names nothing its rule accepts, or a credential's name is another provider's. */
export interface CredentialUnavailable {
  readonly refused: "credential_unavailable";
  readonly wanted: CredentialRule;
  readonly envVarName: string;
  readonly provider: string;
  /** A secretVariable key found a PLAIN variable of that name. */
  readonly foundPlain?: boolean;
}

/** Agents bound in the key's environment name the key (its providerKeyId or a model route's), so it stays. */
export interface PinnedByAgents {
  readonly refused: "pinned_by_agents";
  readonly agents: readonly { readonly id: string; readonly slug: string }[];
}

/** The approval was already answered, or timed out. */
export interface NotPending {
  readonly refused: "not_pending";
  readonly status: ApprovalStatus;
}

/** An approval resolved `approved_with_edits` without the edited arguments. */
export interface EditsMissing {
  readonly refused: "edits_missing";
}

export type Refusal = SlugTaken | OrganizationNotFound | LabelTaken | CredentialUnavailable | PinnedByAgents | NotPending | EditsMissing;

export const isRefusal = <T>(outcome: T | Refusal): outcome is Refusal => typeof outcome === "object" && outcome !== null && "refused" in outcome;

/** Carries a refusal out of a transaction, so the transaction rolls back. */
class RolledBack extends Error {
  constructor(readonly outcome: Refusal) {
    super(`rolled back: ${outcome.refused}`);
  }
}

/** Runs `work` in one transaction, committed when it succeeds and rolled back when it answers a refusal. */
export async function refusableTransaction<O>(db: Database, work: (tx: Queryable) => Promise<O>): Promise<O> {
  try {
    return await db.transaction(async (tx) => {
      const outcome = await work(tx);
      if (isRefusal(outcome)) throw new RolledBack(outcome);
      return outcome;
    });
  } catch (err) {
    if (err instanceof RolledBack) return err.outcome as O;
    throw err;
  }
}
