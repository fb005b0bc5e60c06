// Commit message trailers, read the way `git interpret-trailers --parse` reads them (git's
// trailer.c): only the last paragraph can hold trailers, never the subject paragraph; a line is a
// trailer when it starts `Key:` (key of letters, digits and dashes, spaces allowed before the
// colon); lines starting with whitespace continue the line before and are folded into it with one
// space. A last paragraph mixing trailers and prose still counts when at least a quarter of its
// lines are trailers and one of them is git-generated (`Signed-off-by:`, `(cherry picked from
// commit ...)`) or a key the caller recognises. Keys compare case-insensitively.

export interface Trailer {
  /** The key as written, without the separator. */
  key: string;
  /** The value, folded onto one line and trimmed. */
  value: string;
}

export interface TrailerOptions {
  /** Keys that make a mixed last paragraph a trailer block, as git's `trailer.<key>` config does. */
  recognisedKeys?: readonly string[];
  /** Lines starting with it are comments (git's core.commentChar); default `#`. */
  commentChar?: string;
}

const GIT_GENERATED_PREFIXES = ["Signed-off-by: ", "(cherry picked from commit "];
const SCISSORS = / -{8,} >8 -{8,}$/;

/** Every trailer of the message, in order. */
export function parseTrailers(message: string, options: TrailerOptions = {}): Trailer[] {
  const commentChar = options.commentChar ?? "#";
  const lines = messageLines(message, commentChar);
  const start = trailerBlockStart(lines, commentChar, options.recognisedKeys ?? []);
  if (start === -1) return [];

  // Continuation lines join the line before them, whatever that line is (git's parse_trailers).
  const joined: string[] = [];
  for (const line of lines.slice(start)) {
    if (joined.length > 0 && /^\s/.test(line) && line.trim() !== "") joined[joined.length - 1] += `\n${line}`;
    else joined.push(line);
  }
  const trailers: Trailer[] = [];
  for (const line of joined) {
    if (line.startsWith(commentChar) || line.trim() === "") continue;
    const separator = separatorIndex(line);
    if (separator < 1) continue;
    const key = line.slice(0, separator).trim();
    trailers.push({ key, value: unfold(line.slice(separator + 1)) });
  }
  return trailers;
}

/** The values of every trailer with this key (case-insensitive), empty values left out. */
export function trailerValues(message: string, key: string, options: TrailerOptions = {}): string[] {
  const wanted = key.toLowerCase();
  const recognisedKeys = [...(options.recognisedKeys ?? []), key];
  return parseTrailers(message, { ...options, recognisedKeys })
    .filter((trailer) => trailer.key.toLowerCase() === wanted && trailer.value !== "")
    .map((trailer) => trailer.value);
}

/**
 * The post-mortems a message cites under `key`: its trailers, as git reads them, and also those of
 * earlier body paragraphs made only of trailer lines. GitHub's squash merge writes each squashed
 * commit's message as its own paragraph, so all but the last commit's trailers sit mid-message,
 * where git would not look. The subject paragraph never counts. Duplicates are dropped.
 */
export function citedTrailerValues(message: string, key: string, options: TrailerOptions = {}): string[] {
  const commentChar = options.commentChar ?? "#";
  const wanted = key.toLowerCase();
  const values = trailerValues(message, key, options);
  const paragraphs = messageLines(message, commentChar)
    .join("\n")
    .split(/\n[ \t]*\n/)
    .slice(1);
  for (const paragraph of paragraphs) {
    const lines = paragraph.split("\n").filter((line) => line.trim() !== "" && !line.startsWith(commentChar));
    const heads = lines.filter((line) => !/^\s/.test(line));
    if (heads.length === 0 || !heads.every((line) => separatorIndex(line) >= 1)) continue;
    for (const trailer of parseTrailers(`subject\n\n${lines.join("\n")}`, { ...options, recognisedKeys: [key] })) {
      if (trailer.key.toLowerCase() === wanted && trailer.value !== "") values.push(trailer.value);
    }
  }
  return [...new Set(values)];
}

