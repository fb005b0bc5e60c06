import { fromMarkdown } from "mdast-util-from-markdown";
import { frontmatterFromMarkdown } from "mdast-util-frontmatter";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfmFootnoteFromMarkdown } from "mdast-util-gfm-footnote";
import { gfmTableFromMarkdown } from "mdast-util-gfm-table";
import { frontmatter } from "micromark-extension-frontmatter";
import { gfm } from "micromark-extension-gfm";
import { gfmFootnote } from "micromark-extension-gfm-footnote";
import { gfmTable } from "micromark-extension-gfm-table";
import type { Nodes, Root } from "mdast";
import type { Construct, State } from "micromark-util-types";
import { parseFrontmatter, type Frontmatter } from "./frontmatter.js";
import { LineIndex, nextLineStart } from "../shared/text.js";
import type { Span } from "./types.js";

export interface ParsedMarkdown {
  tree: Root;
  lines: LineIndex;
  text: string;
  frontmatter?: Frontmatter;
  /** A frontmatter block that could not be read; the body is still parsed and linted. */
  frontmatterError?: { message: string; span: Span };
  /**
   * Blocks over the parser's limits (MARKDOWN_LIMITS), which were left out of the tree: the first
   * one, with how many more there are. The rest of the file is parsed and linted as usual.
   */
  skipped?: { message: string; span: Span };
}

/**
 * What the Markdown parser (micromark) is given. Beyond these it is quadratic or worse (emphasis
 * and bracket matching within one paragraph, merging the text around every token of a paragraph,
 * container nesting) or builds a tree deep enough to exhaust the stack. Real rule files stay far
 * below every one; a block over one is left out and reported, and the rest of the file is read.
 */
export const MARKDOWN_LIMITS = {
  /**
   * Block quotes and list items opened on one line, counting two columns of indentation as one.
   * The parser checks every open container on every line, so this is also the factor by which a
   * line inside them costs more: 64 keeps it small and is still far above real nesting.
   */
  nesting: 64,
  /** `*`, `_`, `~`, `[` and `]` in one paragraph, heading or table cell. */
  marks: 1_000,
  /** Lines in one paragraph. */
  lines: 1_000,
  /** Characters in one paragraph, heading, table row or table cell (32 KiB). */
  characters: 32 * 1024,
} as const;

const BOM = 0xfeff;

export function parseMarkdown(text: string): ParsedMarkdown {
  const lines = new LineIndex(text);
  // micromark skips one leading BOM without counting it; give it the text without any (decodeText
  // drops them from files) and move the positions back, so columns stay those of `text`.
  let bom = 0;
  while (text.charCodeAt(bom) === BOM) bom++;
  const guarded = guardMarkdown(bom === 0 ? text : text.slice(bom));
  const parsed: ParsedMarkdown = { tree: { type: "root", children: [] }, lines, text };
  try {
    parsed.tree = fromMarkdown(guarded.text, {
      extensions: [gfm(), frontmatter(["yaml"])],
      mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(["yaml"])],
    });
  } catch (error) {
    // The limits keep nesting far below what the parser's recursive steps can take; should some
    // shape still exhaust the stack, the file is one finding rather than a crashed run.
    if (!(error instanceof RangeError)) throw error;
    guarded.skipped.unshift({ message: "nested too deeply to parse, so the file was not read", start: 0, end: 0 });
  }
  if (bom > 0) shiftPositions(parsed.tree, bom);
  if (guarded.skipped.length > 0) {
    const [earliest] = guarded.skipped.sort((a, b) => a.start - b.start);
    const more = guarded.skipped.length - 1;
    parsed.skipped = {
      message: `${earliest!.message}${more > 0 ? ` (and ${count(more)} more like it)` : ""}`,
      span: lines.span(earliest!.start + bom, earliest!.end + bom),
    };
  }
  const first = parsed.tree.children[0];
  if (first?.type === "yaml" && first.position) {
    const start = first.position.start.offset ?? 0;
    // After the opening fence, whatever its line ending (`\r\n`, `\n` or a lone `\r`).
    const contentStart = nextLineStart(text, start);
    const blockSpan = nodeSpan(first, lines);
    const result = parseFrontmatter(first.value, contentStart, blockSpan, lines);
    if (result.ok) parsed.frontmatter = result.frontmatter;
    else parsed.frontmatterError = { message: result.message, span: result.span };
  }
  return parsed;
}

export function nodeSpan(node: Nodes, lines: LineIndex): Span {
  const position = node.position;
  if (!position) return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  return lines.span(position.start.offset ?? 0, position.end.offset ?? 0);
}

export function startOffset(node: Nodes): number {
  return node.position?.start.offset ?? 0;
}

export function endOffset(node: Nodes): number {
  return node.position?.end.offset ?? 0;
}

/** Plain text of a node as GitHub renders it for slugs: code spans keep their text. */
export function plainText(node: Nodes): string {
  if ("value" in node && typeof node.value === "string" && node.type !== "html") return node.value;
  if ("children" in node) return (node.children as Nodes[]).map(plainText).join("");
  return "";
}

