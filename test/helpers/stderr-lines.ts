/** What the code under test writes to this process's stderr while `step` runs, by line, kept off the terminal. */
export async function stderrDuring<T>(step: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stderr.write;
  try {
    const result = await step();
    return {
      result,
      lines: written
        .join("")
        .split("\n")
        .filter((line) => line !== ""),
    };
  } finally {
    process.stderr.write = write;
  }
}
