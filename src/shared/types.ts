// Types every floor shares: positions in a file, severities, and the finding a check reports.

/** 1-based line and column; columns count UTF-16 code units, as editors and ESLint do. */
export interface Position {
  line: number;
  column: number;
}

/** `end` is exclusive: `endColumn` points just past the last character, as in ESLint. */
export interface Span {
  start: Position;
  end: Position;
}

export type Severity = "error" | "warn";
export type SeveritySetting = Severity | "off";

export interface Suggestion {
  replacement?: string;
  commit?: string;
  date?: string;
  subject?: string;
  /** Several candidates: shown, never applied. */
  candidates?: string[];
}

export interface Finding {
  check: string;
  severity: Severity;
  messageId: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  item?: string;
  mention?: string;
  suggestion?: Suggestion;
  commit?: string;
  /** Advice on what to do, kept apart from the message (Biome's "say what to do"). */
  hint?: string;
  /** An unambiguous edit that repairs the finding: replace the text in this range. */
  fix?: TextEdit;
}

export interface TextEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
}
