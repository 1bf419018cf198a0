import { strict as assert } from "node:assert";
import { collect, paginate, type Page } from "../../provider/client/paginate";

const page = (data: number[], nextCursor: string | null, cursor: string | null = null): Page<number> => ({
  data,
  page: { cursor, nextCursor, limit: 2, hasMore: nextCursor !== null },
});

describe("paginate", () => {
  it("follows nextCursor to the end", async () => {
    const pages: Record<string, Page<number>> = { start: page([1, 2], "b"), b: page([3, 4], "c", "b"), c: page([5], null, "c") };
    const seen: (string | undefined)[] = [];
    const all = await collect(paginate(async (cursor) => (seen.push(cursor), pages[cursor ?? "start"]!)));
    assert.deepEqual(all, [1, 2, 3, 4, 5]);
    assert.deepEqual(seen, [undefined, "b", "c"]);
  });

  it("fails when the cursor does not advance", async () => {
    await assert.rejects(collect(paginate(async (cursor) => page([1], "same", cursor ?? null))), /cursor did not advance/);
  });
});
