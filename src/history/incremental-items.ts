import type { Rule, Span } from "../harness/types.js";

// Most commits to a rule file edit the body of one section. Parsing every version of a file with
// the full Markdown parser costs milliseconds each, and a long history has thousands of versions.
// When an edit provably cannot change the file's block structure (no heading, fence, HTML block,
// setext underline, link definition or frontmatter line is touched, and nothing in the file can
// swallow a heading), the new version's items are the old ones with their text re-sliced: the same
// refs in the same places. Anything less certain returns null, and the caller parses.

export interface ParsedRuleVersion {
  text: string;
  rules: readonly Rule[];
}

const HEADING_LIKE = /^ {0,3}#/;
const INDENTED_HEADING = /^ {1,3}#/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const INDENTED_FENCE = /^ {1,3}(`{3,}|~{3,})/;
const HTML_START = /^ {0,3}</;
const ONE_LINE_COMMENT = /^<!--.*-->[ \t]*\r?\n?$/;
const UNDERLINE = /^ {0,3}(=+|-+)[ \t]*\r?\n?$/;
const LINK_DEFINITION = /^ {0,3}\[[^\]]*\]:/;

/** Derived items, mapped to the parsed items they were re-sliced from (for per-item facts the parser keeps). */
const sources = new WeakMap<Rule, Rule>();

/** The parsed rule a derived rule came from, or the rule itself. */
export function parsedSource(rule: Rule): Rule {
  return sources.get(rule) ?? rule;
}

/**
 * The rules of `afterText`, derived from the parsed previous version; null when the edit might
 * change the structure. `fileUnit`: the format makes the whole file one rule.
 */
export function deriveRules(before: ParsedRuleVersion, afterText: string, fileUnit: boolean): Rule[] | null {
  if (before.text === afterText) return [...before.rules];
  if (/\r(?!\n)/.test(before.text) || /\r(?!\n)/.test(afterText)) return null;
  const old = splitLines(before.text);
  const now = splitLines(afterText);
  const edit = lineEdit(old, now);
  // Frontmatter holds a per-file rule's id and scope: an edit there is parsed.
  if (edit.prefix <= Math.max(frontmatterEnd(old), frontmatterEnd(now))) return null;
  if (fileUnit || before.rules.every((rule) => rule.anchor === undefined)) {
    if (before.rules.length !== 1) return null;
    if (!fileUnit && (!structureIsStable(old) || !structureIsStable(now) || !bodyOnly(edit, now))) return null;
    return [derived(before.rules[0]!, afterText, undefined)];
  }
  if (!structureIsStable(old) || !structureIsStable(now) || !bodyOnly(edit, now)) return null;

  const start = sum(old.slice(0, edit.prefix));
  const end = start + sum(edit.removed);
  const delta = sum(edit.added) - sum(edit.removed);
  const lineDelta = edit.added.length - edit.removed.length;
  const lineStarts = offsetsOf(old);
  const rules: Rule[] = [];
  for (const rule of before.rules) {
    const from = lineStarts[rule.span.start.line - 1];
    if (from === undefined || before.text.slice(from, from + rule.text.length) !== rule.text) return null;
    const to = from + rule.text.length;
    let text: string;
    let span: Span | undefined;
    if (from >= end) {
      // After the edit: the same text, lower down.
      text = rule.text;
      span = shiftSpan(rule.span, lineDelta);
    } else if (to >= end && from < start) {
      // Around the edit: the body changed.
      text = afterText.slice(from, to + delta);
    } else if (to <= start) {
      text = rule.text;
    } else {
      return null; // the edit straddles a heading: not a body edit
    }
    rules.push(text === rule.text && span === undefined ? rule : derived(rule, text, span));
  }
  return rules;
}

interface LineEdit {
  /** Lines before the edit, the same in both versions. */
  prefix: number;
  removed: string[];
  added: string[];
}

/** The one contiguous run of lines that differs, between the common prefix and the common suffix. */
function lineEdit(old: readonly string[], now: readonly string[]): LineEdit {
  let prefix = 0;
  while (prefix < old.length && prefix < now.length && old[prefix] === now[prefix]) prefix++;
  let suffix = 0;
  while (suffix < old.length - prefix && suffix < now.length - prefix && old[old.length - 1 - suffix] === now[now.length - 1 - suffix]) suffix++;
  return { prefix, removed: old.slice(prefix, old.length - suffix), added: now.slice(prefix, now.length - suffix) };
}

/** The edit touches no line that could start, end or underline a block, nor the line under it. */
function bodyOnly(edit: LineEdit, now: readonly string[]): boolean {
  if ([...edit.removed, ...edit.added].some(changesStructure)) return false;
  const following = now[edit.prefix + edit.added.length];
  return following === undefined || !UNDERLINE.test(following);
}

function derived(rule: Rule, text: string, span: Span | undefined): Rule {
  const copy: Rule = { ...rule, text, ...(span ? { span } : {}) };
  sources.set(copy, parsedSource(rule));
  return copy;
}

/** Lines with their terminators, so offsets add up to the text. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Whole-file conditions under which no body edit can hide, reveal or rename a heading: headings
 * and fences start at column 1 (so no list item can adopt them), the only HTML is one-line
 * comments (an HTML block swallows the lines after it up to a blank line), and there are no
 * setext headings (whose text is a paragraph of any length above the underline).
 */
function structureIsStable(lines: readonly string[]): boolean {
  const frontmatter = frontmatterEnd(lines);
  return !lines.some(
    (line, i) =>
      INDENTED_HEADING.test(line) ||
      INDENTED_FENCE.test(line) ||
      (HTML_START.test(line) && !ONE_LINE_COMMENT.test(line)) ||
      (i > frontmatter && i > 0 && UNDERLINE.test(line) && lines[i - 1]!.trim() !== ""),
  );
}

function changesStructure(line: string): boolean {
  return HEADING_LIKE.test(line) || FENCE.test(line) || HTML_START.test(line) || UNDERLINE.test(line) || LINK_DEFINITION.test(line);
}

/** Index of the line that closes a leading frontmatter block; -1 when there is none. */
function frontmatterEnd(lines: readonly string[]): number {
  if (!/^---[ \t]*\r?\n?$/.test(lines[0] ?? "")) return -1;
  for (let i = 1; i < lines.length; i++) if (/^(---|\.\.\.)[ \t]*\r?\n?$/.test(lines[i]!)) return i;
  return lines.length;
}

function offsetsOf(lines: readonly string[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length;
  }
  return starts;
}

function sum(lines: readonly string[]): number {
  return lines.reduce((total, line) => total + line.length, 0);
}

function shiftSpan(span: Span, lines: number): Span {
  if (lines === 0) return span;
  return { start: { ...span.start, line: span.start.line + lines }, end: { ...span.end, line: span.end.line + lines } };
}
