import { fromMarkdown } from "mdast-util-from-markdown";
import { frontmatterFromMarkdown } from "mdast-util-frontmatter";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { frontmatter } from "micromark-extension-frontmatter";
import { gfm } from "micromark-extension-gfm";
import type { Nodes, Root } from "mdast";
import { parseFrontmatter, type Frontmatter } from "./frontmatter.js";
import { LineIndex } from "./text.js";
import type { Span } from "./types.js";

export interface ParsedMarkdown {
  tree: Root;
  lines: LineIndex;
  text: string;
  frontmatter?: Frontmatter;
  /** A frontmatter block that could not be read; the body is still parsed and linted. */
  frontmatterError?: { message: string; span: Span };
}

export function parseMarkdown(text: string): ParsedMarkdown {
  const lines = new LineIndex(text);
  const tree = fromMarkdown(text, {
    extensions: [gfm(), frontmatter(["yaml"])],
    mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(["yaml"])],
  });
  const parsed: ParsedMarkdown = { tree, lines, text };
  const first = tree.children[0];
  if (first?.type === "yaml" && first.position) {
    const start = first.position.start.offset ?? 0;
    const contentStart = text.indexOf("\n", start) + 1;
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
