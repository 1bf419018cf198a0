/**
 * Keyset pagination over each table's `seq` column. The cursor is opaque to clients: base64url of the last
 * row's position, so pages stay stable while rows are added.
 */
import type { PageBlock } from "../../provider/client/schemas";
import { PlatosError } from "../errors";

export const DEFAULT_PAGE_LIMIT = 50;

export interface PageRequest {
  readonly limit?: number;
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly page: PageBlock;
}

/** The `seq` after which the page starts; 0 for the first page. */
export function afterSeq(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^s:(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match?.[1]) {
    throw new PlatosError("TRANSPORT_REQUEST_INVALID", "the cursor is not one this server issued", [
      { field: "cursor", code: "invalid_cursor", message: "must be a nextCursor from an earlier page" },
    ]);
  }
  return Number(match[1]);
}

export const pageLimit = (request: PageRequest): number => request.limit ?? DEFAULT_PAGE_LIMIT;

/** `rows` must be the query's result for `pageLimit(request) + 1` rows ordered by seq. */
export function toPage<Row extends { seq: number }, T>(rows: readonly Row[], request: PageRequest, toItem: (row: Row) => T): Page<T> {
  const limit = pageLimit(request);
  const hasMore = rows.length > limit;
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(toItem),
    page: {
      cursor: request.cursor ?? null,
      nextCursor: hasMore && last ? Buffer.from(`s:${last.seq}`, "utf8").toString("base64url") : null,
      limit,
      hasMore,
    },
  };
}

/** A whole collection in one page (variable listings). */
export function wholePage<T>(items: T[], limit: number): Page<T> {
  return { items, page: { cursor: null, nextCursor: null, limit, hasMore: false } };
}
