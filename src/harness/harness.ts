import type { Heading, Html, RootContent } from "mdast";
import type { Frontmatter } from "./frontmatter.js";
import { rememberFileAnchors } from "./anchors.js";
import { formatInfo, nestedDirectory } from "./formats.js";
import { endOffset, parseMarkdown, plainText, startOffset, type ParsedMarkdown } from "./markdown.js";
import { readMentions, type LocatedMention, type ReadMentions } from "./mentions.js";
import { frontmatterScope, looksLikeScopeComment, parseInlineScope } from "./scope.js";
import { explicitId, Slugger } from "./slug.js";
import { basename, dirname, pointSpan } from "../shared/text.js";
import type { HarnessFile, InvalidFile, Mention, Preamble, Rule, Scope, ScopeProblem } from "./types.js";

export interface ParsedHarnessFile {
  rules: Rule[];
  preamble?: Preamble;
  invalid?: InvalidFile;
  /** Every heading anchor in the file, rules or not. */
  fileAnchors: string[];
}

export interface HarnessOptions {
  fenced: boolean;
}

/** Parses one harness file into its rules (items) and preamble. A broken frontmatter is reported, not fatal. */
export function parseHarnessFile(file: HarnessFile, options: HarnessOptions): ParsedHarnessFile {
  const parsed = parseMarkdown(file.text);
  const mentions = readMentions(parsed.tree, {
    text: file.text,
    lines: parsed.lines,
    imports: file.format === "claude" || file.format === "gemini" || file.format === "agents",
    fenced: options.fenced,
  });
  const headings = namedHeadings(parsed);
  const result: ParsedHarnessFile = formatInfo(file.format).unit === "file" ? { rules: [fileRule(file, parsed, headings, mentions)], fileAnchors: [] } : sectionRules(file, parsed, headings, mentions);
  result.fileAnchors = [...headings.values()].map((h) => h.anchor);
  rememberFileAnchors(file, result);
  const problem = parsed.frontmatterError ?? parsed.skipped;
  if (problem) result.invalid = { file: file.path, message: problem.message, span: problem.span };
  return result;
}

interface HeadingName {
  title: string;
  anchor: string;
  id?: string;
}

/** Titles and anchors of every top-level heading, slugged in document order as GitHub does. */
function namedHeadings(parsed: ParsedMarkdown): Map<Heading, HeadingName> {
  const slugger = new Slugger();
  const names = new Map<Heading, HeadingName>();
  for (const heading of topHeadings(parsed)) {
    const { title, id } = headingId(plainText(heading));
    names.set(heading, { title, anchor: id ?? slugger.slug(title), ...(id !== undefined ? { id } : {}) });
  }
  return names;
}

/**
 * `explicitId` on the heading's last `{#`: the id is always there (its characters exclude `{` and
 * `#`), and a long title is not rescanned from each of its blanks.
 */
function headingId(text: string): { title: string; id?: string } {
  const at = text.lastIndexOf("{#");
  const id = at === -1 ? undefined : explicitId(text.slice(at)).id;
  return id === undefined ? { title: text.trim() } : { title: text.slice(0, at).trim(), id };
}

function topHeadings(parsed: ParsedMarkdown): Heading[] {
  return parsed.tree.children.filter((n): n is Heading => n.type === "heading");
}

/** A per-file rule (`.claude/rules/*.md`, `.mdc`, ...): the whole file, scoped by its frontmatter. */
function fileRule(file: HarnessFile, parsed: ParsedMarkdown, headings: Map<Heading, HeadingName>, mentions: ReadMentions): Rule {
  const reading = frontmatterScope(file.format, parsed.frontmatter);
  // The preamble of a per-file rule ends at its first H2, as in a sectioned file.
  const firstSection = topHeadings(parsed).find((h) => h.depth >= 2);
  const inline = preambleScope(file, parsed, firstSection ? startOffset(firstSection) : Infinity);
  const scope = reading.scope ?? inline ?? nestedScope(file) ?? none();
  const firstHeading = topHeadings(parsed)[0];
  const title = frontmatterTitle(parsed.frontmatter) || (firstHeading ? headings.get(firstHeading)!.title : "") || basename(file.path);
  const rule = wholeFile(file, parsed.frontmatter, title, scope, mentions);
  rule.scopeProblems = reading.problems;
  rule.anchors = [...headings.values()].map((h) => h.anchor);
  return rule;
}

