/** Walks a cursor-paginated collection to its end. */
import type { PageBlock } from "./schemas";

export interface Page<T> {
  readonly data: readonly T[];
  readonly page: PageBlock;
}

export async function* paginate<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  for (;;) {
    const { data, page } = await fetchPage(cursor);
    yield* data;
    if (!page.hasMore || page.nextCursor === null) return;
    if (page.nextCursor === cursor) throw new Error(`pagination cursor did not advance (${cursor})`);
    cursor = page.nextCursor;
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
