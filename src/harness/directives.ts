import type { Span } from "../shared/types.js";

// Inline suppression comments, written as markdownlint writes them (SPEC section 7):
//   <!-- harness-lint-disable-next-line stale-symbol -- the name is the vendor's, not ours -->
//   <!-- harness-lint-disable-line stale-path -->
//   <!-- harness-lint-disable stale-path --> ... <!-- harness-lint-enable stale-path -->
//   <!-- harness-lint-disable-file uncited-rule -->
// No check list means every check. Checks are separated by spaces or commas; ` -- ` starts the
// reason. Comments inside fenced code blocks or inline code are text, not directives. A pure
// function of the file's text: the engine applies the ranges to findings.

export type DirectiveKind = "disable-next-line" | "disable-line" | "disable" | "enable" | "disable-file";

export interface Directive {
  kind: DirectiveKind;
  /** The checks it names; null for every check. */
  checks: string[] | null;
  reason?: string;
  span: Span;
}

/** Lines (1-based, inclusive) where some checks are off, and the directive that turned them off. */
export interface SuppressionRange {
  directive: Directive;
  checks: string[] | null;
  from: number;
  to: number;
}

const DIRECTIVE = /<!--\s*harness-lint-(disable-next-line|disable-line|disable-file|disable|enable)(?=[\s-]|-->)([\s\S]*?)-->/g;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function parseDirectives(text: string): Directive[] {
  const directives: Directive[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  const lineStarts: number[] = [];
  let offset = 0;
  const inFence: boolean[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    lineStarts.push(offset);
    offset += line.length + 1;
    const marker = FENCE.exec(line)?.[1];
    if (fence === null && marker !== undefined) {
      fence = marker;
      inFence.push(true);
    } else if (fence !== null) {
      inFence.push(true);
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
    } else inFence.push(false);
  }
  const normalised = text.replace(/\r\n|\r/g, "\n");
  for (const match of normalised.matchAll(DIRECTIVE)) {
    const start = position(lineStarts, match.index);
    const end = position(lineStarts, match.index + match[0].length);
    if (inFence[start.line - 1]) continue;
    const before = lines[start.line - 1]!.slice(0, start.column - 1);
    if ((before.match(/`/g)?.length ?? 0) % 2 === 1) continue; // inside inline code
    const [list, ...why] = match[2]!.split(/(?:^|\s)--(?:\s|$)/);
    const checks = list!
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter((id) => id !== "");
    const reason = why.join(" -- ").trim();
    directives.push({
      kind: match[1] as DirectiveKind,
      checks: checks.length > 0 ? checks : null,
      ...(reason !== "" ? { reason } : {}),
      span: { start, end },
    });
  }
  return directives;
}

function position(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low]! + 1 };
}

/**
 * The ranges the directives of one file turn off. `enable X` ends the open `disable` ranges that
 * name X (a range naming X and Y goes on for Y); a bare `enable` ends them all. An `enable X`
 * does not punch a hole in a `disable` of every check.
 */
export function suppressionRanges(directives: readonly Directive[]): SuppressionRange[] {
  const ranges: SuppressionRange[] = [];
  let open: SuppressionRange[] = [];
  for (const directive of directives) {
    const line = directive.span.start.line;
    const endLine = directive.span.end.line;
    switch (directive.kind) {
      case "disable-file":
        ranges.push({ directive, checks: directive.checks, from: 1, to: Number.MAX_SAFE_INTEGER });
        break;
      case "disable-line":
        ranges.push({ directive, checks: directive.checks, from: line, to: endLine });
        break;
      case "disable-next-line":
        ranges.push({ directive, checks: directive.checks, from: endLine + 1, to: endLine + 1 });
        break;
      case "disable": {
        const range = { directive, checks: directive.checks, from: line, to: Number.MAX_SAFE_INTEGER };
        ranges.push(range);
        open.push(range);
        break;
      }
      case "enable": {
        const still: SuppressionRange[] = [];
        for (const range of open) {
          const ended = directive.checks === null || range.checks?.some((id) => directive.checks!.includes(id));
          if (!ended) {
            still.push(range);
            continue;
          }
          range.to = line;
          const rest = directive.checks === null || range.checks === null ? [] : range.checks.filter((id) => !directive.checks!.includes(id));
          if (rest.length > 0) {
            const next = { directive: range.directive, checks: rest, from: line, to: Number.MAX_SAFE_INTEGER };
            ranges.push(next);
            still.push(next);
          }
        }
        open = still;
        break;
      }
    }
  }
  return ranges;
}

/** Whether a range covers a finding of `check` on `line`. */
export function covers(range: SuppressionRange, check: string, line: number): boolean {
  return line >= range.from && line <= range.to && (range.checks === null || range.checks.includes(check));
}
