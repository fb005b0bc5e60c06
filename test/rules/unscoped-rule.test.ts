import { describe, expect, it } from "vitest";
import { runScenario, type ScenarioResult } from "../helpers/fixtures.js";
import type { JsonFinding } from "../helpers/cli.js";

const CHECK = "unscoped-rule";

/** The scenario's findings and markers of this check only (a scenario may cover two checks). */
function only(result: ScenarioResult) {
  const mine = (e: string) => e.endsWith(`:${CHECK}`);
  return { expected: result.expected.filter(mine), actual: result.actual.filter(mine), findings: result.findings.filter((f) => f.check === CHECK) };
}

function at(findings: JsonFinding[], file: string, line: number): JsonFinding {
  const found = findings.filter((f) => f.file === file && f.line === line);
  expect(found, `one ${CHECK} finding at ${file}:${line}`).toHaveLength(1);
  return found[0]!;
}

describe(CHECK, () => {
  it("fires exactly on the marked lines across every harness format (fixtures/formats/all)", async () => {
    const { expected, actual, findings } = only(await runScenario("formats/all"));
    expect(actual).toEqual(expected);
    expect(expected.length).toBeGreaterThanOrEqual(15);

    expect(at(findings, "CLAUDE.md", 5)).toMatchObject({
      item: "CLAUDE.md#orient-before-editing",
      column: 1,
      severity: "warn",
      message: expect.stringContaining('"Orient before editing" has no scope'),
    });
    expect(at(findings, ".claude/CLAUDE.md", 1).item).toBe(".claude/CLAUDE.md#team-conventions");
    expect(at(findings, ".cursorrules", 1).item).toBe(".cursorrules#tabs-not-spaces");
    expect(at(findings, ".claude/rules/globs.md", 2)).toMatchObject({
      item: ".claude/rules/globs.md",
      column: 1,
      endColumn: 6,
      message: expect.stringContaining("`globs:` is not read by Claude Code"),
    });
    expect(at(findings, ".claude/rules/numbers.md", 2).message).toContain("a number");
    expect(at(findings, ".cursor/rules/list.mdc", 3).message).toContain("ignores a YAML list");
    expect(at(findings, ".github/instructions/number.instructions.md", 2).message).toContain("`applyTo:`");
    expect(at(findings, ".windsurf/rules/no-trigger.md", 3).message).toContain("only with `trigger: glob`");
    expect(at(findings, ".kiro/steering/pattern-only.md", 2).message).toContain("only with `inclusion: fileMatch`");
    expect(at(findings, ".cursor/rules/agent.mdc", 1)).toMatchObject({ item: ".cursor/rules/agent.mdc", message: expect.stringContaining('"Agent decides from the description"') });

    // Scoped on purpose or by placement: never reported.
    const quiet = [
      "src/billing/AGENTS.md",
      "pkg/GEMINI.md",
      ".claude/rules/api.md",
      ".claude/rules/global.md",
      ".cursor/rules/comma.mdc",
      ".cursor/rules/always.mdc",
      ".cursor/rules/unquoted.mdc",
      ".cursor/rules/style.md",
      ".github/instructions/all.instructions.md",
      ".github/instructions/ts.instructions.md",
      ".windsurf/rules/glob.md",
      ".windsurf/rules/always.md",
      ".devin/rules/style.md",
      ".continue/rules/tests.md",
      ".continue/rules/always.md",
      ".clinerules/db.md",
      ".kiro/steering/product.md",
      ".kiro/steering/components.md",
      // Their globs are dead or quoted: dead-scope's finding, not "no scope".
      ".cursor/rules/quoted.mdc",
      ".cursor/rules/bracket.mdc",
      ".claude/rules/dead.md",
      ".github/instructions/dead.instructions.md",
    ];
    expect(findings.filter((f) => quiet.includes(f.file))).toEqual([]);
  }, 60_000);

  it("reads inline scope comments only directly under the heading (checks/unscoped-rule)", async () => {
    const { expected, actual, findings } = only(await runScenario("checks/unscoped-rule"));
    expect(actual).toEqual(expected);
    expect(at(findings, "CLAUDE.md", 18)).toMatchObject({ item: "CLAUDE.md#no-scope-at-all", message: expect.stringContaining("has no scope") });
    // A misplaced comment is reported where it sits, naming the rule it failed to scope.
    expect(at(findings, "CLAUDE.md", 23)).toMatchObject({
      item: "CLAUDE.md#scope-comment-too-late",
      column: 1,
      message: expect.stringContaining("not directly under the heading"),
    });
    expect(at(findings, "CLAUDE.md", 41).item).toBe("CLAUDE.md#scope-under-a-subsection");
    expect(at(findings, "CLAUDE.md", 45).message).toContain("lists no glob");
    // H3s: only the parent and the explicit-id subsection are rules.
    expect(at(findings, "CLAUDE.md", 33).item).toBe("CLAUDE.md#parent-without-a-scope");
    expect(at(findings, "CLAUDE.md", 36).item).toBe("CLAUDE.md#refunds");
    // A file with only a preamble is one rule, named by its path.
    expect(at(findings, "GEMINI.md", 1).item).toBe("GEMINI.md");
    // Preamble scope (AGENTS.md), nested files (docs/AGENTS.md), and inherited scope ({#cents}) are quiet.
    expect(findings.filter((f) => f.file !== "CLAUDE.md" && f.file !== "GEMINI.md")).toEqual([]);
    expect(findings.map((f) => f.item)).not.toContain("CLAUDE.md#cents");
  }, 60_000);

  it("reads the single .clinerules file by section", async () => {
    const { expected, actual, findings } = only(await runScenario("formats/cline-file"));
    expect(actual).toEqual(expected);
    expect(findings.map((f) => f.item)).toEqual([".clinerules#always-test"]);
  }, 60_000);
});
