import type { Finding } from "./types.js";

/** What a formatter needs to know about a check: SARIF lists every check as a rule. */
export interface CheckInfo {
  id: string;
  description: string;
  defaultSeverity: "error" | "warn";
  docsUrl: string;
  /** The check's markdown documentation; may be "". */
  help: string;
}

export interface LintSummary {
  errors: number;
  warnings: number;
  items: number;
  postmortems: number;
  files: number;
}

/** A finding an inline directive turned off: kept for SARIF's `suppressions`, not counted. */
export interface SuppressedFinding extends Finding {
  suppression: { kind: "inSource"; justification?: string };
}

export interface LintResult {
  /** Absolute repository root; finding paths are relative to it. */
  root: string;
  findings: Finding[];
  summary: LintSummary;
  /** Findings inline directives suppressed (SARIF reports them with `suppressions`). */
  suppressed?: SuppressedFinding[];
}

export function compareFindings(a: Finding, b: Finding): number {
  // Code-unit order, not locale order: the same input must print the same on every machine.
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}
