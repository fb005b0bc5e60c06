import { readFile, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { LineIndex } from "../shared/text.js";
import type { Finding, TextEdit } from "../harness/types.js";
import { hashText, type CheckedTextEdit } from "../shared/text-edits.js";
export { hashText, type CheckedTextEdit };
import { ConcurrentChange, writeFileAtomic } from "../shared/atomic-write.js";
import { runGit, splitNul } from "../git/file-source.js";
import { UserError } from "../shared/errors.js";

// `--fix` rewrites harness files in place, so it must be boring: change the edited ranges and not
// one other byte (line endings, a BOM, trailing spaces), write atomically, refuse anything outside
// the repository or anything that is code, and do nothing the second time.

/**
 * A TextEdit that also says what it expects to replace. Drift fills both fields; an edit whose
 * file or range no longer holds what was linted is stale (already applied, or the file changed
 * since) and is skipped. That is what makes applying the same findings twice a no-op.
 */
export interface AppliedFixes {
  /** Repo-relative paths of the files rewritten. */
  files: string[];
  /** Edits applied, over all files. */
  applied: number;
  /** Files left alone because another process changed them after they were read. */
  changed: string[];
}

const BOM = "\uFEFF";

// Fixes only ever repair mentions in harness text; a finding that points into code is a bug
// upstream, and code is never rewritten by the linter. (JSON and YAML stay allowed: hook
// settings and lefthook/pre-commit configs are harness files.)
const CODE_FILE = /\.(?:[cm]?[jt]sx?|py|pyi|go|rs|java|kt|kts|scala|rb|php|cs|swift|c|h|cc|cpp|hpp|m|mm|sh|bash|zsh|ps1|lock|sql|vue|svelte|astro|css|scss|less|html?)$/i;

export interface EditOutcome {
  text: string;
  applied: CheckedTextEdit[];
  skipped: CheckedTextEdit[];
}

/**
 * Applies edits to `text` (no BOM). Positions are 1-based lines and UTF-16 columns; a range that
 * leaves its line, overlaps an earlier edit, or no longer holds `before` is skipped.
 */
export function applyEdits(text: string, edits: readonly CheckedTextEdit[]): EditOutcome {
  const lines = new LineIndex(text);
  const currentHash = edits.some((e) => e.sourceHash !== undefined) ? hashText(text) : undefined;
  const located: Array<{ edit: CheckedTextEdit; start: number; end: number }> = [];
  const skipped: CheckedTextEdit[] = [];
  for (const edit of edits) {
    const start = offsetOf(lines, text, edit.line, edit.column);
    const end = offsetOf(lines, text, edit.endLine, edit.endColumn);
    const stale = edit.sourceHash !== undefined && edit.sourceHash !== currentHash;
    if (start === null || end === null || end < start || stale) {
      skipped.push(edit);
      continue;
    }
    const current = text.slice(start, end);
    if ((edit.before !== undefined && current !== edit.before) || current === edit.text) {
      skipped.push(edit);
      continue;
    }
    located.push({ edit, start, end });
  }
  located.sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: typeof located = [];
  for (const entry of located) {
    const previous = kept[kept.length - 1];
    if (previous !== undefined && sameEdit(previous, entry)) continue;
    // Touching is fine (`a` then `b` right after it); sharing a character, or two inserts at one
    // point, is not: the order would be a guess.
    if (previous !== undefined && (entry.start < previous.end || (entry.start === previous.start && entry.start === entry.end))) {
      skipped.push(entry.edit);
      continue;
    }
    kept.push(entry);
  }
  let out = "";
  let cursor = 0;
  for (const { edit, start, end } of kept) {
    out += text.slice(cursor, start) + edit.text;
    cursor = end;
  }
  out += text.slice(cursor);
  return { text: out, applied: kept.map((k) => k.edit), skipped };
}

function sameEdit(a: { start: number; end: number; edit: TextEdit }, b: { start: number; end: number; edit: TextEdit }): boolean {
  return a.start === b.start && a.end === b.end && a.edit.text === b.edit.text;
}

/** The offset of a position, or null when the column is outside the line (line break excluded). */
function offsetOf(lines: LineIndex, text: string, line: number, column: number): number | null {
  if (!Number.isInteger(line) || !Number.isInteger(column) || line < 1 || column < 1 || line > lines.lineCount) return null;
  const lineStart = lines.offset({ line, column: 1 });
  let lineEnd = lineStart;
  while (lineEnd < text.length && text[lineEnd] !== "\n" && text[lineEnd] !== "\r") lineEnd++;
  const offset = lineStart + column - 1;
  return offset <= lineEnd ? offset : null;
}

interface FilePlan {
  path: string;
  absolute: string;
  /** The file as read, BOM included: it must still say this when the new text replaces it. */
  raw: string;
  bom: boolean;
  before: string;
  after: string;
  applied: number;
  /** The edits applied, as the findings carry them. */
  edits: CheckedTextEdit[];
}

/** Reads each file named by a fixable finding and computes its new text; writes nothing. */
async function planFixes(root: string, findings: readonly Finding[]): Promise<FilePlan[]> {
  const byFile = new Map<string, CheckedTextEdit[]>();
  for (const finding of findings) {
    if (finding.fix === undefined) continue;
    const edits = byFile.get(finding.file) ?? [];
    edits.push(finding.fix);
    byFile.set(finding.file, edits);
  }
  const realRoot = await realpath(resolve(root));
  const plans: FilePlan[] = [];
  for (const [path, edits] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const absolute = await insideRoot(realRoot, path);
    if (absolute === null || CODE_FILE.test(path)) continue;
    const raw = await readFile(absolute, "utf8");
    const bom = raw.startsWith(BOM);
    const before = bom ? raw.slice(1) : raw;
    const { text: after, applied } = applyEdits(before, edits);
    if (applied.length === 0 || after === before) continue;
    plans.push({ path, absolute, raw, bom, before, after, applied: applied.length, edits: applied });
  }
  return plans;
}

/** The real path of a repo-relative file when it (and any symlink it is) stays inside the root. */
async function insideRoot(realRoot: string, path: string): Promise<string | null> {
  if (isAbsolute(path) || path.split(/[\\/]/).includes("..")) return null;
  let real: string;
  try {
    real = await realpath(resolve(realRoot, path));
  } catch {
    return null;
  }
  const rel = relative(realRoot, real);
  if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel)) return null;
  return real;
}

