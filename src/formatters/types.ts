import type { CheckInfo, LintResult } from "../shared/findings.js";

export type { CheckInfo, LintResult, LintSummary } from "../shared/findings.js";

export interface FormatterContext {
  color: boolean;
  checks: CheckInfo[];
  /** The folder the command ran in: stylish prints paths relative to it, as ESLint does. */
  cwd?: string;
}

/** Formatters return text instead of printing, so the CLI decides where it goes and tests read it. */
export type Formatter = (result: LintResult, context: FormatterContext) => string;
