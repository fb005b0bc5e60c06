import type { Finding, Suggestion } from "../harness/types.js";
import type { Formatter, LintResult, LintSummary } from "./types.js";

// The JSON output is a public contract (SPEC section 8): fields are copied one by one, in the
// documented order, so internal fields such as messageId, hint and fix never leak into it.

export interface JsonSuggestion {
  replacement?: string;
  commit?: string;
  date?: string;
  subject?: string;
  candidates?: string[];
}

export interface JsonFinding {
  check: string;
  severity: Finding["severity"];
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  item?: string;
  mention?: string;
  suggestion?: JsonSuggestion;
  commit?: string;
}

export interface JsonReport {
  version: 1;
  root: string;
  summary: LintSummary;
  findings: JsonFinding[];
}

function toJsonSuggestion(suggestion: Suggestion): JsonSuggestion {
  const out: JsonSuggestion = {};
  if (suggestion.replacement !== undefined) out.replacement = suggestion.replacement;
  if (suggestion.commit !== undefined) out.commit = suggestion.commit;
  if (suggestion.date !== undefined) out.date = suggestion.date;
  if (suggestion.subject !== undefined) out.subject = suggestion.subject;
  if (suggestion.candidates !== undefined) out.candidates = [...suggestion.candidates];
  return out;
}

export function toJsonFinding(finding: Finding): JsonFinding {
  const out: JsonFinding = {
    check: finding.check,
    severity: finding.severity,
    file: finding.file,
    line: finding.line,
    column: finding.column,
    // The contract always has an end; a finding without one marks a single position.
    endLine: finding.endLine ?? finding.line,
    endColumn: finding.endColumn ?? finding.column,
    message: finding.message,
  };
  if (finding.item !== undefined) out.item = finding.item;
  if (finding.mention !== undefined) out.mention = finding.mention;
  if (finding.suggestion !== undefined) out.suggestion = toJsonSuggestion(finding.suggestion);
  if (finding.commit !== undefined) out.commit = finding.commit;
  return out;
}

export function toJsonReport(result: LintResult): JsonReport {
  const { errors, warnings, items, postmortems, files } = result.summary;
  return {
    version: 1,
    root: result.root,
    summary: { errors, warnings, items, postmortems, files },
    findings: result.findings.map(toJsonFinding),
  };
}

export const formatJson: Formatter = (result) => `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
