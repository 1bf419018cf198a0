import { PlatosError } from "../errors";
import { readCursor, type Cursor } from "../store/pagination";

/** The query with its cursor read; a cursor this server never issued is refused as the contract says. */
export function paged<Q extends { readonly cursor?: string }>({ cursor, ...rest }: Q): Omit<Q, "cursor"> & { readonly cursor?: Cursor } {
  if (cursor === undefined) return rest;
  const read = readCursor(cursor);
  if (!read) {
    throw new PlatosError("TRANSPORT_REQUEST_INVALID", "the cursor is not one this server issued", [
      { field: "cursor", code: "invalid_cursor", message: "must be a nextCursor from an earlier page" },
    ]);
  }
  return { ...rest, cursor: read };
}
