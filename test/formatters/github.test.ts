import { describe, expect, it } from "vitest";
import { formatGithub } from "../../src/formatters/github.js";
import type { LintResult } from "../../src/formatters/types.js";
import type { Finding } from "../../src/harness/types.js";

const SHA = "abc1234def5678abc1234def5678abc1234def56";

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    check: "stale-symbol",
    severity: "error",
    messageId: "missing",
    message: "`UserImporter` no longer exists",
    file: "CLAUDE.md",
    line: 12,
    column: 7,
    endLine: 12,
    endColumn: 21,
    ...overrides,
  };
}

function format(findings: Finding[]): string {
  const result: LintResult = {
    root: "/repo",
    findings,
    summary: { errors: 0, warnings: 0, items: 0, postmortems: 0, files: 0 },
  };
  return formatGithub(result, { color: false, checks: [] });
}

// The reverse of the runner's parsing: %XX sequences back to characters, `%25` last.
function unescapeValue(text: string): string {
  return text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
}

interface Command {
  command: string;
  properties: Record<string, string>;
  message: string;
}

function parseCommand(line: string): Command {
  const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  if (match === null) throw new Error(`not a workflow command: ${line}`);
  const properties: Record<string, string> = {};
  for (const pair of match[2]!.split(",")) {
    const equals = pair.indexOf("=");
    properties[pair.slice(0, equals)] = unescapeValue(pair.slice(equals + 1));
  }
  return { command: match[1]!, properties, message: unescapeValue(match[3]!) };
}

describe("github formatter", () => {
  it("prints nothing when there are no findings", () => {
    expect(format([])).toBe("");
  });

  it("prints one workflow command per finding", () => {
    const text = format([finding(), finding({ severity: "warn", line: 3, check: "unscoped-rule", message: "no scope" })]);
    expect(text.split("\n")).toEqual([
      "::error file=CLAUDE.md,line=12,col=7,endLine=12,endColumn=21,title=harness-lint (stale-symbol)::`UserImporter` no longer exists",
      "::warning file=CLAUDE.md,line=3,col=7,endLine=12,endColumn=21,title=harness-lint (unscoped-rule)::no scope",
      "",
    ]);
  });

  it("leaves out endLine and endColumn when the finding has no end", () => {
    const [line] = format([finding({ endLine: undefined, endColumn: undefined })]).split("\n");
    expect(Object.keys(parseCommand(line!).properties)).toEqual(["file", "line", "col", "title"]);
  });

  it("escapes %, CR and LF in the message, keeping : and , as they are", () => {
    const message = "100% of `a:b`, then\r\nmore\nlines";
    const [line, rest] = format([finding({ message })]).split("\n");
    expect(rest).toBe("");
    expect(line).toContain("::100%25 of `a:b`, then%0D%0Amore%0Alines");
    expect(parseCommand(line!).message).toBe(message);
  });

  it("escapes %, CR, LF, : and , in property values", () => {
    const file = "docs/a,b:c%d\r\ne.md";
    const [line] = format([finding({ file })]).split("\n");
    expect(line).toContain("file=docs/a%2Cb%3Ac%25d%0D%0Ae.md,line=12");
    const parsed = parseCommand(line!);
    expect(parsed.command).toBe("error");
    expect(parsed.properties).toEqual({
      file,
      line: "12",
      col: "7",
      endLine: "12",
      endColumn: "21",
      title: "harness-lint (stale-symbol)",
    });
  });

  it("appends the suggestion and the hint to the message", () => {
    const lines = format([
      finding({ suggestion: { replacement: "AccountImporter", commit: SHA, date: "2026-11-20" } }),
      finding({ suggestion: { candidates: ["A", "B"] }, hint: "Pick one" }),
      finding({ suggestion: { commit: SHA } }),
    ]).split("\n");
    expect(parseCommand(lines[0]!).message).toBe("`UserImporter` no longer exists (renamed to AccountImporter in abc1234)");
    expect(parseCommand(lines[1]!).message).toBe("`UserImporter` no longer exists (candidates: A, B)\nPick one");
    expect(parseCommand(lines[2]!).message).toBe("`UserImporter` no longer exists (removed in abc1234)");
  });
});