// ---------------------------------------------------------------------------------------------
// Keeping hostile Markdown within the parser's limits

interface SkippedBlock {
  message: string;
  start: number;
  end: number;
}

interface GuardedText {
  /** The text to parse: as long as the original, with the blocks over a limit blanked out. */
  text: string;
  skipped: SkippedBlock[];
}

/**
 * Blanks out (spaces, line endings kept, so every offset stays) each line nested deeper than
 * MARKDOWN_LIMITS.nesting and each paragraph, heading, table row or cell over the other limits.
 * Linear: one pass over the lines, plus, only when a run of non-blank lines is over a limit, a
 * parse of the block structure alone to find the paragraphs in it.
 */
export function guardMarkdown(text: string): GuardedText {
  const skipped: SkippedBlock[] = [];
  let heavyRun = false;
  let runMarks = 0;
  let runLines = 0;
  let runCharacters = 0;
  for (let start = 0; start < text.length; ) {
    const end = lineEnd(text, start);
    const { depth, blankLine, marks } = scanLine(text, start, end);
    if (depth > MARKDOWN_LIMITS.nesting) {
      skipped.push({ message: `a line nesting lists or block quotes ${count(depth)} deep, over the limit of ${MARKDOWN_LIMITS.nesting}, was not read`, start, end });
    }
    const next = nextLineStart(text, end);
    if (blankLine || depth > MARKDOWN_LIMITS.nesting) {
      runMarks = 0;
      runLines = 0;
      runCharacters = 0;
    } else {
      // A paragraph never spans a blank line, so a run of non-blank lines under every limit holds
      // no paragraph over one; only a run over a limit needs its paragraphs found.
      runMarks += marks;
      runLines += 1;
      runCharacters += next - start;
      if (runMarks > MARKDOWN_LIMITS.marks || runLines > MARKDOWN_LIMITS.lines || runCharacters > MARKDOWN_LIMITS.characters) heavyRun = true;
    }
    start = next;
  }
  let guarded = blankOut(text, skipped);
  if (heavyRun) {
    const heavy = heavyInlineBlocks(guarded);
    skipped.push(...heavy);
    guarded = blankOut(guarded, heavy);
  }
  return { text: guarded, skipped };
}

/** The text with each block's characters replaced by spaces, line endings kept: the same offsets. */
function blankOut(text: string, blocks: SkippedBlock[]): string {
  if (blocks.length === 0) return text;
  const parts: string[] = [];
  let from = 0;
  for (const { start, end } of [...blocks].sort((a, b) => a.start - b.start)) {
    if (start < from) continue;
    parts.push(text.slice(from, start), text.slice(start, end).replace(/[^\r\n]/g, " "));
    from = end;
  }
  parts.push(text.slice(from));
  return parts.join("");
}

/** The end of the line starting at `start` (before its line ending). */
function lineEnd(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

const MARKS = new Set([0x2a, 0x5f, 0x7e, 0x5b, 0x5d]); // * _ ~ [ ]

/**
 * How deep the containers a line opens could nest: the block quote and list markers it starts
 * with, plus half the columns of indentation before them (each nested list indents by at least
 * two). An upper bound, so the limit can only cut too early, and it is far above real nesting.
 */
function scanLine(text: string, start: number, end: number): { depth: number; blankLine: boolean; marks: number } {
  let i = start;
  let columns = 0;
  let markers = 0;
  let indent = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (i < end && (c === 0x20 || c === 0x09)) {
      columns += c === 0x09 ? 4 - (columns % 4) : 1;
      i++;
      continue;
    }
    if (markers === 0) indent = columns;
    const marker = i < end ? containerMarker(text, i, end) : 0;
    if (marker === 0) break;
    markers++;
    columns += marker;
    i += marker;
  }
  let marks = 0;
  for (let k = i; k < end; k++) if (MARKS.has(text.charCodeAt(k))) marks++;
  return { depth: markers === 0 ? 0 : markers + Math.floor(indent / 2), blankLine: i >= end && markers === 0, marks };
}

/** The length of a block quote (`>`) or list marker (`-`, `*`, `+`, `1.`, `1)`) at `i`, or 0. */
function containerMarker(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x3e) return 1;
  const after = (at: number) => at >= end || text.charCodeAt(at) === 0x20 || text.charCodeAt(at) === 0x09;
  if ((c === 0x2d || c === 0x2a || c === 0x2b) && after(i + 1)) return 1;
  let k = i;
  while (k < end && k - i < 9 && text.charCodeAt(k) >= 0x30 && text.charCodeAt(k) <= 0x39) k++;
  if (k > i && k < end && (text.charCodeAt(k) === 0x2e || text.charCodeAt(k) === 0x29) && after(k + 1)) return k + 1 - i;
  return 0;
}

