/** A variable's value as the emulator stores it, opened with its master key: the only way to see a SECRET's value. */
import { createKeyring } from "../../emulator/crypto";
import { sealedOf } from "../../emulator/store/rows";
import type { RunningEmulator } from "./emulator";

export async function storedValue(emulator: RunningEmulator, environmentId: string, key: string): Promise<string | undefined> {
  const [row] = await emulator.db.query<{ ciphertext: Uint8Array; iv: Uint8Array; tag: Uint8Array }>(
    `SELECT value_ciphertext AS ciphertext, value_iv AS iv, value_tag AS tag FROM variables WHERE environment_id = $1 AND key = $2`,
    [environmentId, key],
  );
  return row && createKeyring(emulator.masterKey).open(sealedOf(row), `${environmentId}/${key}`);
}
