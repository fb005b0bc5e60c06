import type { Heading, Link, Nodes } from "mdast";
import { z } from "zod";
import { parseFrontmatter, type FrontmatterField } from "./frontmatter.js";
import { endOffset, nodeSpan, parseMarkdown, plainText, startOffset, type ParsedMarkdown } from "./markdown.js";
import { dirname, joinPath, nextLineStart, pointSpan } from "../shared/text.js";
import type { InvalidFile, PostMortem, PostMortemChange, PostMortemLink, Span } from "./types.js";
import { normaliseSection, REQUIRED_SECTIONS } from "./postmortem-sections.js";
import { isCalendarDate } from "../shared/dates.js";

export { normaliseSection, REQUIRED_SECTIONS };

/** A real calendar day in ISO form: `2026-02-30` has the shape but is not a date (src/shared/dates.ts). */
export function isIsoDate(value: string): boolean {
  return isCalendarDate(value);
}

const refList = z.union([z.string().transform((ref) => [ref]), z.array(z.string())]);

// Frontmatter is data from the repository: each known key is validated on its own, so one bad
// value is reported without throwing away the others (a bad `date` must not un-cite `changes`).
const FIELDS = {
  id: z.union([z.string().trim().min(1), z.number()]).transform(String),
  date: z
    .union([z.string(), z.date()])
    .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value.trim()))
    .refine(isIsoDate, "expected an ISO date (YYYY-MM-DD)"),
  title: z.string(),
  trigger: z.string(),
  pattern: z.string(),
  // One ref written as a plain string is read as a list of one.
  changes: refList,
  commits: z.union([z.union([z.string(), z.number()]).transform((c) => [String(c)]), z.array(z.union([z.string(), z.number()]).transform(String))]),
} as const;

type Fields = { [K in keyof typeof FIELDS]?: z.output<(typeof FIELDS)[K]> };

export interface ParsedPostMortem {
  postmortem: PostMortem;
  invalid?: InvalidFile;
}

export function parsePostMortem(path: string, text: string): ParsedPostMortem {
  const parsed = parseMarkdown(text);
  const frontmatterSpan = parsed.frontmatter?.span;
  const postmortem: PostMortem = {
    path,
    id: path,
    changes: [],
    commits: [],
    links: [],
    sections: [],
    wordCount: 0,
    span: frontmatterSpan ? { start: frontmatterSpan.start, end: frontmatterSpan.start } : pointSpan(1),
    ...(frontmatterSpan ? { frontmatterSpan } : {}),
  };
  const { fields, invalid } = readFields(path, parsed);
  applyFields(postmortem, fields.values, fields.spans);
  readBody(postmortem, parsed);
  return invalid ? { postmortem, invalid } : { postmortem };
}

interface ReadFields {
  fields: { values: Fields; spans: Map<string, FrontmatterField> };
  invalid?: InvalidFile;
}

/** Validates the frontmatter key by key; the first problem becomes the file's invalid-file finding. */
function readFields(path: string, parsed: ParsedMarkdown): ReadFields {
  const empty = { values: {}, spans: new Map<string, FrontmatterField>() };
  const broken = parsed.frontmatterError ?? strictError(parsed);
  if (broken) return { fields: empty, invalid: { file: path, message: broken.message, span: broken.span } };
  const skipped = parsed.skipped ? { file: path, message: parsed.skipped.message, span: parsed.skipped.span } : undefined;
  const spans = parsed.frontmatter?.fields ?? new Map<string, FrontmatterField>();
  const values: Record<string, unknown> = {};
  let invalid: InvalidFile | undefined;
  for (const [key, schema] of Object.entries(FIELDS)) {
    const field = spans.get(key);
    if (field === undefined || field.value === null || field.value === undefined) continue;
    const result = (schema as z.ZodType).safeParse(field.value);
    if (result.success) values[key] = result.data;
    else invalid ??= { file: path, message: `frontmatter key "${key}": ${result.error.issues[0]!.message}`, span: field.valueSpan };
  }
  invalid ??= skipped;
  return invalid ? { fields: { values: values as Fields, spans }, invalid } : { fields: { values: values as Fields, spans } };
}

/**
 * Agents read their own files loosely, and markdown.ts falls back to `key: value` lines when the
 * YAML is invalid. Post-mortems are read by harness-lint alone: invalid YAML is an error, at the
 * position the YAML parser gives.
 */
function strictError(parsed: ParsedMarkdown): { message: string; span: Span } | undefined {
  if (!parsed.frontmatter?.lenient) return undefined;
  const node = parsed.tree.children[0];
  if (node?.type !== "yaml") return undefined;
  const contentStart = nextLineStart(parsed.text, startOffset(node));
  const result = parseFrontmatter(node.value, contentStart, nodeSpan(node, parsed.lines), parsed.lines, { lenient: false });
  return result.ok ? undefined : { message: result.message, span: result.span };
}

function applyFields(postmortem: PostMortem, data: Fields, spans: Map<string, FrontmatterField>): void {
  if (data.id !== undefined) postmortem.id = data.id;
  if (data.date !== undefined) postmortem.date = data.date;
  if (data.title !== undefined) postmortem.title = data.title;
  if (data.trigger !== undefined) postmortem.trigger = data.trigger;
  if (data.pattern !== undefined) postmortem.pattern = data.pattern;
  const changesField = spans.get("changes");
  postmortem.changes = (data.changes ?? [])
    .map((ref, i): PostMortemChange => ({ ref: ref.trim(), span: changesField?.itemSpans[i] ?? changesField?.valueSpan ?? pointSpan(1) }))
    .filter((change) => change.ref !== "");
  postmortem.commits = (data.commits ?? []).map((c) => c.trim()).filter(Boolean);
}

/** Sections, title, relative links and the word count, from the Markdown body. */
function readBody(postmortem: PostMortem, parsed: ParsedMarkdown): void {
  const headings: Heading[] = [];
  const links: PostMortemLink[] = [];
  let words = 0;
  // Depth first in document order, with a stack rather than recursion: nesting is data.
  const stack: Nodes[] = [parsed.tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "yaml" || node.type === "html") continue;
    if (node.type === "heading") headings.push(node);
    if (node.type === "link") {
      const link = resolveLink(node, postmortem.path, parsed.lines.span(startOffset(node), endOffset(node)));
      if (link) links.push(link);
    }
    if (node.type === "text" || node.type === "inlineCode" || node.type === "code") {
      words += node.value.split(/\s+/).filter(Boolean).length;
    }
    if ("children" in node) {
      const children = node.children as Nodes[];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  postmortem.links = links;
  postmortem.wordCount = words;
  postmortem.sections = headings.filter((h) => h.depth === 2).map((h) => plainText(h).trim());
  if (postmortem.title === undefined) {
    const h1 = headings.find((h) => h.depth === 1);
    if (h1) postmortem.title = plainText(h1).trim();
  }
}

/** A relative link, resolved against the post-mortem's folder, with its anchor. */
function resolveLink(link: Link, path: string, span: Span): PostMortemLink | null {
  const url = link.url;
  if (url === "" || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) return null;
  const hash = url.indexOf("#");
  const target = hash === -1 ? url : url.slice(0, hash);
  const anchor = hash === -1 ? undefined : url.slice(hash + 1);
  if (target === "") return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    return null;
  }
  const resolved = decoded.startsWith("/") ? joinPath("", decoded) : joinPath(dirname(path), decoded);
  if (resolved === null) return null;
  return { path: resolved, raw: url, span, ...(anchor ? { anchor } : {}) };
}
