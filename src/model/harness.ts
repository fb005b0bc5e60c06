import type { Heading, Html, RootContent } from "mdast";
import { formatInfo, nestedDirectory } from "./formats.js";
import { endOffset, parseMarkdown, plainText, startOffset, type ParsedMarkdown } from "./markdown.js";
import { extractMentions, type LocatedMention } from "./mentions.js";
import { frontmatterScope, parseInlineScope } from "./scope.js";
import { explicitId, Slugger } from "./slug.js";
import { basename, dirname, pointSpan, type LineIndex } from "./text.js";
import type { HarnessFile, InvalidFile, Mention, Preamble, Rule, Scope, ScopeProblem } from "./types.js";

export interface ParsedHarnessFile {
  rules: Rule[];
  preamble?: Preamble;
  invalid?: InvalidFile;
}

export interface HarnessOptions {
  fenced: boolean;
}

/** Parses one harness file into its rules (items) and preamble. A broken frontmatter is reported, not fatal. */
export function parseHarnessFile(file: HarnessFile, options: HarnessOptions): ParsedHarnessFile {
  const parsed = parseMarkdown(file.text);
  const info = formatInfo(file.format);
  const mentions = extractMentions(parsed.tree, {
    text: file.text,
    lines: parsed.lines,
    imports: file.format === "claude" || file.format === "gemini" || file.format === "agents",
    fenced: options.fenced,
  });
  const result: ParsedHarnessFile =
    info.unit === "file" ? { rules: [fileRule(file, parsed, mentions)] } : sectionRules(file, parsed, mentions);
  if (parsed.frontmatterError) {
    result.invalid = { file: file.path, message: parsed.frontmatterError.message, span: parsed.frontmatterError.span };
  }
  return result;
}

function fileRule(file: HarnessFile, parsed: ParsedMarkdown, mentions: LocatedMention[]): Rule {
  const fields = parsed.frontmatter?.fields;
  const idValue = fields?.get("id")?.value;
  const id = typeof idValue === "string" && idValue.trim() !== "" ? idValue.trim() : undefined;
  const reading = frontmatterScope(file.format, parsed.frontmatter);
  const inline = preambleScope(parsed.tree.children, file.path, parsed.lines, Infinity);
  const scope = reading.scope ?? inline ?? nestedScope(file) ?? { kind: "none", globs: [] };
  const firstHeading = parsed.tree.children.find((n): n is Heading => n.type === "heading");
  const description = fields?.get("description")?.value;
  const title =
    (typeof description === "string" && description.trim()) ||
    (firstHeading ? explicitId(plainText(firstHeading)).title : "") ||
    basename(file.path);
  return {
    kind: "rule",
    ref: id ?? file.path,
    ...(id !== undefined ? { id } : {}),
    file: file.path,
    format: file.format,
    title,
    span: pointSpan(1),
    text: file.text,
    scope,
    scopeProblems: reading.problems,
    mentions: mentions.map(stripOffset),
  };
}

interface SectionStart {
  heading: Heading;
  depth: number;
  title: string;
  anchor: string;
  id?: string;
  start: number;
  end: number;
}

/**
 * Every H2 (or deeper heading with no enclosing rule heading) starts a rule that runs to the next
 * heading of the same or a higher level; a deeper heading with an explicit id is a rule of its own.
 */
function sectionRules(file: HarnessFile, parsed: ParsedMarkdown, mentions: LocatedMention[]): ParsedHarnessFile {
  const children = parsed.tree.children;
  const headings = children.filter((n): n is Heading => n.type === "heading");
  const slugger = new Slugger();
  const anchors = new Map<Heading, { title: string; anchor: string; id?: string }>();
  for (const heading of headings) {
    const { title, id } = explicitId(plainText(heading));
    anchors.set(heading, { title, anchor: id ?? slugger.slug(title), ...(id !== undefined ? { id } : {}) });
  }

  const sections: SectionStart[] = [];
  const open: SectionStart[] = [];
  for (const heading of headings) {
    while (open.length > 0 && open[open.length - 1]!.depth >= heading.depth) open.pop();
    const names = anchors.get(heading)!;
    if (heading.depth < 2) continue;
    if (open.length > 0 && names.id === undefined) continue;
    const section: SectionStart = {
      heading,
      depth: heading.depth,
      ...names,
      start: startOffset(heading),
      end: sectionEnd(heading, headings, file.text.length),
    };
    sections.push(section);
    open.push(section);
  }

  if (sections.length === 0) return { rules: [wholeFileRule(file, parsed, mentions)] };

  const fileScope = preambleScope(children, file.path, parsed.lines, sections[0]!.start);
  const rules = sections.map((section) => {
    const own = mentions.filter((m) => innermost(sections, m.offset) === section);
    return sectionRule(file, parsed, section, own, fileScope);
  });
  const preambleMentions = mentions.filter((m) => m.offset < sections[0]!.start);
  return { rules, preamble: { kind: "preamble", file: file.path, mentions: preambleMentions.map(stripOffset) } };
}

