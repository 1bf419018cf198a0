/**
 * Keyset pagination over each table's `seq` column. The cursor is opaque to clients: base64url of the last
 * row's position, so pages stay stable while rows are added. A front door reads the cursor a client sent
 * (`readCursor`) and refuses one this server never issued; the store takes read cursors only.
 */
import type { PageBlock } from "../../provider/client/schemas";

const DEFAULT_PAGE_LIMIT = 50;

/** A cursor this server issued: as sent, and the `seq` after which its page starts. */
export interface Cursor {
  readonly text: string;
  readonly afterSeq: number;
}

export interface PageRequest {
  readonly limit?: number;
  readonly cursor?: Cursor;
}

export interface Page<T> {
  readonly items: T[];
  readonly page: PageBlock;
}

/** The cursor `text` is; undefined when it is not one this server issued. */
export function readCursor(text: string): Cursor | undefined {
  const match = /^s:(\d{1,10})$/.exec(Buffer.from(text, "base64url").toString("utf8"));
  return match?.[1] ? { text, afterSeq: Number(match[1]) } : undefined;
}

/** The `seq` after which the page starts; 0 for the first page. */
export const afterSeq = (cursor: Cursor | undefined): number => cursor?.afterSeq ?? 0;

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
      cursor: request.cursor?.text ?? null,
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