/** Applies every finding's `fix` to the harness files it names. */
export async function applyFixes(root: string, findings: readonly Finding[]): Promise<AppliedFixes> {
  const plans = await planFixes(root, findings);
  const written: FilePlan[] = [];
  const changed: string[] = [];
  for (const plan of plans) {
    try {
      await writeFileAtomic(plan.absolute, (plan.bom ? BOM : "") + plan.after, { unchangedFrom: plan.raw });
      written.push(plan);
    } catch (error) {
      // Another process wrote the file after it was read: its edit wins, this fix waits for the next run.
      if (error instanceof ConcurrentChange) changed.push(plan.path);
      else throw writeFailure(plan.path, error);
    }
  }
  return { files: written.map((p) => p.path), applied: written.reduce((n, p) => n + p.applied, 0), changed };
}

const WRITE_REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
};

/** A write the user's system refused (permissions, a full disk) is one line, not an internal error. */
function writeFailure(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code !== "string") return error as Error;
  return new UserError(`--fix: cannot write ${path}: ${WRITE_REASONS[code] ?? code} (${code}); nothing was half-written`);
}

/** What `applyFixes` would change, as a unified diff (`--fix-dry-run`); "" when nothing would. */
export async function fixDiff(root: string, findings: readonly Finding[]): Promise<string> {
  const plans = await planFixes(root, findings);
  return plans.map((plan) => unifiedDiff(plan.path, (plan.bom ? BOM : "") + plan.before, (plan.bom ? BOM : "") + plan.after)).join("");
}

/** One fix as data (`--fix-dry-run --format json`): where, what it replaces, with what, and why. */
export interface FixJson {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The text the range holds now. */
  before: string;
  /** The text `--fix` writes there. */
  text: string;
  check: string;
  mention?: string;
  replacement?: string;
  /** The commit that renamed the name (full SHA), when history says. */
  commit?: string;
}

/**
 * `--fix-dry-run --format json`: `{ "version": 1, "fixes": [...] }`, one entry per edit `--fix`
 * would apply (skipped edits left out), in file and line order.
 */
export async function fixesJson(root: string, findings: readonly Finding[]): Promise<string> {
  const plans = await planFixes(root, findings);
  const byEdit = new Map(findings.flatMap((finding) => (finding.fix !== undefined ? [[finding.fix, finding] as const] : [])));
  const fixes: FixJson[] = [];
  for (const plan of plans) {
    for (const edit of plan.edits) {
      const finding = byEdit.get(edit);
      if (finding === undefined) continue;
      const { line, column, endLine, endColumn, text } = edit;
      fixes.push({
        file: plan.path,
        line,
        column,
        endLine,
        endColumn,
        before: edit.before ?? "",
        text,
        check: finding.check,
        ...(finding.mention !== undefined ? { mention: finding.mention } : {}),
        ...(finding.suggestion?.replacement !== undefined ? { replacement: finding.suggestion.replacement } : {}),
        ...(finding.suggestion?.commit !== undefined ? { commit: finding.suggestion.commit } : {}),
      });
    }
  }
  fixes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return `${JSON.stringify({ version: 1, fixes }, null, 2)}\n`;
}

/**
 * `--staged --fix`: the fixes go to the work tree and are staged, so the commit records them.
 * A rule file with unstaged edits is refused (staging it would commit those edits too), before
 * anything is written.
 */
