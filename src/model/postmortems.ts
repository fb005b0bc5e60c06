import type { Heading, Link, Nodes } from "mdast";
import { z } from "zod";
import { endOffset, parseMarkdown, plainText, startOffset } from "./markdown.js";
import { dirname, joinPath, pointSpan } from "./text.js";
import type { InvalidFile, PostMortem, PostMortemChange, PostMortemLink, Span } from "./types.js";

export const REQUIRED_SECTIONS = [
  "What happened",
  "What the agent was working from",
  "Where the layers failed",
  "What changes",
  "What we are not doing",
] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// Frontmatter is data from the repository: validate every field's type, keep unknown keys.
const frontmatterSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).optional(),
  date: z
    .union([z.string(), z.date()])
    .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value.trim()))
    .refine((value) => ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)), "expected an ISO date (YYYY-MM-DD)")
    .optional(),
  title: z.string().optional(),
  trigger: z.string().optional(),
  pattern: z.string().optional(),
  changes: z.array(z.string()).optional(),
  commits: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
});

export interface ParsedPostMortem {
  postmortem: PostMortem;
  invalid?: InvalidFile;
}

export function parsePostMortem(path: string, text: string): ParsedPostMortem {
  const parsed = parseMarkdown(text);
  const fields = parsed.frontmatter?.fields;
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
  let invalid: InvalidFile | undefined;
  if (parsed.frontmatterError) {
    invalid = { file: path, message: parsed.frontmatterError.message, span: parsed.frontmatterError.span };
  }

  if (fields) {
    const raw = Object.fromEntries([...fields].map(([key, field]) => [key, field.value]));
    const result = frontmatterSchema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const key = String(issue.path[0] ?? "");
      const span = fields.get(key)?.valueSpan ?? frontmatterSpan ?? pointSpan(1);
      invalid = { file: path, message: `frontmatter key "${issue.path.join(".")}": ${issue.message}`, span };
    } else {
      const data = result.data;
      if (data.id !== undefined) postmortem.id = String(data.id);
      if (data.date !== undefined) postmortem.date = data.date;
      if (data.title !== undefined) postmortem.title = data.title;
      if (data.trigger !== undefined) postmortem.trigger = data.trigger;
      if (data.pattern !== undefined) postmortem.pattern = data.pattern;
      const changesField = fields.get("changes");
      postmortem.changes = (data.changes ?? []).map((ref, i): PostMortemChange => ({
        ref: ref.trim(),
        span: changesField?.itemSpans[i] ?? changesField?.valueSpan ?? pointSpan(1),
      }));
      postmortem.commits = (data.commits ?? []).map((c) => c.trim()).filter(Boolean);
    }
  }

  const headings: Heading[] = [];
  const links: PostMortemLink[] = [];
  let words = 0;
  const walk = (node: Nodes) => {
    if (node.type === "yaml" || node.type === "html") return;
    if (node.type === "heading") headings.push(node);
    if (node.type === "link") {
      const link = resolveLink(node, path, parsed.lines.span(startOffset(node), endOffset(node)));
      if (link) links.push(link);
    }
    if (node.type === "text" || node.type === "inlineCode" || node.type === "code") {
      words += node.value.split(/\s+/).filter(Boolean).length;
    }
    if ("children" in node) for (const child of node.children as Nodes[]) walk(child);
  };
  walk(parsed.tree);
  postmortem.links = links;
  postmortem.wordCount = words;
  postmortem.sections = headings.filter((h) => h.depth === 2).map((h) => plainText(h).trim());
  if (postmortem.title === undefined) {
    const h1 = headings.find((h) => h.depth === 1);
    if (h1) postmortem.title = plainText(h1).trim();
  }
  return invalid ? { postmortem, invalid } : { postmortem };
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

/** Section headings match the template loosely: case and trailing punctuation do not matter. */
export function normaliseSection(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}
