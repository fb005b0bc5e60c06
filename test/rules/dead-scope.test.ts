import { describe, expect, it } from "vitest";
import { runScenario, type ScenarioResult } from "../helpers/fixtures.js";
import type { JsonFinding } from "../helpers/cli.js";

const CHECK = "dead-scope";

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
  it("fires exactly on the marked lines of checks/dead-scope", async () => {
    const { expected, actual, findings } = only(await runScenario("checks/dead-scope"));
    expect(actual).toEqual(expected);

    // Invalid syntax is named, with the glob's own columns.
    expect(at(findings, "CLAUDE.md", 17)).toMatchObject({
      mention: "src/{a,b",
      column: 13,
      endColumn: 21,
      item: "CLAUDE.md#unclosed-brace",
      severity: "error",
      message: expect.stringContaining("`{` is never closed"),
    });
    expect(at(findings, "CLAUDE.md", 21).message).toContain("`[` is never closed");
    expect(at(findings, ".claude/rules/sql.md", 4)).toMatchObject({ mention: "db/{a,b", column: 5 });
    expect(at(findings, ".cursor/rules/imports.mdc", 2)).toMatchObject({ mention: "src/[x", column: 23 });
    // Only the dead glob of a list is reported, at its columns.
    expect(at(findings, "CLAUDE.md", 25)).toMatchObject({ mention: "src/**/*.py", column: 13, endColumn: 24, message: expect.stringContaining("matches no file") });
    // A file-level scope shared by several sections is reported once.
    // The rule still loads through `src/**`: one dead glob beside a live one is a warning.
    expect(at(findings, "CLAUDE.md", 2)).toMatchObject({ mention: "legacy/**", column: 21, severity: "warn", message: expect.stringContaining("still loads through its other globs") });
    expect(at(findings, "CLAUDE.md", 29)).toMatchObject({ severity: "error" });
    // Nested files: globs resolve from the file's folder (or the root); only the dead one fires.
    expect(at(findings, "src/billing/AGENTS.md", 12)).toMatchObject({ mention: "refunds/**", item: "src/billing/AGENTS.md#refunds" });
    // Git-ignored files and folders of nothing but post-mortems are not code.
    expect(at(findings, "CLAUDE.md", 29).mention).toBe("generated/**");
    expect(at(findings, "CLAUDE.md", 33).mention).toBe("docs/**");

    const alive = [
      "src/import/**",
      "src/lib/csv.ts",
      "src/lib",
      "*.sql",
      "src/lib/**",
      "./src/import/",
      "rates/**",
      "src/billing/*.ts",
      "rates/*.ts",
      "db/**/*.sql",
      "src/import/**",
      "nowhere/**",
      "src/**",
    ];
    expect(findings.filter((f) => alive.includes(f.mention ?? ""))).toEqual([]);
  }, 60_000);

  it("fires on dead and unreadable globs in every harness format (fixtures/formats/all)", async () => {
    const { expected, actual, findings } = only(await runScenario("formats/all"));
    expect(actual).toEqual(expected);
    expect(at(findings, "CLAUDE.md", 17)).toMatchObject({ mention: "src/nowhere/**", item: "CLAUDE.md#dead-area" });
    expect(at(findings, "src/billing/AGENTS.md", 11).mention).toBe("refunds/**");
    expect(at(findings, ".claude/rules/dead.md", 4)).toMatchObject({ mention: "src/gone/**", column: 5, endColumn: 18 });
    expect(at(findings, ".cursor/rules/partly-dead.mdc", 2)).toMatchObject({ mention: "nothing/**", column: 21 });
    // Cursor keeps quotes and brackets in `globs:`: reported as a scope that matches nothing.
    // The agent may read them either way: a warning that says what it may see.
    expect(at(findings, ".cursor/rules/quoted.mdc", 3)).toMatchObject({ severity: "warn", message: expect.stringContaining('may see the patterns `"src/**/*.ts"`') });
    expect(at(findings, ".cursor/rules/bracket.mdc", 3)).toMatchObject({ severity: "warn", message: expect.stringContaining("may see the patterns `[src/**/*.ts`, `lib/**]`") });
    expect(at(findings, ".github/instructions/dead.instructions.md", 2).mention).toBe("docs/**/*.rst");
    expect(at(findings, ".windsurf/rules/dead.md", 3).mention).toBe("old/**");
    expect(at(findings, ".kiro/steering/dead.md", 3).mention).toBe("widgets/**/*.tsx");
    // Live scopes in every format stay quiet, including Cursor's unquoted `**/*.tsx` and Devin's `**/*.ts`.
    const live = [
      ".cursor/rules/unquoted.mdc",
      ".devin/rules/style.md",
      ".claude/rules/api.md",
      ".cursor/rules/comma.mdc",
      ".windsurf/rules/glob.md",
      ".continue/rules/tests.md",
      ".clinerules/db.md",
      ".kiro/steering/components.md",
      ".github/instructions/ts.instructions.md",
      ".cursorrules",
      ".windsurfrules",
      "AGENTS.md",
    ];
    expect(findings.filter((f) => live.includes(f.file))).toEqual([]);
  }, 60_000);

  it("reads scope comments in the single .clinerules file", async () => {
    const { expected, actual, findings } = only(await runScenario("formats/cline-file"));
    expect(actual).toEqual(expected);
    expect(findings.map((f) => f.mention)).toEqual(["legacy/**"]);
  }, 60_000);
});