/** Cursor and Windsurf describe a rule in `description:`, Continue names it in `name:`. */
function frontmatterTitle(frontmatter: Frontmatter | undefined): string {
  for (const key of ["description", "name"]) {
    const value = frontmatter?.fields.get(key)?.value;
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return "";
}

/** The one rule of a file that is a single unit; its ref is its path, or its frontmatter `id:`. */
function wholeFile(file: HarnessFile, frontmatter: Frontmatter | undefined, title: string, scope: Scope, mentions: ReadMentions): Rule {
  const idValue = frontmatter?.fields.get("id")?.value;
  const id = typeof idValue === "string" && idValue.trim() !== "" ? idValue.trim() : undefined;
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
    scopeProblems: [],
    ...ownMentions(mentions),
  };
}

interface Section extends HeadingName {
  heading: Heading;
  depth: number;
  start: number;
  end: number;
  /** The rule this one sits inside (an explicit-id H3 inside an H2), whose scope it inherits. */
  parent?: Section;
  rule?: Rule;
}

/**
 * Every H2 (or deeper heading with no enclosing rule heading) starts a rule that runs to the next
 * heading of the same or a higher level; a deeper heading with an explicit id is a rule of its own.
 */
function sectionRules(file: HarnessFile, parsed: ParsedMarkdown, headings: Map<Heading, HeadingName>, mentions: ReadMentions): ParsedHarnessFile {
  const sections = findSections(parsed, headings, file.text.length);
  if (sections.length === 0) {
    // Nothing but a preamble: the file is one rule, and all of it is its preamble.
    const first = topHeadings(parsed)[0];
    const scope = preambleScope(file, parsed, Infinity) ?? nestedScope(file) ?? none();
    const rule = wholeFile(file, parsed.frontmatter, first ? headings.get(first)!.title : basename(file.path), scope, mentions);
    rule.anchors = [...headings.values()].map((h) => h.anchor);
    return { rules: [rule], fileAnchors: [] };
  }

  const fileScope = preambleScope(file, parsed, sections[0]!.start);
  const index = new SectionIndex(sections);
  const own = new Map<Section, ReadMentions>(sections.map((s) => [s, { mentions: [], hedged: [] }]));
  for (const mention of mentions.mentions) own.get(index.innermost(mention.offset)!)?.mentions.push(mention);
  for (const mention of mentions.hedged) own.get(index.innermost(mention.offset)!)?.hedged.push(mention);
  const anchors = new Map<Section, string[]>(sections.map((s) => [s, []]));
  for (const [heading, name] of headings) anchors.get(index.innermost(startOffset(heading))!)?.push(name.anchor);
  const positions = childPositions(parsed);
  for (const section of sections) {
    section.rule = sectionRule(file, parsed, section, own.get(section)!, fileScope, positions);
    section.rule.anchors = anchors.get(section)!;
  }
  reportMisplacedScopes(file, parsed, index);
  const inPreamble = (m: LocatedMention) => m.offset < sections[0]!.start;
  const preambleMentions = { mentions: mentions.mentions.filter(inPreamble), hedged: mentions.hedged.filter(inPreamble) };
  return {
    rules: sections.map((s) => s.rule!),
    preamble: { kind: "preamble", file: file.path, ...ownMentions(preambleMentions) },
    fileAnchors: [],
  };
}

function findSections(parsed: ParsedMarkdown, headings: Map<Heading, HeadingName>, fileEnd: number): Section[] {
  const all = topHeadings(parsed);
  const ends = sectionEnds(all, fileEnd);
  const sections: Section[] = [];
  const open: Section[] = [];
  for (const [position, heading] of all.entries()) {
    while (open.length > 0 && open[open.length - 1]!.depth >= heading.depth) open.pop();
    const names = headings.get(heading)!;
    if (heading.depth < 2) continue;
    // A subsection is part of the rule above it unless it names itself with `{#id}`.
    if (open.length > 0 && names.id === undefined) continue;
    const parent = open[open.length - 1];
    const section: Section = {
      heading,
      depth: heading.depth,
      ...names,
      start: startOffset(heading),
      end: ends[position]!,
      ...(parent ? { parent } : {}),
    };
    sections.push(section);
    open.push(section);
  }
  return sections;
}

function sectionRule(file: HarnessFile, parsed: ParsedMarkdown, section: Section, mentions: ReadMentions, fileScope: Scope | null, positions: Map<RootContent, number>): Rule {
  const scope = inlineScopeUnder(section.heading, file, parsed, positions) ?? section.parent?.rule?.scope ?? fileScope ?? nestedScope(file) ?? none();
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
    scopeProblems: [],
    ...ownMentions(mentions),
  };
}

