import type { Position, Span } from "./types.js";

const BOM = "\uFEFF";

export type DecodedText = { ok: true; text: string } | { ok: false; reason: string; position: Position };

/**
 * Decodes a file as UTF-8 text. Binary content and invalid UTF-8 are refused with the position of
 * the first bad byte, so the caller can report `invalid-file` instead of linting mojibake.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, reason: "binary content (NUL byte)", position: positionOfByte(bytes, nul) };
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    // TextDecoder drops one BOM; an editor that prepends one on every save leaves more. The
    // Markdown parser skips one more without counting it, so every column would shift: drop all.
    return { ok: true, text: withoutBoms(text) };
  } catch {
    return { ok: false, reason: "not valid UTF-8", position: positionOfByte(bytes, firstInvalidUtf8Byte(bytes)) };
  }
}

/** The text without the byte order marks it starts with (any number of them). */
export function withoutBoms(text: string): string {
  let start = 0;
  while (text.startsWith(BOM, start)) start += BOM.length;
  return start === 0 ? text : text.slice(start);
}

/** Where the line after the one `offset` is on starts: past its `\r\n`, `\n` or lone `\r` (or the end). */
export function nextLineStart(text: string, offset: number): number {
  for (let i = Math.max(0, offset); i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13) return text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return text.length;
}

function positionOfByte(bytes: Uint8Array, index: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return Math.max(0, bytes.length - 1);
}

/** Maps string offsets to 1-based line/column; `\r\n`, `\n` and lone `\r` all end a line. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    let clamped = Math.max(0, Math.min(offset, this.text.length));
    // Between the CR and the LF of a CRLF is still the end of that line, not a column past it.
    if (clamped > 0 && this.text.charCodeAt(clamped) === 10 && this.text.charCodeAt(clamped - 1) === 13) clamped--;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.starts[lo]! + 1 };
  }

  span(startOffset: number, endOffset: number): Span {
    return { start: this.position(startOffset), end: this.position(endOffset) };
  }

  offset(position: Position): number {
    const start = this.starts[position.line - 1] ?? this.text.length;
    return Math.min(start + position.column - 1, this.text.length);
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

export function pointSpan(line: number, column = 1): Span {
  return { start: { line, column }, end: { line, column } };
}

/** Repo-relative posix path helpers: harness-lint never uses OS separators internally. */
export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i === -1 ? "" : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Joins and normalises `.`/`..`; returns null when the result would leave the root. */
export function joinPath(base: string, relative: string): string | null {
  const parts: string[] = base === "" ? [] : base.split("/");
  for (const segment of relative.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.join("/");
}
