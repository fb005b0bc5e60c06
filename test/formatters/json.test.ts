import { describe, expect, it } from "vitest";
import { formatJson } from "../../src/formatters/json.js";
import type { FormatterContext, LintResult } from "../../src/formatters/types.js";
import type { Finding } from "../../src/harness/types.js";

const context: FormatterContext = { color: false, checks: [] };
const SHA = "0123456789abcdef0123456789abcdef01234567";

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    check: "stale-symbol",
    severity: "error",
    messageId: "missing",
    message: "`UserImporter` no longer exists in the codebase",
    file: "CLAUDE.md",
    line: 12,
    column: 7,
    endLine: 12,
    endColumn: 21,
    ...overrides,
  };
}

function result(findings: Finding[]): LintResult {
  return {
    root: "/repo",
    findings,
    summary: { errors: 1, warnings: 0, items: 4, postmortems: 2, files: 3 },
  };
}

function parse(findings: Finding[]): Record<string, unknown> & { findings: Array<Record<string, unknown>> } {
  return JSON.parse(formatJson(result(findings), context)) as ReturnType<typeof parse>;
}

describe("json formatter", () => {
  it("prints pretty JSON with two-space indentation and a trailing newline", () => {
    const text = formatJson(result([finding()]), context);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.startsWith('{\n  "version": 1,\n  "root": "/repo",')).toBe(true);
  });

  it("has exactly the top-level and summary keys of SPEC section 8, in order", () => {
    const report = parse([]);
    expect(Object.keys(report)).toEqual(["version", "root", "summary", "findings"]);
    expect(report.version).toBe(1);
    expect(report.root).toBe("/repo");
    expect(report.summary).toEqual({ errors: 1, warnings: 0, items: 4, postmortems: 2, files: 3 });
    expect(Object.keys(report.summary as object)).toEqual(["errors", "warnings", "items", "postmortems", "files"]);
    expect(report.findings).toEqual([]);
  });

  it("orders every finding key as documented and includes the optional ones when defined", () => {
    const full = finding({
      item: "CLAUDE.md#imports",
      mention: "UserImporter",
      suggestion: { subject: "refactor: rename importer", date: "2026-11-20", commit: SHA, replacement: "AccountImporter" },
      commit: SHA,
    });
    const [out] = parse([full]).findings;
    expect(Object.keys(out!)).toEqual(["check", "severity", "file", "line", "column", "endLine", "endColumn", "message", "item", "mention", "suggestion", "commit"]);
    expect(Object.keys(out!.suggestion as object)).toEqual(["replacement", "commit", "date", "subject"]);
    expect(out).toMatchObject({ line: 12, column: 7, endLine: 12, endColumn: 21, commit: SHA });
  });

  it("leaves out internal fields (messageId, hint, fix) and undefined optional keys", () => {
    const internal = finding({
      hint: "Rename it",
      fix: { line: 12, column: 7, endLine: 12, endColumn: 21, text: "AccountImporter" },
    });
    const [out] = parse([internal]).findings;
    expect(Object.keys(out!)).toEqual(["check", "severity", "file", "line", "column", "endLine", "endColumn", "message"]);
  });

  it("keeps suggestion candidates and omits absent suggestion keys", () => {
    const [out] = parse([finding({ suggestion: { candidates: ["A", "B"] } })]).findings;
    expect(out!.suggestion).toEqual({ candidates: ["A", "B"] });
  });

  it("gives a finding without an end a zero-width range at its start", () => {
    const [out] = parse([finding({ endLine: undefined, endColumn: undefined })]).findings;
    expect(out).toMatchObject({ line: 12, column: 7, endLine: 12, endColumn: 7 });
  });
});
