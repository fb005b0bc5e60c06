import type { Config } from "../shared/config-types.js";
import type { Finding, Span, Suggestion, TextEdit } from "../harness/types.js";
import type { Lapse, Model } from "./model.js";
import type { Mention } from "../harness/types.js";
import type { Directive } from "../harness/directives.js";

export type CheckCategory = "staleness" | "scope" | "provenance" | "postmortem" | "parsing";

export interface Report<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  file: string;
  span: Span;
  item?: string;
  mention?: string;
  suggestion?: Suggestion;
  commit?: string;
  hint?: string;
  /** An edit the engine computed from history (a lapsed guard's new name), applied by `--fix`. */
  fix?: TextEdit;
  /** A check may lower its own severity for one report (less certain), never raise it. */
  severity?: "warn";
}

export interface CheckContext<M extends string> {
  config: Config;
  report(report: Report<M>): void;
}

export interface Check<M extends string = string> {
  id: string;
  description: string;
  category: CheckCategory;
  defaultSeverity: "error" | "warn";
  /** Message templates with `{{placeholders}}`, keyed by message id. */
  messages: Record<M, string>;
  run(model: Model, context: CheckContext<M>): void;
  /**
   * For a check about the suppression comments themselves: called after every other check ran
   * and the directives were applied, with the directives that turned nothing off.
   */
  reviewDirectives?(directives: readonly DirectiveReview[], context: CheckContext<M>): void;
}

/** A directive that suppressed nothing, or that names checks that do not exist. */
export interface DirectiveReview {
  file: string;
  directive: Directive;
  /** Checks it names that are not in the registry. */
  unknownChecks: string[];
  /** True when it suppressed no finding in this run. */
  unused: boolean;
}

/** Typed identity: `messageId` in `report` is checked against the keys of `messages`. */
export function defineCheck<M extends string>(check: Check<M>): Check<M> {
  return check;
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** Fills a template; a placeholder without data is a bug in the check, not user error. */
export function fillMessage(checkId: string, template: string, data: Record<string, string | number> = {}): string {
  return template.replace(PLACEHOLDER, (_, key: string) => {
    const value = data[key];
    if (value === undefined) throw new Error(`check ${checkId}: message placeholder "${key}" has no data`);
    return String(value);
  });
}

export function toFinding<M extends string>(check: Check<M>, severity: "error" | "warn", report: Report<M>): Finding {
  const template = check.messages[report.messageId];
  if (template === undefined) throw new Error(`check ${check.id}: unknown messageId "${report.messageId}"`);
  const { start, end } = report.span;
  if (start.line < 1 || start.column < 1) {
    throw new Error(`check ${check.id}: location ${start.line}:${start.column} in ${report.file} is not 1-based`);
  }
  const finding: Finding = {
    check: check.id,
    // Only ever lowers: a check turned to "warn" in the configuration stays a warning.
    severity: report.severity === "warn" ? "warn" : severity,
    messageId: report.messageId,
    message: fillMessage(check.id, template, report.data),
    file: report.file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
  };
  if (report.item !== undefined) finding.item = report.item;
  if (report.mention !== undefined) finding.mention = report.mention;
  if (report.suggestion !== undefined) finding.suggestion = report.suggestion;
  if (report.commit !== undefined) finding.commit = report.commit;
  if (report.hint !== undefined) finding.hint = report.hint;
  if (report.fix !== undefined) finding.fix = report.fix;
  return finding;
}

/** The messages of a lapsed hedge or guard, by how the rule held the name (stale-symbol, stale-path). */
export type LapseMessageId = "lapsedProhibition" | "lapsedDeprecated" | "lapsedExample" | "lapsedGuard";

export function lapseMessageId(mention: Mention): LapseMessageId {
  if (mention.hedge === "prohibition") return "lapsedProhibition";
  if (mention.hedge === "deprecated") return "lapsedDeprecated";
  if (mention.hedge === "example") return "lapsedExample";
  return "lapsedGuard";
}

/** What a lapse finding carries besides its words: the renaming commit, the new name as suggestion and `--fix`. */
export function lapseDetails(lapse: Lapse): Pick<Report<string>, "commit" | "suggestion" | "fix"> {
  return {
    commit: lapse.commit,
    suggestion: {
      replacement: lapse.replacement,
      commit: lapse.commit,
      ...(lapse.date !== undefined ? { date: lapse.date } : {}),
      ...(lapse.subject !== undefined ? { subject: lapse.subject } : {}),
    },
    ...(lapse.fix !== undefined ? { fix: lapse.fix } : {}),
  };
}
