/** Conversions both backends need: they return timestamps as Date and bytea as Buffer (pg) or Uint8Array (PGlite). */
export type Clock = () => Date;

export const iso = (value: Date | string): string => new Date(value).toISOString();

const bytes = (value: Uint8Array): Buffer => Buffer.from(value.buffer, value.byteOffset, value.byteLength);

/** A sealed envelope as selected (`… AS ciphertext, … AS iv, … AS tag`), ready for Keyring.open. */
export const sealedOf = (row: { ciphertext: Uint8Array; iv: Uint8Array; tag: Uint8Array }) => ({
  ciphertext: bytes(row.ciphertext),
  iv: bytes(row.iv),
  tag: bytes(row.tag),
});
