import { strict as assert } from "node:assert";
import { memoByKey } from "../../provider/support/memo";

describe("memoByKey", () => {
  it("computes once per key and hands back the same result", () => {
    const computed: string[] = [];
    const upper = memoByKey(
      (text: string) => text,
      (text: string) => {
        computed.push(text);
        return { text: text.toUpperCase() };
      },
    );
    const first = upper("prod");
    assert.equal(upper("prod"), first);
    upper("dev");
    assert.deepEqual(computed, ["prod", "dev"]);
  });

  it("keeps at most `limit` results, dropping the oldest first", () => {
    const computed: number[] = [];
    const square = memoByKey(
      (n: number) => String(n),
      (n: number) => {
        computed.push(n);
        return n * n;
      },
      2,
    );
    square(1);
    square(2);
    square(3);
    square(2);
    square(1);
    assert.deepEqual(computed, [1, 2, 3, 1]);
  });

  it("does not remember a failure: the next call computes (and throws) again", () => {
    let calls = 0;
    const failing = memoByKey(
      () => "key",
      () => {
        calls++;
        throw new Error(`attempt ${calls}`);
      },
    );
    assert.throws(() => failing(), /attempt 1/);
    assert.throws(() => failing(), /attempt 2/);
  });
});
