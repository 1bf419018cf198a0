/**
 * Every value `pulumi-platos import` writes into a program goes through here: a JSON literal, which TypeScript reads
 * as the same value. JSON escapes quotes, backslashes and control characters but leaves U+2028 and U+2029 raw, and
 * those end a `//` comment line; escaping them too makes the literal one harmless token anywhere in the program,
 * comments included, whatever the server sent (line breaks, backticks, `${`, `*` + `/`).
 */
const LINE_SEPARATORS = /[\u2028\u2029]/g;

const escapeSeparator = (char: string) => `\\u${char.charCodeAt(0).toString(16)}`;

/** `value` as a TypeScript literal; objects spread over lines indented by `indent`. */
export function codeLiteral(value: unknown, indent = ""): string {
  const json = JSON.stringify(value, null, indent === "" ? undefined : 2);
  if (json === undefined) throw new Error(`${String(value)} has no literal form`);
  return json.replace(LINE_SEPARATORS, escapeSeparator).replace(/\n/g, `\n${indent}`);
}
