import type { Frontmatter, FrontmatterField } from "./frontmatter.js";
import type { HarnessFormat, Scope, ScopeGlob, ScopeProblem, Span } from "./types.js";
import { globProblem, pathMatcher } from "../codebase/glob.js";

export interface ScopeReading {
  /** Undefined when the frontmatter says nothing about scope. */
  scope?: Scope;
  problems: ScopeProblem[];
}

const NONE: Scope = { kind: "none", globs: [] };

/** Reads the scope field each agent actually reads, and flags the fields it silently drops. */
export function frontmatterScope(format: HarnessFormat, frontmatter: Frontmatter | undefined): ScopeReading {
  if (!frontmatter) return { problems: [] };
  const field = (name: string) => frontmatter.fields.get(name);
  switch (format) {
    case "claude-rules":
      return pathsScope(field("paths"), "paths", "Claude Code", misplaced(field, ["globs", "applyTo"], "paths", "Claude Code"));
    case "cline":
      return pathsScope(field("paths"), "paths", "Cline", misplaced(field, ["globs", "applyTo"], "paths", "Cline"));
    case "cursor":
      if (field("alwaysApply")?.value === true) return { scope: global("alwaysApply"), problems: [] };
      return cursorGlobs(field("globs"), misplaced(field, ["paths", "applyTo"], "globs", "Cursor"));
    case "continue":
      if (field("alwaysApply")?.value === true) return { scope: global("alwaysApply"), problems: [] };
      return pathsScope(field("globs"), "globs", "Continue", misplaced(field, ["paths", "applyTo"], "globs", "Continue"));
    case "copilot-instructions":
      return applyToScope(field("applyTo"), misplaced(field, ["globs", "paths"], "applyTo", "GitHub Copilot"));
    case "windsurf": {
      const trigger = field("trigger")?.value;
      if (trigger === "always_on") return { scope: global("trigger"), problems: [] };
      if (trigger === "glob") return pathsScope(field("globs"), "globs", "Windsurf", []);
      return { problems: needsSwitch(field("globs"), "globs", "`trigger: glob`", "Windsurf") };
    }
    case "kiro": {
      const inclusion = field("inclusion")?.value;
      if (inclusion === "always") return { scope: global("inclusion"), problems: [] };
      if (inclusion === "fileMatch") return pathsScope(field("fileMatchPattern"), "fileMatchPattern", "Kiro", []);
      return { problems: needsSwitch(field("fileMatchPattern"), "fileMatchPattern", "`inclusion: fileMatch`", "Kiro") };
    }
    default:
      return { problems: [] };
  }
}

/** Windsurf and Kiro read their glob field only when a mode key selects it; otherwise it is dropped. */
function needsSwitch(field: FrontmatterField | undefined, name: string, mode: string, agent: string): ScopeProblem[] {
  if (!field || field.value === null) return [];
  return [
    {
      kind: "ignored-field",
      detail: `${agent} reads \`${name}:\` only with ${mode}, so the rule is not scoped`,
      expected: mode.replace(/`/g, ""),
      span: field.keySpan,
    },
  ];
}

function global(field: string): Scope {
  return { kind: "global", source: "frontmatter", field, globs: [] };
}

function misplaced(field: (name: string) => FrontmatterField | undefined, wrongNames: string[], expected: string, agent: string): ScopeProblem[] {
  if (field(expected)) return [];
  const problems: ScopeProblem[] = [];
  for (const name of wrongNames) {
    const wrong = field(name);
    if (wrong) {
      problems.push({
        kind: "ignored-field",
        detail: `\`${name}:\` is not read by ${agent}, so the rule is not scoped`,
        expected,
        span: wrong.keySpan,
      });
    }
  }
  return problems;
}

