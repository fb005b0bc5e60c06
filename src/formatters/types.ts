import type { Finding } from "../harness/types.js";

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

export interface LintResult {
  /** Absolute repository root; finding paths are relative to it. */
  root: string;
  findings: Finding[];
  summary: LintSummary;
}

export interface FormatterContext {
  color: boolean;
  checks: CheckInfo[];
}

/** Formatters return text instead of printing, so the CLI decides where it goes and tests read it. */
export type Formatter = (result: LintResult, context: FormatterContext) => string;