export async function applyStagedFixes(root: string, findings: readonly Finding[]): Promise<AppliedFixes> {
  const fixable = [...new Set(findings.flatMap((finding) => (finding.fix !== undefined ? [finding.file] : [])))].sort();
  if (fixable.length === 0) return { files: [], applied: 0, changed: [] };
  // Checked before planning: the edits were computed from the index, which the work tree must match.
  const unstaged = splitNul(await runGit(root, ["diff", "--name-only", "-z", "--no-ext-diff", "--", ...fixable]));
  if (unstaged.length > 0) {
    throw new UserError(`--staged --fix: ${unstaged.join(", ")} has unstaged changes; stage or stash them first (git add, or git stash --keep-index), then run it again`);
  }
  const plans = await planFixes(root, findings);
  const paths = plans.map((plan) => plan.path);
  if (plans.length === 0) return { files: [], applied: 0, changed: [] };
  for (const plan of plans) {
    try {
      await writeFileAtomic(plan.absolute, (plan.bom ? BOM : "") + plan.after, { unchangedFrom: plan.raw });
    } catch (error) {
      if (error instanceof ConcurrentChange) throw new UserError(`--staged --fix: ${plan.path} changed while it was being fixed; run it again`);
      throw writeFailure(plan.path, error);
    }
  }
  await runGit(root, ["add", "--", ...paths]);
  return { files: paths, applied: plans.reduce((n, p) => n + p.applied, 0), changed: [] };
}

const CONTEXT = 3;

/**
 * Lines as git and patch see them: ended by `\n` only, each keeping its terminator, so a CRLF
 * line carries its `\r` into the diff and the patch reproduces it.
 */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * A unified diff of two texts, with three lines of context, as `diff -u` and `git apply` read it.
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const changes = changedRegions(a, b);
  const hunks: string[] = [];
  let k = 0;
  while (k < changes.length) {
    // Regions closer than two contexts share a hunk, as diff does.
    let last = k;
    while (last + 1 < changes.length && changes[last + 1]!.aStart - changes[last]!.aEnd <= 2 * CONTEXT) last++;
    const first = changes[k]!;
    const final = changes[last]!;
    const aFrom = Math.max(0, first.aStart - CONTEXT);
    const bFrom = first.bStart - (first.aStart - aFrom);
    const aTo = Math.min(a.length, final.aEnd + CONTEXT);
    const bTo = final.bEnd + (aTo - final.aEnd);
    const body: string[] = [];
    let ai = aFrom;
    for (let c = k; c <= last; c++) {
      const change = changes[c]!;
      while (ai < change.aStart) body.push(diffLine(" ", a[ai++]!));
      for (let i = change.aStart; i < change.aEnd; i++) body.push(diffLine("-", a[i]!));
      for (let j = change.bStart; j < change.bEnd; j++) body.push(diffLine("+", b[j]!));
      ai = change.aEnd;
    }
    while (ai < aTo) body.push(diffLine(" ", a[ai++]!));
    hunks.push(`@@ -${range(aFrom, aTo - aFrom)} +${range(bFrom, bTo - bFrom)} @@\n${body.join("")}`);
    k = last + 1;
  }
  return `--- a/${path}\n+++ b/${path}\n${hunks.join("")}`;
}

function range(start: number, count: number): string {
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

function diffLine(marker: string, line: string): string {
  return line.endsWith("\n") ? `${marker}${line}` : `${marker}${line}\n\\ No newline at end of file\n`;
}

interface Region {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * Changed line regions. Fixes rewrite names inside lines, so the line count usually stays the same
 * and lines pair up by index; otherwise the common head and tail are trimmed and the middle is
 * aligned by a longest common subsequence (small: the middle of a harness file).
 */
function changedRegions(a: readonly string[], b: readonly string[]): Region[] {
  if (a.length === b.length) return runsOfDifference(a, b);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middleA = a.slice(head, a.length - tail);
  const middleB = b.slice(head, b.length - tail);
  if (middleA.length * middleB.length > MAX_ALIGNED_CELLS) {
    return [{ aStart: head, aEnd: a.length - tail, bStart: head, bEnd: b.length - tail }];
  }
  return alignedRegions(middleA, middleB).map((r) => ({ aStart: r.aStart + head, aEnd: r.aEnd + head, bStart: r.bStart + head, bEnd: r.bEnd + head }));
}

const MAX_ALIGNED_CELLS = 4_000_000;

function runsOfDifference(a: readonly string[], b: readonly string[]): Region[] {
  const regions: Region[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    let end = i;
    while (end < a.length && a[end] !== b[end]) end++;
    regions.push({ aStart: i, aEnd: end, bStart: i, bEnd: end });
    i = end;
  }
  return regions;
}

function alignedRegions(a: readonly string[], b: readonly string[]): Region[] {
  const cols = b.length + 1;
  const table = new Uint32Array((a.length + 1) * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * cols + j] = a[i] === b[j] ? table[(i + 1) * cols + j + 1]! + 1 : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
    }
  }
  const regions: Region[] = [];
  let i = 0;
  let j = 0;
  let open: Region | null = null;
  const close = () => {
    if (open !== null) regions.push({ ...open, aEnd: i, bEnd: j });
    open = null;
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      close();
      i++;
      j++;
      continue;
    }
    open ??= { aStart: i, aEnd: i, bStart: j, bEnd: j };
    if (j >= b.length || (i < a.length && table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!)) i++;
    else j++;
  }
  close();
  return regions;
}
