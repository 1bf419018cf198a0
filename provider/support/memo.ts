/**
 * A function whose results are remembered by a key the caller derives from its arguments. For pure work asked
 * again and again with the same few arguments (a compiled rule per configuration, a directory checked per path),
 * so each such cache is one line at its use, not a hand-kept map. Failures are not remembered: the next call
 * throws again, with its own message. At most `limit` results are kept; the oldest goes first.
 */
export function memoByKey<Args extends unknown[], Result>(
  keyOf: (...args: Args) => string,
  compute: (...args: Args) => Result,
  limit = 64,
): (...args: Args) => Result {
  const results = new Map<string, Result>();
  return (...args: Args): Result => {
    const key = keyOf(...args);
    if (results.has(key)) return results.get(key) as Result;
    const result = compute(...args);
    if (results.size >= limit) results.delete(results.keys().next().value as string);
    results.set(key, result);
    return result;
  };
}