/** Fields that take a glob string or a list of glob strings (`paths`, Continue `globs`, ...). */
function pathsScope(field: FrontmatterField | undefined, name: string, agent: string, problems: ScopeProblem[]): ScopeReading {
  if (!field) return { problems };
  const value = field.value;
  if (typeof value === "string") return { scope: globsScope(fieldGlobs(field, value), name), problems };
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    const globs = (value as string[]).map((p, i) => glob(p, field.itemSpans[i] ?? field.valueSpan));
    return { scope: globsScope(globs, name), problems };
  }
  problems.push({
    kind: "ignored-field",
    detail: `${agent} reads \`${name}:\` only as a glob or a list of globs, and this one is ${describe(value)}, so the rule is not scoped`,
    expected: name,
    span: field.keySpan,
  });
  return { problems };
}

/** Copilot: `applyTo` is a comma-separated glob string; `**` or `**\/*` means everything. */
function applyToScope(field: FrontmatterField | undefined, problems: ScopeProblem[]): ScopeReading {
  if (!field) return { problems };
  const reading = pathsScope(field, "applyTo", "GitHub Copilot", problems);
  const patterns = reading.scope?.globs.map((g) => g.pattern) ?? [];
  if (patterns.some((p) => p === "**" || p === "**/*")) return { scope: global("applyTo"), problems: reading.problems };
  return reading;
}

/**
 * Cursor reads `globs` line by line as one comma-separated string. A block YAML list leaves that
 * line empty (no scope: unscoped-rule); brackets or quotes stay in the globs, which then match
 * nothing (a scope that can never fire: dead-scope).
 */
