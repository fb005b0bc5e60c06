// Text from a repository (file names, commit subjects, post-mortem fields, rule text) reaches the
// terminal of whoever runs harness-lint, often on a pull request from anyone. Control characters
// in it could move the cursor, recolour or hide other output, or set the window title; bidi
// controls (U+202E) could make one name read as another. Each is shown as a visible \uXXXX escape.

const UNSAFE_INLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/** The same, except line breaks and tabs, for output made of lines. */
const UNSAFE_IN_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** One line of text, safe to print: every control character escaped, line breaks included. */
export function printable(text: string): string {
  return text.replace(UNSAFE_INLINE, escapeChar);
}

/** Text of several lines, safe to print: control characters escaped except `\n` and `\t`. */
export function printableLines(text: string): string {
  return text.replace(UNSAFE_IN_LINES, escapeChar);
}
