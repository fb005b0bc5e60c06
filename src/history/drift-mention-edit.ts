import type { Finding } from "../harness/types.js";
import { LineIndex } from "../shared/text.js";
import { hashText, type CheckedTextEdit } from "../shared/text-edits.js";

// A finding's span covers the whole mention: the code span with its backticks, the whole
// `[text](target)` link, or `@path`. A fix must change only the name inside it, so the text
// around the name (backticks, `()`, link text, `#anchor`, `:12`) stays as the author wrote it.

export interface SourceText {
  text: string;
  lines: LineIndex;
  hash: string;
}

export function sourceText(text: string): SourceText {
  return { text, lines: new LineIndex(text), hash: hashText(text) };
}

/** Where, inside the finding's span, the mention's written text lives: [start, end) offsets. */
function mentionBody(source: SourceText, finding: Finding): { start: number; end: number } | null {
  if (finding.endLine === undefined || finding.endColumn === undefined) return null;
  const start = source.lines.offset({ line: finding.line, column: finding.column });
  const end = source.lines.offset({ line: finding.endLine, column: finding.endColumn });
  if (end <= start) return null;
  const span = source.text.slice(start, end);
  if (span.startsWith("`")) {
    const fence = /^`+/.exec(span)![0].length;
    if (!span.endsWith("`".repeat(fence)) || span.length < 2 * fence) return null;
    return { start: start + fence, end: end - fence };
  }
  if (span.startsWith("@")) return { start: start + 1, end };
  if (span.startsWith("[") || span.startsWith("![")) {
    // An inline link's destination follows the last `](`; reference links keep theirs elsewhere.
    const open = span.lastIndexOf("](");
    if (open === -1 || !span.endsWith(")")) return null;
    let from = open + 2;
    while (span[from] === " " || span[from] === "\t") from++;
    if (span[from] === "<") from++;
    return { start: start + from, end: end - 1 };
  }
  return { start, end };
}

function edit(source: SourceText, start: number, end: number, text: string): CheckedTextEdit {
  const from = source.lines.position(start);
  const to = source.lines.position(end);
  return {
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
    text,
    before: source.text.slice(start, end),
    sourceHash: source.hash,
  };
}

/** Replaces the written path at the start of the body (`src/lib/csv.ts` in `` `src/lib/csv.ts:12` ``). */
export function pathEdit(source: SourceText, finding: Finding, written: string, replacement: string): CheckedTextEdit | undefined {
  const body = mentionBody(source, finding);
  if (body === null || written === replacement) return undefined;
  const inner = source.text.slice(body.start, body.end);
  const at = inner.trimStart().startsWith(written) ? inner.length - inner.trimStart().length : -1;
  if (at === -1) return undefined;
  const after = inner[at + written.length];
  // The written text must end where a path ends, or the edit would cut a longer name in two.
  if (after !== undefined && !/[/#?:)\s>"']/.test(after)) return undefined;
  return edit(source, body.start + at, body.start + at + written.length, replacement);
}

const IDENTIFIER_CHAR = /[\w$]/;

/**
 * Rewrites a symbol: the whole dotted name where it is written out, or only the parts that
 * changed where the span holds fewer of them (`.importRows()` continues a class named earlier).
 */
export function symbolEdit(source: SourceText, finding: Finding, oldName: string, newName: string): CheckedTextEdit | undefined {
  const body = mentionBody(source, finding);
  if (body === null || oldName === newName) return undefined;
  const inner = source.text.slice(body.start, body.end);
  const whole = findWord(inner, oldName);
  if (whole !== -1) return edit(source, body.start + whole, body.start + whole + oldName.length, newName);
  const oldParts = oldName.split(/\.|::|#/);
  const newParts = newName.split(/\.|::|#/);
  if (oldParts.length !== newParts.length) return undefined;
  // Only a trailing run of parts can be written without the ones before it.
  for (let first = 1; first < oldParts.length; first++) {
    const separatorAt = positionOfPart(oldName, first);
    const oldTail = oldName.slice(separatorAt);
    const newTail = newName.slice(positionOfPart(newName, first));
    const at = findWord(inner, oldTail);
    if (at === -1) continue;
    if (oldTail === newTail) return undefined;
    return edit(source, body.start + at, body.start + at + oldTail.length, newTail);
  }
  return undefined;
}

/** Offset where the n-th part of a dotted name starts. */
function positionOfPart(name: string, n: number): number {
  const separators = /\.|::|#/g;
  let count = 0;
  for (let match = separators.exec(name); match !== null; match = separators.exec(name)) {
    count++;
    if (count === n) return match.index + match[0].length;
  }
  return name.length;
}

/** First occurrence of `word` not glued to other identifier characters. */
function findWord(text: string, word: string): number {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const before = text[at - 1];
    const after = text[at + word.length];
    if ((before === undefined || !IDENTIFIER_CHAR.test(before)) && (after === undefined || !IDENTIFIER_CHAR.test(after))) return at;
  }
  return -1;
}
