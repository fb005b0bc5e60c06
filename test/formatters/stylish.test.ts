import { describe, expect, it } from "vitest";
import { formatStylish } from "../../src/formatters/stylish.js";
import type { LintResult } from "../../src/formatters/types.js";
import type { Finding } from "../../src/harness/types.js";

const SHA = "abc1234def5678abc1234def5678abc1234def56";
const ESC = "\u001b[";

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    check: "stale-symbol",
    severity: "error",
    messageId: "missing",
    message: "`UserImporter` no longer exists",
    file: "CLAUDE.md",
    line: 1,
    column: 1,
    ...overrides,
  };
}

function result(findings: Finding[]): LintResult {
  return { root: "/repo", findings, summary: { errors: 0, warnings: 0, items: 0, postmortems: 0, files: 0 } };
}

function plain(findings: Finding[]): string {
  return formatStylish(result(findings), { color: false, checks: [] });
}

function coloured(findings: Finding[]): string {
  return formatStylish(result(findings), { color: true, checks: [] });
}

describe("stylish formatter", () => {
  it("prints nothing when there are no findings", () => {
    expect(plain([])).toBe("");
    expect(coloured([])).toBe("");
  });

  it("groups findings under one header per file, files sorted, then by line and column", () => {
    const lines = plain([
      finding({ file: "b.md", line: 2, column: 1, message: "b2" }),
      finding({ file: "a.md", line: 9, column: 1, message: "a9" }),
      finding({ file: "a.md", line: 3, column: 8, message: "a3c8" }),
      finding({ file: "a.md", line: 3, column: 2, message: "a3c2" }),
    ]).split("\n");
    expect(lines.filter((line) => line.endsWith(".md"))).toEqual(["a.md", "b.md"]);
    const order = lines.filter((line) => line.startsWith("  ")).map((line) => /\s(\w+)\s+stale-symbol$/.exec(line)?.[1]);
    expect(order).toEqual(["a3c2", "a3c8", "a9", "b2"]);
    // Files are separated by a blank line.
    expect(lines[lines.indexOf("b.md") - 1]).toBe("");
  });

  it("starts each finding with a clickable path:line:col, then severity, message and check id", () => {
    const text = plain([finding({ file: "docs/AGENTS.md", line: 12, column: 7, severity: "warn", check: "stale-path", message: "gone" })]);
    expect(text.split("\n")).toContain("  docs/AGENTS.md:12:7  warning  gone  stale-path");
  });

  it("aligns the severity column", () => {
    const lines = plain([finding({ line: 1, severity: "error" }), finding({ line: 100, severity: "warn" })]).split("\n");
    const errorLine = lines.find((line) => line.includes(" error "))!;
    const warningLine = lines.find((line) => line.includes(" warning "))!;
    expect(errorLine.indexOf("error")).toBe(warningLine.indexOf("warning"));
    expect(errorLine.indexOf("`UserImporter`")).toBe(warningLine.indexOf("`UserImporter`"));
  });

  it("ends with a blank line and a summary with correct plurals", () => {
    expect(plain([finding()]).endsWith("\n\n✖ 1 problem (1 error, 0 warnings)\n")).toBe(true);
    const mixed = plain([finding(), finding({ line: 2 }), finding({ line: 3, severity: "warn" })]);
    expect(mixed.endsWith("\n\n✖ 3 problems (2 errors, 1 warning)\n")).toBe(true);
    const warnings = plain([finding({ severity: "warn" }), finding({ severity: "warn", line: 2 })]);
    expect(warnings.endsWith("✖ 2 problems (0 errors, 2 warnings)\n")).toBe(true);
  });

  it("explains a rename, a removal and candidates on an indented line", () => {
    const lines = plain([
      finding({ line: 1, suggestion: { replacement: "AccountImporter", commit: SHA, date: "2026-11-20", subject: "s" } }),
      finding({ line: 2, suggestion: { commit: SHA, date: "2026-11-21", subject: "chore: drop importer" } }),
      finding({ line: 3, suggestion: { candidates: ["A", "B"] } }),
    ]).split("\n");
    expect(lines).toContain("    ↳ renamed to `AccountImporter` in abc1234, 2026-11-20");
    expect(lines).toContain("    ↳ removed in abc1234, 2026-11-21 (chore: drop importer)");
    expect(lines).toContain("    ↳ candidates: `A`, `B`");
    // Each explanation follows its own finding.
    expect(lines.indexOf("    ↳ candidates: `A`, `B`") - 1).toBe(lines.findIndex((line) => line.startsWith("  CLAUDE.md:3:1")));
  });

  it("prints the hint on an indented line", () => {
    expect(plain([finding({ hint: "Rename it to `AccountImporter`" })]).split("\n")).toContain("    hint: Rename it to `AccountImporter`");
  });

  it("uses no escape codes when colour is off", () => {
    const text = plain([finding({ hint: "h", suggestion: { candidates: ["A"] } }), finding({ severity: "warn" })]);
    expect(text).not.toContain("\u001b");
  });

  it("colours severities, dims check ids, underlines file names and colours the summary", () => {
    const text = coloured([finding({ file: "a.md" }), finding({ file: "a.md", line: 2, severity: "warn" })]);
    expect(text).toContain(`${ESC}4ma.md${ESC}24m`);
    expect(text).toContain(`${ESC}31merror  ${ESC}39m`);
    expect(text).toContain(`${ESC}33mwarning${ESC}39m`);
    expect(text).toContain(`${ESC}2mstale-symbol${ESC}22m`);
    expect(text).toContain(`${ESC}1m${ESC}31m✖ 2 problems (1 error, 1 warning)${ESC}39m${ESC}22m`);
  });

  it("colours the summary yellow when there are only warnings", () => {
    expect(coloured([finding({ severity: "warn" })])).toContain(`${ESC}1m${ESC}33m✖ 1 problem`);
  });

  it("escapes control characters that come from harness text", () => {
    const text = plain([finding({ message: "bad \u001b[2J name\nnext" })]);
    expect(text).not.toContain("\u001b");
    expect(text).toContain("bad \\u001b[2J name\\u000anext");
  });
});
