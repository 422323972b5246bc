/**
 * Characters that must reach neither Entra nor a terminal: the C0 controls (NUL, ESC, CR, LF, tab…), DEL, the C1
 * controls (U+0080 to U+009F, among them the 8-bit CSI and OSC that terminals obey), and the bidirectional
 * formatting characters that make text read differently from what it holds ("Trojan Source", CVE-2021-42574).
 * An ESC or OSC sequence in a display name would reach every admin's terminal that prints it; in Entra it would
 * show as a name that is not what it seems.
 */
const UNSAFE = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

/** Matches one unsafe character. */
export const UNSAFE_CHARACTER = new RegExp(`[${UNSAFE}]`);

const UNSAFE_ALL = new RegExp(`[${UNSAFE}]`, 'g');

/** The index of the first unsafe character of `text`, or -1. */
export function firstUnsafeCharacter(text: string): number {
  return text.search(UNSAFE_CHARACTER);
}

/** `\uXXXX`: how an unsafe character is shown, readable and inert (and the same escape JSON uses). */
export function escapedCharacter(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every unsafe character written as `\uXXXX`, except the characters in `keep` (the CLI keeps the
 * newline that ends each line it writes itself).
 */
export function escapeUnsafe(text: string, keep = ''): string {
  return text.replace(UNSAFE_ALL, (c) => (keep.includes(c) ? c : escapedCharacter(c)));
}