/**
 * The message as `git commit` will record it from a message file: everything from the scissors
 * line (`# --- >8 ---`, written by `commit -v`) on is dropped, and so are comment lines.
 */
export function stripComments(message: string, commentChar = "#"): string {
  const kept: string[] = [];
  for (const line of message.replace(/\r\n?/g, "\n").split("\n")) {
    if (line.startsWith(commentChar) && SCISSORS.test(line)) break;
    if (line.startsWith(commentChar)) continue;
    kept.push(line);
  }
  return kept.join("\n");
}

/**
 * The lines trailers are looked for in: up to a `---` divider line (git's patch divider), without
 * the scissors part, and without trailing blank and comment lines. CRLF reads as LF.
 */
function messageLines(message: string, commentChar: string): string[] {
  const lines = message.replace(/\r\n?/g, "\n").split("\n");
  let end = lines.findIndex((line) => /^---(\s|$)/.test(line));
  if (end === -1) end = lines.length;
  const scissors = lines.findIndex((line, i) => i < end && line.startsWith(commentChar) && SCISSORS.test(line));
  if (scissors !== -1) end = scissors;
  while (end > 0 && (lines[end - 1]!.trim() === "" || lines[end - 1]!.startsWith(commentChar))) end--;
  return lines.slice(0, end);
}

/** Index of the first line of the trailer block, or -1 when the last paragraph is not one. */
function trailerBlockStart(lines: string[], commentChar: string, recognisedKeys: readonly string[]): number {
  // The first paragraph is the title: it is never trailers.
  let titleEnd = 0;
  while (titleEnd < lines.length && (lines[titleEnd]!.startsWith(commentChar) || lines[titleEnd]!.trim() !== "")) titleEnd++;
  if (titleEnd >= lines.length) return -1;

  const recognised = new Set(recognisedKeys.map((key) => key.toLowerCase()));
  let trailerLines = 0;
  let nonTrailerLines = 0;
  let continuationLines = 0;
  let recognisedPrefix = false;
  for (let i = lines.length - 1; i >= titleEnd; i--) {
    const line = lines[i]!;
    if (line.startsWith(commentChar)) {
      nonTrailerLines += continuationLines;
      continuationLines = 0;
      continue;
    }
    if (line.trim() === "") {
      nonTrailerLines += continuationLines;
      if (recognisedPrefix && trailerLines * 3 >= nonTrailerLines) return i + 1;
      if (trailerLines > 0 && nonTrailerLines === 0) return i + 1;
      return -1;
    }
    if (GIT_GENERATED_PREFIXES.some((prefix) => line.startsWith(prefix))) {
      trailerLines++;
      continuationLines = 0;
      recognisedPrefix = true;
      continue;
    }
    const separator = separatorIndex(line);
    if (separator >= 1 && !/^\s/.test(line)) {
      trailerLines++;
      continuationLines = 0;
      if (recognised.has(line.slice(0, separator).trim().toLowerCase())) recognisedPrefix = true;
    } else if (/^\s/.test(line)) {
      continuationLines++;
    } else {
      nonTrailerLines += 1 + continuationLines;
      continuationLines = 0;
    }
  }
  return -1;
}

/** Position of the `:` after a key (letters, digits, dashes, then optional blanks), or -1. */
function separatorIndex(line: string): number {
  let whitespace = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ":") return i;
    if (!whitespace && /[A-Za-z0-9-]/.test(c)) continue;
    if (i > 0 && (c === " " || c === "\t")) {
      whitespace = true;
      continue;
    }
    break;
  }
  return -1;
}

/** Folded lines collapse to single spaces, as `--unfold` does. */
function unfold(value: string): string {
  return value.replace(/\n\s*/g, " ").trim();
}
