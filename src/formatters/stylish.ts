import { relative, resolve, sep } from "node:path";
import { compareFindings } from "../shared/findings.js";
import type { Finding, Suggestion } from "../harness/types.js";
import type { Formatter } from "./types.js";
import { printable } from "../shared/printable.js";

// Human output in the shape of ESLint's stylish formatter, with each location written as
// `path:line:col` so terminals and editors can open it with one click.

type Paint = (text: string) => string;

interface Palette {
  red: Paint;
  yellow: Paint;
  dim: Paint;
  underline: Paint;
  bold: Paint;
}

/** Each style closes with its own reset code, so styles can nest without cancelling each other. */
function ansi(open: number, close: number): Paint {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const plain: Paint = (text) => text;

const COLOURED: Palette = {
  red: ansi(31, 39),
  yellow: ansi(33, 39),
  dim: ansi(2, 22),
  underline: ansi(4, 24),
  bold: ansi(1, 22),
};

const UNCOLOURED: Palette = { red: plain, yellow: plain, dim: plain, underline: plain, bold: plain };

function shortSha(commit: string): string {
  return commit.slice(0, 7);
}

function quote(name: string): string {
  return `\`${name}\``;
}

/** One line explaining the suggestion, or undefined when it carries nothing to show. */
export function describeSuggestion(suggestion: Suggestion): string | undefined {
  const { replacement, commit, date, subject, candidates } = suggestion;
  if (candidates !== undefined && candidates.length > 0) {
    return `candidates: ${candidates.map(quote).join(", ")}`;
  }
  const when = commit === undefined ? "" : ` in ${[shortSha(commit), date].filter(Boolean).join(", ")}`;
  if (replacement !== undefined) {
    // Without a commit nothing says the name was renamed: offer it as a replacement only.
    return commit === undefined ? `replace with ${quote(replacement)}` : `renamed to ${quote(replacement)}${when}`;
  }
  if (commit !== undefined) {
    return `removed${when}${subject === undefined ? "" : ` (${subject})`}`;
  }
  return undefined;
}

function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of [...findings].sort(compareFindings)) {
    const group = groups.get(finding.file);
    if (group === undefined) groups.set(finding.file, [finding]);
    else group.push(finding);
  }
  return groups;
}

/** A repo-relative path as the reader's shell sees it: relative to where the command ran. */
type ShowPath = (file: string) => string;

function pathShower(root: string, cwd: string | undefined): ShowPath {
  if (cwd === undefined || resolve(cwd) === resolve(root)) return (file) => file;
  return (file) => relative(cwd, resolve(root, file)).split(sep).join("/");
}

function location(finding: Finding, show: ShowPath): string {
  return `${printable(show(finding.file))}:${finding.line}:${finding.column}`;
}

function severityWord(finding: Finding): string {
  return finding.severity === "error" ? "error" : "warning";
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function summaryLine(errors: number, warnings: number, paint: Palette): string {
  const total = errors + warnings;
  const text = `✖ ${plural(total, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")})`;
  const colour = errors > 0 ? paint.red : paint.yellow;
  return paint.bold(colour(text));
}

export const formatStylish: Formatter = (result, context) => {
  if (result.findings.length === 0) return "";
  const paint = context.color ? COLOURED : UNCOLOURED;
  const show = pathShower(result.root, context.cwd);

  const blocks: string[] = [];
  // A hint is advice about a check, not about one finding: print it once per check, at its first finding.
  const hinted = new Set<string>();
  for (const [file, findings] of groupByFile(result.findings)) {
    // Pad on the plain text, then colour, so escape codes do not skew the columns.
    const locationWidth = Math.max(...findings.map((finding) => location(finding, show).length));
    const severityWidth = Math.max(...findings.map((finding) => severityWord(finding).length));
    const lines = [paint.underline(printable(show(file)))];
    for (const finding of findings) {
      const word = severityWord(finding).padEnd(severityWidth);
      const severity = finding.severity === "error" ? paint.red(word) : paint.yellow(word);
      const where = location(finding, show).padEnd(locationWidth);
      lines.push(`  ${where}  ${severity}  ${printable(finding.message)}  ${paint.dim(finding.check)}`);
      const suggestion = finding.suggestion === undefined ? undefined : describeSuggestion(finding.suggestion);
      if (suggestion !== undefined) lines.push(`    ↳ ${printable(suggestion)}`);
      if (finding.hint !== undefined && !hinted.has(finding.check)) {
        hinted.add(finding.check);
        lines.push(`    ${paint.dim("hint:")} ${printable(finding.hint)}`);
      }
    }
    blocks.push(lines.join("\n"));
  }

  const errors = result.findings.filter((finding) => finding.severity === "error").length;
  const warnings = result.findings.length - errors;
  return `${blocks.join("\n\n")}\n\n${summaryLine(errors, warnings, paint)}\n`;
};