function wholeFileRule(file: HarnessFile, parsed: ParsedMarkdown, mentions: LocatedMention[]): Rule {
  const firstHeading = parsed.tree.children.find((n): n is Heading => n.type === "heading");
  const scope = preambleScope(parsed.tree.children, file.path, parsed.lines, Infinity) ?? nestedScope(file) ?? { kind: "none", globs: [] };
  return {
    kind: "rule",
    ref: file.path,
    file: file.path,
    format: file.format,
    title: firstHeading ? explicitId(plainText(firstHeading)).title : basename(file.path),
    span: pointSpan(1),
    text: file.text,
    scope,
    scopeProblems: [],
    mentions: mentions.map(stripOffset),
  };
}

function sectionRule(
  file: HarnessFile,
  parsed: ParsedMarkdown,
  section: SectionStart,
  mentions: LocatedMention[],
  fileScope: Scope | null,
): Rule {
  const scope = inlineScopeUnder(section.heading, parsed, file.path) ?? fileScope ?? nestedScope(file) ?? { kind: "none", globs: [] };
  const problems: ScopeProblem[] = [];
  return {
    kind: "rule",
    ref: `${file.path}#${section.anchor}`,
    ...(section.id !== undefined ? { id: section.id } : {}),
    file: file.path,
    format: file.format,
    title: section.title,
    anchor: section.anchor,
    span: parsed.lines.span(startOffset(section.heading), endOffset(section.heading)),
    text: file.text.slice(section.start, section.end),
    scope,
    scopeProblems: problems,
    mentions: mentions.map(stripOffset),
  };
}

function sectionEnd(heading: Heading, headings: Heading[], fileEnd: number): number {
  const index = headings.indexOf(heading);
  for (const next of headings.slice(index + 1)) if (next.depth <= heading.depth) return startOffset(next);
  return fileEnd;
}

function innermost(sections: SectionStart[], offset: number): SectionStart | undefined {
  let best: SectionStart | undefined;
  for (const section of sections) {
    if (offset >= section.start && offset < section.end && (!best || section.start >= best.start)) best = section;
  }
  return best;
}

/** The scope comment must sit directly under the heading: the next block, nothing in between. */
function inlineScopeUnder(heading: Heading, parsed: ParsedMarkdown, path: string): Scope | null {
  const children = parsed.tree.children;
  const next = children[children.indexOf(heading) + 1];
  if (next?.type !== "html") return null;
  return parseInlineScope(next.value, dirname(path), parsed.lines.span(startOffset(next), endOffset(next)));
}

/** A scope comment in the preamble (before the first rule) applies to the whole file. */
function preambleScope(children: RootContent[], path: string, lines: LineIndex, before: number): Scope | null {
  for (const node of children) {
    if (startOffset(node) >= before) break;
    if (node.type === "html") {
      const scope = parseInlineScope((node as Html).value, dirname(path), lines.span(startOffset(node), endOffset(node)));
      if (scope) return scope;
    }
  }
  return null;
}

function nestedScope(file: HarnessFile): Scope | null {
  const directory = nestedDirectory(file.path, file.format);
  if (directory === null) return null;
  return { kind: "directory", source: "nested", directory, globs: [] };
}

function stripOffset(mention: LocatedMention): Mention {
  const { offset: _offset, ...rest } = mention;
  return rest;
}