/** Where each heading's section ends: at the next heading of the same or a higher level (one pass). */
function sectionEnds(headings: Heading[], fileEnd: number): number[] {
  const ends = headings.map(() => fileEnd);
  const open: number[] = [];
  headings.forEach((heading, position) => {
    while (open.length > 0 && headings[open[open.length - 1]!]!.depth >= heading.depth) ends[open.pop()!] = startOffset(heading);
    open.push(position);
  });
  return ends;
}

/**
 * The innermost section around an offset, in O(log n). Sections come in document order and nest
 * only through `parent` (a section that starts inside another is its descendant), so the answer is
 * the last section starting at or before the offset, or the first of its ancestors still open there.
 */
class SectionIndex {
  private readonly starts: number[];

  constructor(private readonly sections: Section[]) {
    this.starts = sections.map((s) => s.start);
  }

  innermost(offset: number): Section | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= offset) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let section = this.sections[last]; section; section = section.parent) {
      if (offset >= section.start && offset < section.end) return section;
    }
    return undefined;
  }
}

/** The index of each top-level node, for the node after a heading without a scan per heading. */
function childPositions(parsed: ParsedMarkdown): Map<RootContent, number> {
  return new Map(parsed.tree.children.map((node, position) => [node, position]));
}

/**
 * The scope comment must be the first block after the heading (blank lines between are fine):
 * that is where SPEC section 2 puts it, and a comment further down may be quoting an example or
 * belong to a sub-list. A scope comment anywhere else in the section does not count; if the rule
 * is then unscoped, `reportMisplacedScopes` says so at the comment.
 */
function inlineScopeUnder(heading: Heading, file: HarnessFile, parsed: ParsedMarkdown, positions: Map<RootContent, number>): Scope | null {
  const children = parsed.tree.children;
  const next = children[positions.get(heading)! + 1];
  if (next?.type !== "html") return null;
  return scopeComment(next, file, parsed);
}

function scopeComment(node: Html, file: HarnessFile, parsed: ParsedMarkdown): Scope | null {
  const at = startOffset(node);
  return parseInlineScope(node.value, dirname(file.path), (start, end) => parsed.lines.span(at + start, at + end));
}

/** A scope comment anywhere in the preamble (before the first rule) applies to the whole file. */
function preambleScope(file: HarnessFile, parsed: ParsedMarkdown, before: number): Scope | null {
  for (const node of parsed.tree.children) {
    if (startOffset(node) >= before) break;
    if (node.type !== "html") continue;
    const scope = scopeComment(node, file, parsed);
    if (scope) return scope;
  }
  return null;
}

/**
 * A `<!-- scope: ... -->` inside a section that did not take effect (not directly under the
 * heading, or listing nothing) leaves the rule unscoped; say so at the comment, where the fix is.
 */
function reportMisplacedScopes(_file: HarnessFile, parsed: ParsedMarkdown, sections: SectionIndex): void {
  const children = parsed.tree.children;
  children.forEach((node: RootContent, index) => {
    if (node.type !== "html" || !looksLikeScopeComment(node.value)) return;
    const section = sections.innermost(startOffset(node));
    const rule = section?.rule;
    if (!section || !rule || rule.scope.kind !== "none") return;
    const underHeading = children[index - 1] === section.heading;
    const problem: ScopeProblem = {
      kind: "ignored-field",
      detail: underHeading ? "its `<!-- scope: -->` comment lists no glob that can be read" : "its `<!-- scope: -->` comment is not directly under the heading, so it does not count",
      span: parsed.lines.span(startOffset(node), startOffset(node) + node.value.trimEnd().length),
    };
    rule.scopeProblems.push(problem);
  });
}

function nestedScope(file: HarnessFile): Scope | null {
  const directory = nestedDirectory(file.path, file.format);
  if (directory === null) return null;
  return { kind: "directory", source: "nested", directory, globs: [] };
}

function none(): Scope {
  return { kind: "none", globs: [] };
}

/** A text's claims, and its hedged mentions when it has any (a text without keeps its old shape). */
function ownMentions(read: ReadMentions): { mentions: Mention[]; hedged?: Mention[] } {
  const mentions = read.mentions.map(stripOffset);
  return read.hedged.length > 0 ? { mentions, hedged: read.hedged.map(stripOffset) } : { mentions };
}

function stripOffset(mention: LocatedMention): Mention {
  const { offset: _offset, ...rest } = mention;
  return rest;
}