function cursorGlobs(field: FrontmatterField | undefined, problems: ScopeProblem[]): ScopeReading {
  if (!field || field.value === null || field.value === "") return { problems };
  const value = field.value;
  // The parsed value has lost its quotes and brackets; Cursor keeps them, so look at the text as written.
  if (/^\s*\[/.test(field.raw) || (typeof value === "string" && /["']/.test(field.raw))) {
    // Cursor's own editor writes plain comma-separated globs; some versions may strip the
    // brackets and quotes, so this is what the agent may see, not what it certainly sees.
    const written = field.raw.replace(/\s+#.*$/, "").trim();
    problems.push({
      kind: "invalid-glob",
      detail: `Cursor reads \`globs:\` as plain comma-separated globs and keeps brackets and quotes: the agent may see the patterns ${splitGlobList(written)
        .map((part) => `\`${part}\``)
        .join(", ")}, which match no file as written`,
      expected: "globs: src/**/*.ts, lib/**/*.ts",
      uncertain: true,
      span: field.valueSpan,
    });
    return { problems };
  }
  if (Array.isArray(value)) {
    problems.push({
      kind: "ignored-field",
      detail: "Cursor reads `globs:` as one comma-separated string and ignores a YAML list, so the rule is not scoped",
      expected: "globs: src/**/*.ts, lib/**/*.ts",
      span: field.keySpan,
    });
    return { problems };
  }
  if (typeof value !== "string") return pathsScope(field, "globs", "Cursor", problems);
  return { scope: globsScope(fieldGlobs(field, value), "globs"), problems };
}

/** One glob per comma-separated part, each with its own columns when the value is on one line. */
function fieldGlobs(field: FrontmatterField, value: string): ScopeGlob[] {
  const { start, end } = field.valueSpan;
  const located = start.line === end.line ? locateParts(field.raw, value) : null;
  return splitGlobList(value).map((pattern, i) => {
    const part = located?.[i];
    if (!part) return glob(pattern, field.valueSpan);
    return glob(pattern, { start: { line: start.line, column: start.column + part.start }, end: { line: start.line, column: start.column + part.end } });
  });
}

/** Where each part of `value` sits in `raw` (the same text, maybe quoted). Null if it cannot tell. */
function locateParts(raw: string, value: string): Array<{ start: number; end: number }> | null {
  const located: Array<{ start: number; end: number }> = [];
  let cursor = raw.indexOf(value);
  if (cursor === -1) return null;
  for (const part of splitGlobList(value)) {
    const index = raw.indexOf(part, cursor);
    if (index === -1) return null;
    located.push({ start: index, end: index + part.length });
    cursor = index + part.length;
  }
  return located;
}

function globsScope(globs: ScopeGlob[], field: string): Scope {
  if (globs.length === 0) return { ...NONE };
  return { kind: "globs", source: "frontmatter", field, globs };
}

function glob(pattern: string, span: Span, base = ""): ScopeGlob {
  return { pattern, base, span };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list that is not all strings";
  return `a ${typeof value}`;
}

/** Splits `a/**, {b,c}/*.ts` on commas outside braces. */
export function splitGlobList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of value) {
    if (char === "{") depth++;
    if (char === "}") depth = Math.max(0, depth - 1);
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

// The comment may be followed by other comments on its line (`<!-- scope: x --> <!-- note -->`),
// but the scope itself ends at the first `-->`.
const INLINE_SCOPE = /^<!--\s*scope\s*:([\s\S]*?)-->((?:\s*<!--[\s\S]*?-->)*)\s*$/i;
const GLOBAL_SCOPE = /^(global|all|\*\*|\*\*\/\*)$/i;

/**
 * `<!-- scope: src/import/**, src/lib/csv.ts -->` or `<!-- scope: global -->`. `locate` turns
 * offsets in `html` into file spans, so each glob points at its own text.
 */
export function parseInlineScope(html: string, base: string, locate: (start: number, end: number) => Span): Scope | null {
  const lead = html.length - html.trimStart().length;
  const match = INLINE_SCOPE.exec(html.trim());
  if (!match) return null;
  const value = match[1]!;
  if (GLOBAL_SCOPE.test(value.trim())) return { kind: "global", source: "inline", field: "scope", globs: [] };
  const valueStart = lead + match[0].indexOf(":") + 1;
  const globs: ScopeGlob[] = [];
  let cursor = 0;
  for (const pattern of splitGlobList(value)) {
    const index = value.indexOf(pattern, cursor);
    cursor = index + pattern.length;
    globs.push(glob(pattern, locate(valueStart + index, valueStart + cursor), base));
  }
  if (globs.length === 0) return null;
  return { kind: "globs", source: "inline", field: "scope", globs };
}

/** Whether an HTML block is a scope comment at all (even a malformed one), to spot misplaced ones. */
export function looksLikeScopeComment(html: string): boolean {
  return /^<!--\s*scope\s*:/i.test(html.trim());
}

/** Why a glob can never match, or null. picomatch accepts almost anything, so check shape first. */
export function globSyntaxError(pattern: string): string | null {
  if (pattern.trim() === "") return "it is empty";
  const closers: Record<string, string> = { "]": "[", "}": "{", ")": "(" };
  const stack: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "\\") {
      i++;
      continue;
    }
    if (char === "[" || char === "{" || char === "(") stack.push(char);
    else if (char in closers) {
      if (stack.pop() !== closers[char]) return `\`${char}\` has no opening \`${closers[char]}\``;
    }
  }
  if (stack.length > 0) return `\`${stack[stack.length - 1]}\` is never closed`;
  if (/\*\*\*/.test(pattern)) return "`***` is not a glob";
  return globProblem(pattern);
}

/**
 * What a scope glob matches. A glob may be written from the repository root or, in a nested file,
 * from the file's folder; it matches a path when either reading does. A reading picomatch refuses
 * matches nothing (dead-scope reports the syntax separately).
 */
export function scopeGlobMatcher(glob: ScopeGlob): (path: string) => boolean {
  const pattern = glob.pattern.replace(/^\.\//, "").replace(/^\/+/, "").replace(/\/+$/, "");
  const candidates = glob.base === "" ? [pattern] : [pattern, `${glob.base}/${pattern}`];
  const matchers: ((path: string) => boolean)[] = [];
  for (const candidate of candidates) {
    try {
      matchers.push(pathMatcher(candidate, { basename: !candidate.includes("/") }));
    } catch {
      // not a glob picomatch accepts: this reading matches nothing
    }
  }
  return (path) => matchers.some((matches) => matches(path));
}
