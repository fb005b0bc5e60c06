import type { Code, Heading, List, ListItem, Nodes, Paragraph, Parents, Root } from "mdast";
import { classifySpan, isPlaceholderName, type Shape } from "./mention-shape.js";
import { endOffset, plainText, startOffset } from "./markdown.js";
import type { LineIndex } from "./text.js";
import { joinPath } from "./text.js";
import type { Mention } from "./types.js";

/** A mention with its offset in the file, so the caller can give it to the rule it sits in. */
export interface LocatedMention extends Mention {
  offset: number;
}

export interface MentionOptions {
  text: string;
  lines: LineIndex;
  /** Read `@path` imports in prose (Claude Code and Gemini memory files). */
  imports: boolean;
  /** Read fenced code blocks too (config `symbols.fenced`). */
  fenced: boolean;
}

interface WalkState {
  /** Folders that relative names resolve under: a list parent `src/`, a heading `(src/app/)`. */
  bases: string[];
  /** Inside something offered as an example ("Examples:" list). */
  example: boolean;
}

// "e.g.", "such as", "like", "Examples:": what follows is an illustration, not a claim about the code.
const EXAMPLE_MARKER = /(\be\.g\.?|\beg\.|\bfor example\b|\bfor instance\b|\bsuch as\b|\blike\b|\bexamples?\s*:|\bsay\b|\bhypothetical)/i;
// Instructions to create a file name something that need not exist yet.
const CREATION_MARKER = /\b(create|creating|generate|generating|scaffold|scaffolding|named|called)\b/i;
const LIST_INTRODUCES_EXAMPLES = /(\bexamples?\b|\be\.g\.?|\bfor example\b|\bsuch as\b|\blike\b|\bfor instance\b)[^.]*:?\s*$/i;

export function extractMentions(tree: Root, options: MentionOptions): LocatedMention[] {
  const found: LocatedMention[] = [];
  const headingBases: Array<{ depth: number; base: string }> = [];

  for (const node of tree.children) {
    if (node.type === "heading") {
      while (headingBases.length > 0 && headingBases[headingBases.length - 1]!.depth >= node.depth) headingBases.pop();
      const base = headingFolder(node);
      if (base !== null) headingBases.push({ depth: node.depth, base });
    }
    const bases = headingBases.map((h) => h.base);
    visit(node, { bases, example: false }, options, found);
  }
  return found;
}

function visit(node: Nodes, state: WalkState, options: MentionOptions, found: LocatedMention[]): void {
  switch (node.type) {
    case "yaml":
    case "html":
    case "definition":
      return;
    case "code":
      if (options.fenced) found.push(...fencedMentions(node, state, options));
      return;
    case "paragraph":
    case "heading":
    case "tableCell":
      phrasing(node, state, options, found);
      return;
    case "list":
      visitList(node, state, options, found);
      return;
    default:
      if ("children" in node) {
        const children = node.children as Nodes[];
        for (let i = 0; i < children.length; i++) {
          const child = children[i]!;
          if (child.type === "list") {
            const previous = children[i - 1];
            const introducesExamples = previous?.type === "paragraph" && LIST_INTRODUCES_EXAMPLES.test(plainText(previous));
            visit(child, { ...state, example: state.example || introducesExamples }, options, found);
          } else visit(child, state, options, found);
        }
      }
  }
}

function visitList(list: List, state: WalkState, options: MentionOptions, found: LocatedMention[]): void {
  for (const item of list.children) {
    const folder = listItemFolder(item);
    for (const child of item.children) {
      const nested = child.type === "list" && folder !== null;
      const bases = nested ? [...state.bases.map((b) => joinPath(b, folder) ?? folder), folder] : state.bases;
      visit(child, { ...state, bases }, options, found);
    }
  }
}

/** A list item that starts with a folder (`src/` or `` `src/` ``) is a base for its nested list. */
function listItemFolder(item: ListItem): string | null {
  const first = item.children[0];
  if (first?.type !== "paragraph") return null;
  const lead = first.children[0];
  if (!lead) return null;
  const text = lead.type === "inlineCode" ? lead.value : lead.type === "text" ? (lead.value.split(/\s/)[0] ?? "") : "";
  const folder = /^([\w.@-][\w.@/-]*)\/[:)]?$/.exec(text.replace(/[*_]/g, ""));
  return folder ? folder[1]! : null;
}

