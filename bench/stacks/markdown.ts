/** Markdown tables and the number formats the benchmark prints. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
export const mebibytes = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MB`;
export const ratio = (value: number, of: number): string => (of === 0 ? "—" : `${(value / of).toFixed(2)}×`);
export const cpu = (cpuSeconds: number): string => `${cpuSeconds.toFixed(1)} s`;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
