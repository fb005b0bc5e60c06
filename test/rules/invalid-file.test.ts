import { describe, expect, it } from "vitest";
import type { JsonFinding } from "../helpers/cli.js";
import { runScenario } from "../helpers/fixtures.js";

function at(findings: JsonFinding[], file: string, check = "invalid-file"): JsonFinding {
  const found = findings.filter((f) => f.file === file && f.check === check);
  expect(found, `one ${check} finding in ${file}`).toHaveLength(1);
  return found[0]!;
}

describe("invalid-file", () => {
  it("names the line and column of what cannot be read, and lints every other file (checks/invalid-file)", async () => {
    const { expected, actual, findings, report } = await runScenario("checks/invalid-file");
    expect(actual).toEqual(expected);

    // Broken YAML in a harness file that no line-by-line reader could make sense of either.
    expect(at(findings, ".claude/rules/broken.md")).toMatchObject({ severity: "error", line: 4, column: 1, message: expect.stringContaining("invalid YAML frontmatter") });
    expect(at(findings, ".claude/rules/dupe.md")).toMatchObject({ line: 3, column: 1, message: expect.stringContaining("Map keys must be unique") });
    // Not text: the position of the first bad byte.
    expect(at(findings, "src/legacy/AGENTS.md")).toMatchObject({ line: 3, column: 4, message: expect.stringContaining("not valid UTF-8") });
    expect(at(findings, ".cursor/rules/binary.mdc")).toMatchObject({ line: 3, column: 1, message: expect.stringContaining("binary content") });
    // Post-mortems: a date that is not a calendar day, and YAML read strictly.
    expect(at(findings, "docs/postmortems/bad-date.md")).toMatchObject({ line: 2, column: 7, message: expect.stringContaining('"date": expected an ISO date') });
    expect(at(findings, "docs/postmortems/broken.md")).toMatchObject({ line: 3, column: 10, message: expect.stringContaining("Unresolved alias") });
    // CRLF and BOM files point at the same line and column as their plain twins.
    const crlf = at(findings, ".claude/rules/crlf.md");
    const lf = at(findings, ".claude/rules/lf.md");
    expect([crlf.line, crlf.column]).toEqual([3, 12]);
    expect([crlf.line, crlf.column]).toEqual([lf.line, lf.column]);
    const bom = at(findings, ".clinerules/bom.md");
    const plain = at(findings, ".clinerules/no-bom.md");
    expect([bom.line, bom.column]).toEqual([plain.line, plain.column]);
    expect(at(findings, "AGENTS.md", "unscoped-rule")).toMatchObject({ line: 3, column: 1, item: "AGENTS.md#crlf-rule" });
    expect(at(findings, "GEMINI.md", "unscoped-rule")).toMatchObject({ line: 1, column: 1, item: "GEMINI.md#bom-rule" });
    expect(at(findings, ".kiro/steering/crlf.md", "dead-scope")).toMatchObject({ line: 3, column: 20, endColumn: 27, mention: "nope/**" });
    expect(at(findings, "src/app/CLAUDE.md", "dead-scope")).toMatchObject({ line: 2, column: 13, mention: "gone/**" });
    // Valid text with CRLF, a BOM, multibyte characters, quoted or empty frontmatter: not invalid.
    const valid = [
      "docs/postmortems/crlf.md",
      "docs/postmortems/bom.md",
      ".github/instructions/utf8.instructions.md",
      ".claude/rules/quoted.md",
      ".claude/rules/empty-frontmatter.md",
      ".windsurf/rules/unquoted.md",
      ".kiro/steering/crlf.md",
      "AGENTS.md",
      "GEMINI.md",
      "src/app/CLAUDE.md",
      "CLAUDE.md",
    ];
    expect(findings.filter((f) => f.check === "invalid-file" && valid.includes(f.file))).toEqual([]);

    // Cursor reads `globs: **/*.ts` as written: not invalid, and its scope counts.
    expect(findings.filter((f) => f.file === ".cursor/rules/unquoted.mdc")).toEqual([]);
    // Every other file is still linted: the healthy rule's finding is there.
    expect(at(findings, "CLAUDE.md", "unscoped-rule")).toMatchObject({ line: 3, item: "CLAUDE.md#healthy-rule" });
    // Per-file rules whose frontmatter failed are not also "unscoped"; refs into undecodable
    // files are not "dangling".
    expect(findings.filter((f) => f.check !== "invalid-file" && /^\.claude\/rules\/(broken|dupe|crlf|lf)\.md$/.test(f.file))).toEqual([]);
    expect(findings.filter((f) => f.check === "dangling-citation")).toEqual([]);
    expect(report.summary.errors).toBeGreaterThanOrEqual(10);
  }, 60_000);
});