/** Inline constructs left out of the block-structure parse: none of them changes where a block ends. */
const INLINE_CONSTRUCTS = [
  "attention",
  "autolink",
  "characterEscape",
  "characterReference",
  "codeText",
  "hardBreakEscape",
  "htmlText",
  "labelEnd",
  "labelStartImage",
  "labelStartLink",
  "gfmFootnoteCall",
  "gfmPotentialFootnoteCall",
];

declare module "micromark-util-types" {
  interface TokenTypeMap {
    harnessLintRestOfLine: "harnessLintRestOfLine";
  }
}

/**
 * In the block-structure parse, the rest of a line of text is one token. Text is otherwise split
 * at every character an inline construct could start at, and the pieces merged back with a splice
 * per line: quadratic in the lines of a paragraph, which is what this parse is there to count.
 * It is not `data`, so nothing merges it, and the tree keeps no text for it (none is needed).
 */
const restOfLine: Construct = {
  name: "harnessLintRestOfLine",
  tokenize(effects, ok, nok) {
    const inside: State = (code) => {
      if (code === null || code < -2) {
        effects.exit("harnessLintRestOfLine");
        return ok(code);
      }
      effects.consume(code);
      return inside;
    };
    return (code) => {
      // null is the end of the text; -5, -4 and -3 are line endings.
      if (code === null || code < -2) return nok(code);
      effects.enter("harnessLintRestOfLine");
      effects.consume(code);
      return inside;
    };
  },
};

/**
 * The paragraphs, headings, table rows and cells over a limit. The block structure is parsed alone
 * (GFM tables and footnote definitions included; autolink literals, emphasis, links and the rest
 * of inline syntax not, which keeps it linear), and each block's text is counted.
 */
function heavyInlineBlocks(text: string): SkippedBlock[] {
  const tree = fromMarkdown(text, {
    extensions: [gfmTable(), gfmFootnote(), frontmatter(["yaml"]), { disable: { null: INLINE_CONSTRUCTS }, text: { null: [restOfLine] } }],
    mdastExtensions: [gfmTableFromMarkdown(), gfmFootnoteFromMarkdown(), frontmatterFromMarkdown(["yaml"])],
  });
  const heavy: SkippedBlock[] = [];
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const block = inlineBlock(node, text);
    if (block === null) {
      if ("children" in node) for (const child of node.children as Nodes[]) stack.push(child);
      continue;
    }
    const { what, start, end } = block;
    let marks = 0;
    let lineCount = 1;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (MARKS.has(c)) marks++;
      else if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lineCount++;
    }
    const split = what === "a paragraph" ? "; split it with blank lines" : "";
    if (marks > MARKDOWN_LIMITS.marks && what !== "a table row") {
      heavy.push({
        message: `${what} with ${count(marks)} emphasis and bracket characters (\`*\` \`_\` \`~\` \`[\` \`]\`), over the limit of ${count(MARKDOWN_LIMITS.marks)}, was not read`,
        start,
        end,
      });
    } else if (lineCount > MARKDOWN_LIMITS.lines) {
      heavy.push({ message: `${what} of ${count(lineCount)} lines, over the limit of ${count(MARKDOWN_LIMITS.lines)}, was not read${split}`, start, end });
    } else if (end - start > MARKDOWN_LIMITS.characters) {
      heavy.push({ message: `${what} of ${count(end - start)} characters, over the limit of ${count(MARKDOWN_LIMITS.characters)}, was not read${split}`, start, end });
    } else if (what === "a table row" && "children" in node) {
      for (const child of node.children as Nodes[]) stack.push(child);
    }
  }
  return heavy;
}

/**
 * The text of a block whose inline content the parser reads as one: what is counted, and blanked
 * when over a limit. A heading keeps its `#`s (and a setext heading its underline), a cell its
 * pipes, so blanking leaves the structure around them as it was. Null for any other node.
 */
function inlineBlock(node: Nodes, text: string): { what: string; start: number; end: number } | null {
  let start = startOffset(node);
  let end = endOffset(node);
  switch (node.type) {
    case "paragraph":
      return { what: "a paragraph", start, end };
    case "tableRow":
      return { what: "a table row", start, end };
    case "tableCell":
      if (text[start] === "|") start++;
      if (end > start && text[end - 1] === "|") end--;
      return { what: "a table cell", start, end };
    case "heading": {
      const line = text.slice(start, end);
      const atx = /^[ \t]*#{1,6}/.exec(line);
      if (atx) start += atx[0].length;
      else {
        // A setext heading needs text above its underline: its first character stays.
        end = start + Math.max(0, line.search(/[^\r\n]*$/) - 1);
        start += (/\S/.exec(line)?.index ?? 0) + 1;
      }
      return { what: "a heading", start, end: Math.max(start, end) };
    }
    default:
      return null;
  }
}

/** Moves every position of the tree `by` characters on: the BOMs the parser was not given. */
function shiftPositions(tree: Root, by: number): void {
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const point of [node.position?.start, node.position?.end]) {
      if (!point) continue;
      if (point.offset !== undefined) point.offset += by;
      if (point.line === 1) point.column += by;
    }
    if ("children" in node) for (const child of node.children as Nodes[]) stack.push(child);
  }
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