/** `## Frontend (src/app/)` or `` ## `src/app/` ``: the section's relative names live there. */
function headingFolder(heading: Heading): string | null {
  const text = plainText(heading);
  const match = /(?:^|[\s(`])((?:\.\/)?[\w.@-]+(?:\/[\w.@-]+)*)\/(?=[\s)`]|$)/.exec(text);
  if (!match) return null;
  return match[1]!.replace(/^\.\//, "");
}

interface Sentence {
  text: string;
  lastSymbol: string | null;
}

/** Inline content: code spans, links and `@imports`, read left to right so context is known. */
function phrasing(node: Paragraph | Heading | Parents, state: WalkState, options: MentionOptions, found: LocatedMention[]): void {
  const sentence: Sentence = { text: "", lastSymbol: null };
  const walk = (parent: Parents, insideLink: boolean) => {
    for (const child of parent.children as Nodes[]) {
      if (child.type === "text") {
        if (options.imports) found.push(...importMentions(child.value, startOffset(child), endOffset(child), state, options));
        appendSentence(sentence, child.value);
      } else if (child.type === "inlineCode") {
        if (!insideLink) spanMention(child.value, startOffset(child), endOffset(child), sentence, state, options, found);
        appendSentence(sentence, child.value);
      } else if (child.type === "link") {
        const linked = linkMention(child.url, startOffset(child), endOffset(child), state, options);
        if (linked) found.push(linked);
        walk(child, linked !== null);
      } else if (child.type === "break") {
        appendSentence(sentence, "\n");
      } else if ("children" in child) {
        walk(child as Parents, insideLink);
      }
    }
  };
  walk(node as Parents, false);
}

function appendSentence(sentence: Sentence, text: string): void {
  sentence.text += text;
  // Keep only the current sentence: abbreviations such as "e.g." do not end one.
  const masked = sentence.text.replace(/\b(e\.g|i\.e|etc|vs|cf)\./gi, (m) => m.replace(/\./g, "\u0000"));
  const boundary = Math.max(masked.lastIndexOf(". "), masked.lastIndexOf("! "), masked.lastIndexOf("? "), masked.lastIndexOf("\n"));
  if (boundary !== -1) {
    sentence.text = sentence.text.slice(boundary + 1);
    sentence.lastSymbol = null;
  }
}

function isExampleContext(sentenceText: string): boolean {
  // A closed parenthesis ends its own aside: "(e.g. `A`) and `B`" offers A, not B.
  let text = sentenceText;
  for (let previous = ""; previous !== text; ) {
    previous = text;
    text = text.replace(/\([^()]*\)/g, " ");
  }
  return EXAMPLE_MARKER.test(text);
}

function spanMention(
  value: string,
  start: number,
  end: number,
  sentence: Sentence,
  state: WalkState,
  options: MentionOptions,
  found: LocatedMention[],
): void {
  const shape = classifySpan(value);
  if (!shape) return;
  const example = state.example || isExampleContext(sentence.text);
  if (shape.kind === "symbol") {
    sentence.lastSymbol = shape.value.split(/\.|::|#/)[0] ?? null;
  }
  if (example || isPlaceholderName(shape.value)) return;
  let resolved: Exclude<Shape, { kind: "member" }>;
  if (shape.kind === "member") {
    if (!sentence.lastSymbol) return;
    resolved = { kind: "symbol", value: `${sentence.lastSymbol}.${shape.value}`, call: false };
  } else resolved = shape;
  if (resolved.kind === "path" && !resolved.directory && CREATION_MARKER.test(sentence.text)) return;
  found.push(toMention(resolved, value, start, end, "code", state.bases, options));
}

function toMention(
  shape: Exclude<Shape, { kind: "member" }>,
  raw: string,
  start: number,
  end: number,
  source: Mention["source"],
  bases: string[],
  options: MentionOptions,
): LocatedMention {
  const value = shape.kind === "path" && shape.directory ? `${shape.value}/` : shape.value;
  return { kind: shape.kind, raw, value, span: options.lines.span(start, end), source, bases, offset: start };
}

function linkMention(url: string, start: number, end: number, state: WalkState, options: MentionOptions): LocatedMention | null {
  if (url === "" || url.startsWith("#") || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) return null;
  let target = url.replace(/[?#].*$/, "");
  try {
    target = decodeURIComponent(target);
  } catch {
    return null;
  }
  if (target === "") return null;
  const directory = target.endsWith("/");
  const value = target.replace(/\/+$/, "");
  if (value === "" || value === "." || isPlaceholderName(value) || /[<>{}[\]*]/.test(value)) return null;
  return {
    kind: "path",
    raw: url,
    value: directory ? `${value}/` : value,
    span: options.lines.span(start, end),
    source: "link",
    bases: state.bases,
    offset: start,
  };
}

const IMPORT = /(^|[\s(])@((?:\.{1,2}\/|~\/|[\w-])[^\s`)'"]*)/g;

/** Claude Code `@path/to/file` imports inside prose. */
function importMentions(text: string, start: number, end: number, state: WalkState, options: MentionOptions): LocatedMention[] {
  if (!text.includes("@")) return [];
  const source = options.text.slice(start, end);
  const mentions: LocatedMention[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const target = match[2]!.replace(/[.,;:!?]+$/, "");
    if (target.startsWith("~/")) continue;
    const shape = classifySpan(target);
    if (!shape || (shape.kind !== "path" && shape.kind !== "glob")) continue;
    // `@scope/package` in prose is a package, not an import.
    if (shape.kind === "path" && !/^\.{1,2}\//.test(target) && !/\.[A-Za-z0-9]+$/.test(target)) continue;
    const at = source.indexOf(`@${target}`);
    if (at === -1) continue;
    const offset = start + at;
    mentions.push(toMention(shape, `@${target}`, offset, offset + target.length + 1, "import", state.bases, options));
  }
  return mentions;
}

const TREE_GLYPHS = /[├└│]|^\s*[|`+\\]--/;

/** With `symbols.fenced`: a drawn directory tree, or path-shaped words in other blocks. */
function fencedMentions(code: Code, state: WalkState, options: MentionOptions): LocatedMention[] {
  const source = options.text.slice(startOffset(code), endOffset(code));
  const contentStart = startOffset(code) + source.indexOf("\n") + 1;
  const lines = code.value.split(/\r?\n/);
  if (lines.some((line) => TREE_GLYPHS.test(line))) return treeMentions(lines, contentStart, options);
  const mentions: LocatedMention[] = [];
  let cursor = contentStart;
  for (const word of code.value.split(/\s+/)) {
    const at = options.text.indexOf(word, cursor);
    if (word === "" || at === -1) continue;
    cursor = at + word.length;
    const shape = classifySpan(word);
    if (!shape || (shape.kind !== "path" && shape.kind !== "glob")) continue;
    if (!word.includes("/")) continue;
    if (isPlaceholderName(shape.value)) continue;
    mentions.push(toMention(shape, word, at, at + word.length, "fence", state.bases, options));
  }
  return mentions;
}

/**
 * Each name in a drawn tree resolves under the folders above it. The first line, when it is a lone
 * folder (`my-app/`), is the repository itself.
 */
function treeMentions(lines: string[], contentStart: number, options: MentionOptions): LocatedMention[] {
  const mentions: LocatedMention[] = [];
  const stack: Array<{ indent: number; path: string }> = [];
  let cursor = contentStart;
  lines.forEach((line, index) => {
    const lineAt = options.text.indexOf(line, cursor);
    if (lineAt !== -1) cursor = lineAt + line.length;
    const match = /^([\s│├└─|`+\\-]*)([^\s│├└─#]+)/.exec(line);
    if (!match) return;
    const indent = match[1]!.length;
    const name = match[2]!.replace(/[,:]$/, "");
    if (index === 0 && indent === 0 && !TREE_GLYPHS.test(line)) {
      // The tree's root: the repository folder itself, or "." .
      return;
    }
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1]?.path ?? "";
    const directory = name.endsWith("/");
    const bare = name.replace(/\/+$/, "");
    if (bare === "" || bare === "..." || bare === "…" || isPlaceholderName(bare) || /[<>{}[\]*]/.test(bare)) return;
    const path = parent === "" ? bare : `${parent}/${bare}`;
    if (directory || !bare.includes(".")) stack.push({ indent, path });
    if (lineAt === -1) return;
    const at = lineAt + match[1]!.length;
    const value = directory ? `${path}/` : path;
    mentions.push({
      kind: "path",
      raw: name,
      value,
      span: options.lines.span(at, at + name.length),
      source: "fence",
      bases: [],
      offset: at,
    });
  });
  return mentions;
}
