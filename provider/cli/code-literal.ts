/**
 * Every value `pulumi-platos import` writes into a program goes through here: a JSON literal, which TypeScript reads
 * as the same value. JSON escapes quotes, backslashes, C0 controls and lone surrogates, but leaves raw every other
 * character a reviewer cannot see or that reorders the text around it: U+2028/U+2029 (which end a `//` comment line),
 * bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C: the "Trojan Source" trick, where what a
 * reviewer reads differs from what runs), zero-width characters, C1 controls, other format characters, non-ASCII
 * spaces, and default-ignorable fillers. Those are written as `\uXXXX` escapes, so the literal is one harmless,
 * visible token anywhere in the program, comments included; ordinary non-ASCII letters stay readable.
 */

/**
 * Controls (Cc), format characters (Cf: bidi controls, zero-width joiners, U+FEFF, tags), line and paragraph
 * separators (Zl, Zp), spaces other than U+0020 (Zs), lone surrogates (Cs) and default-ignorable code points
 * (U+115F/U+3164 Hangul fillers, variation selectors, U+034F...).
 */
const UNSEEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\p{Cs}\p{Default_Ignorable_Code_Point}]/gu;

/** `char` as `\uXXXX` escapes, one per UTF-16 unit (an astral character becomes its surrogate pair). */
function escaped(char: string): string {
  // The space and the line ends of an indented literal are JSON's own layout (inside strings JSON escapes "\n").
  if (char === " " || char === "\n") return char;
  let out = "";
  for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}

/** `value` as a TypeScript literal; objects spread over lines indented by `indent`. */
export function codeLiteral(value: unknown, indent = ""): string {
  const json = JSON.stringify(value, null, indent === "" ? undefined : 2);
  if (json === undefined) throw new Error(`${String(value)} has no literal form`);
  // Outside strings, JSON.stringify writes only ASCII, so every match is inside a string literal, where an escape reads back as the character.
  return json.replace(UNSEEN, escaped).replace(/\n/g, `\n${indent}`);
}
