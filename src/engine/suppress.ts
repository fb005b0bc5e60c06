import { covers, parseDirectives, suppressionRanges, type SuppressionRange } from "../harness/directives.js";
import type { Finding } from "../harness/types.js";
import type { SuppressedFinding } from "../shared/findings.js";
import { toFinding, type DirectiveReview, type Report } from "./check.js";
import type { ActiveCheck } from "./lint.js";
import type { Model } from "./model.js";

// Inline directives (`<!-- harness-lint-disable-next-line stale-symbol -- reason -->`) applied to
// the findings every check reported. A directive that turned nothing off, or names a check that
// does not exist, goes to the checks that review directives (`unused-disable-directive`). A
// directive is judged unused only when every check it names ran (a `--drift` run, which runs
// the staleness checks only, does not call a `disable uncited-rule` unused).

export interface Suppressed {
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

export function applyDirectives(model: Model, findings: Finding[], active: readonly ActiveCheck[], known: ReadonlySet<string>, fullRun: boolean): Suppressed {
  const ranges = new Map<string, SuppressionRange[]>();
  for (const file of model.harnessFiles) {
    if (!file.text.includes("harness-lint-")) continue;
    const directives = parseDirectives(file.text);
    if (directives.length > 0) ranges.set(file.path, suppressionRanges(directives));
  }
  if (ranges.size === 0) return { findings, suppressed: [] };

  const used = new Set<object>();
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const range = ranges.get(finding.file)?.find((r) => covers(r, finding.check, finding.line));
    if (range === undefined) {
      kept.push(finding);
      continue;
    }
    used.add(range.directive);
    const justification = range.directive.reason;
    suppressed.push({ ...finding, suppression: { kind: "inSource", ...(justification !== undefined ? { justification } : {}) } });
  }

  const ran = new Set(active.map(({ check }) => check.id));
  const reviews: DirectiveReview[] = [];
  for (const [file, fileRanges] of ranges) {
    for (const directive of new Set(fileRanges.map((r) => r.directive))) {
      const unknownChecks = (directive.checks ?? []).filter((id) => !known.has(id));
      const judged = directive.checks === null ? fullRun : directive.checks.every((id) => ran.has(id) || !known.has(id));
      const unused = judged && !used.has(directive);
      if (unused || unknownChecks.length > 0) reviews.push({ file, directive, unknownChecks, unused });
    }
  }
  for (const { check, severity } of active) {
    if (check.reviewDirectives === undefined || reviews.length === 0) continue;
    check.reviewDirectives(reviews, { config: model.config, report: (report: Report<string>) => kept.push(toFinding(check, severity, report)) });
  }
  return { findings: kept, suppressed };
}
