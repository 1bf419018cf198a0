/**
 * Provider credentials: what real Platos's BYOK flow makes (internal-packages/tenancy-database/src/secrets.ts@1e98abda
 * `linkProviderKeyInTransaction`, reached from the dashboard's Add key): a credential named by the key's envVarName,
 * tagged with its provider, holding the key material sealed. Adding material under a name another provider's
 * credential holds is refused; adding it again for the same provider rotates it. The dashboard's Add key makes the
 * credential and the key on it in one transaction (`linkKey`).
 */
import { randomUUID } from "node:crypto";
import type { Keyring } from "../crypto";
import type { Database, Queryable } from "./database";
import { findKey, type NewProviderKey, type ProviderKeysStore, type StoredProviderKey } from "./provider-keys";
import { isRefusal, refusableTransaction, type CredentialUnavailable, type LabelTaken } from "./refusals";
import type { Clock } from "./rows";

export interface ProviderCredential {
  readonly id: string;
  readonly name: string;
  readonly provider: string;
}

const boundTo = (environmentId: string, name: string): string => `provider-credential/${environmentId}/${name}`;

/** The credential named `name` for `provider` in the environment, if there is one. */
export async function findProviderCredential(q: Queryable, environmentId: string, name: string, provider: string): Promise<ProviderCredential | undefined> {
  const [row] = await q.query<ProviderCredential>(
    "SELECT id, name, provider FROM provider_credentials WHERE environment_id = $1 AND name = $2 AND provider = $3",
    [environmentId, name, provider],
  );
  return row;
}

export function providerCredentialsStore(db: Database, keyring: Keyring, clock: Clock, providerKeys: ProviderKeysStore) {
  /** Creates the credential, or rotates its material; a name held by another provider's credential is refused. */
  async function put(
    q: Queryable,
    environmentId: string,
    input: { name: string; provider: string; plaintext: string },
  ): Promise<ProviderCredential | CredentialUnavailable> {
    const sealed = keyring.seal(input.plaintext, boundTo(environmentId, input.name));
    const [row] = await q.query<ProviderCredential>(
      `INSERT INTO provider_credentials (id, environment_id, name, provider, value_ciphertext, value_iv, value_tag, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT (environment_id, name) DO UPDATE SET
         value_ciphertext = EXCLUDED.value_ciphertext, value_iv = EXCLUDED.value_iv, value_tag = EXCLUDED.value_tag, updated_at = EXCLUDED.updated_at
         WHERE provider_credentials.provider = EXCLUDED.provider
       RETURNING id, name, provider`,
      [randomUUID(), environmentId, input.name, input.provider, sealed.ciphertext, sealed.iv, sealed.tag, clock()],
    );
    return row ?? { refused: "credential_unavailable", wanted: "providerCredential", envVarName: input.name, provider: input.provider };
  }

  return {
    /** secrets.ts@1e98abda `linkProviderKeyInTransaction`: the credential named by the key's envVarName, with the key on it. */
    async linkKey(
      environmentId: string,
      key: NewProviderKey & { readonly plaintext: string },
      createdBy: string,
    ): Promise<StoredProviderKey | LabelTaken | CredentialUnavailable> {
      const { plaintext, ...fields } = key;
      return refusableTransaction(db, async (tx) => {
        const credential = await put(tx, environmentId, { name: key.envVarName, provider: key.provider, plaintext });
        return isRefusal(credential) ? credential : providerKeys.create(environmentId, fields, createdBy, "providerCredential", tx);
      });
    },

    /**
     * secrets.ts@1e98abda `rotateProviderCredentialAndKey`: new material for the credential the key links (same name,
     * same provider), the key's updatedAt moved; undefined when the environment has no such key, credential_unavailable
     * when the key links no provider credential.
     */
    async rotateKey(environmentId: string, keyId: string, plaintext: string): Promise<StoredProviderKey | undefined | CredentialUnavailable> {
      return refusableTransaction(db, async (tx) => {
        const key = await findKey(tx, environmentId, keyId);
        if (!key) return undefined;
        const unavailable: CredentialUnavailable = {
          refused: "credential_unavailable",
          wanted: "providerCredential",
          envVarName: key.envVarName,
          provider: key.provider,
        };
        if (!(await findProviderCredential(tx, environmentId, key.envVarName, key.provider))) return unavailable;
        const credential = await put(tx, environmentId, { name: key.envVarName, provider: key.provider, plaintext });
        if (isRefusal(credential)) return credential;
        await tx.query("UPDATE provider_keys SET updated_at = $2 WHERE id = $1", [keyId, clock()]);
        return findKey(tx, environmentId, keyId);
      });
    },
  };
}
