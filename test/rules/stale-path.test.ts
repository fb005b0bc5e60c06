import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { JsonFinding } from "../helpers/cli.js";
import { FIXTURES, runScenario, type ScenarioResult } from "../helpers/fixtures.js";

const SCENARIO = "checks/stale-path";

function lines(file: string, scenario = SCENARIO): string[] {
  return readFileSync(join(FIXTURES, scenario, "tree", file), "utf8").split("\n");
}

/** The one finding on the marked line of `file` that contains `text`, and where `text` starts. */
function at(findings: JsonFinding[], file: string, text: string, scenario = SCENARIO): { finding: JsonFinding; line: number; column: number } {
  const source = lines(file, scenario);
  const index = source.findIndex((line) => line.includes(text) && line.includes("expect: stale-path"));
  expect(index, `no marked line contains ${text}`).toBeGreaterThanOrEqual(0);
  const onLine = findings.filter((f) => f.file === file && f.line === index + 1);
  expect(onLine, `findings on ${file}:${index + 1}`).toHaveLength(1);
  return { finding: onLine[0]!, line: index + 1, column: source[index]!.indexOf(text) + 1 };
}

describe("stale-path", () => {
  let result: ScenarioResult;
  beforeAll(async () => {
    result = await runScenario(SCENARIO);
  }, 60_000);

  it("fires exactly on the marked lines, and nowhere else", () => {
    expect(result.actual).toEqual(result.expected);
    expect(result.expected.length).toBeGreaterThanOrEqual(12);
  });

  it("reports a file deleted in history at its code span, with the rule's ref", () => {
    const { finding, line, column } = at(result.findings, "CLAUDE.md", "`scripts/seed.sh`");
    expect(finding).toMatchObject({
      severity: "error",
      mention: "scripts/seed.sh",
      message: expect.stringMatching(/^`scripts\/seed\.sh` does not exist: it was tracked at [0-9a-f]{7}, when this rule was written; [0-9a-f]{7} (?:removed|deleted) it$/),
      item: "CLAUDE.md#layout",
      line,
      column,
      endColumn: column + "`scripts/seed.sh`".length,
    });
  });

  it("words findings by what is missing: directory, glob, import", () => {
    expect(at(result.findings, "CLAUDE.md", "`lib/old/`").finding.message).toContain("directory `lib/old/` does not exist");
    expect(at(result.findings, "CLAUDE.md", "`src/**/*.spec.ts`").finding.message).toContain("glob `src/**/*.spec.ts` matches no file");
    const imported = at(result.findings, "CLAUDE.md", "@docs/missing.md");
    expect(imported.finding.message).toContain("imported file `docs/missing.md` does not exist");
    expect(imported.finding.column).toBe(imported.column);
    expect(imported.finding.item).toBeUndefined(); // the preamble is not an item
  });

  it("reports a missing link target as written", () => {
    const { finding } = at(result.findings, "CLAUDE.md", "[setup](./docs/gone.md)");
    expect(finding.mention).toBe("./docs/gone.md");
    expect(finding.message).toMatch(/^`\.\/docs\/gone\.md` does not exist: it was tracked at [0-9a-f]{7}, when this rule was written; [0-9a-f]{7} (?:removed|deleted) it$/);
  });

  it("resolves names under a heading folder and a list folder, and reports them as written", () => {
    expect(at(result.findings, "CLAUDE.md", "`components/Toolbar.tsx`").finding.item).toBe("CLAUDE.md#frontend-webapp");
    expect(at(result.findings, "CLAUDE.md", "`engine/missing.ts`").finding.mention).toBe("engine/missing.ts");
  });

  it("resolves a nested harness file's paths against its own folder", () => {
    const { finding } = at(result.findings, "web/CLAUDE.md", "`app/styles.css`");
    expect(finding.item).toBe("web/CLAUDE.md#entry");
    expect(at(result.findings, "web/CLAUDE.md", "../docs/old-notes.md").finding.mention).toBe("../docs/old-notes.md");
  });

  it("reads a tree drawn in a table column", () => {
    expect(at(result.findings, "CLAUDE.md", "`│ └─vanished/`").finding.message).toContain("directory `vanished/` does not exist");
  });

  it("never reports routes, packages, placeholders, output, plans or branches", () => {
    const mentions = new Set(result.findings.map((f) => f.mention));
    for (const path of [
      "/ws",
      "roots/list",
      "lodash/fp",
      "core-internal/public",
      "dist/index.js",
      "memory/YYYY-MM-DD.md",
      "build-js/",
      "claude/",
      "plans/",
      "src/metadata.ts",
      "src/workflows/",
      "src/billing/v2.ts",
      "config/secrets.json",
      "src/helpers/",
      "source/",
      "src/new-thing.ts",
      "src/widgets/button.ts",
    ]) {
      expect(mentions.has(path), path).toBe(false);
    }
  });

  it("reads drawn trees and fenced commands when symbols.fenced is on", async () => {
    const tree = await runScenario("checks/stale-path-tree");
    expect(tree.actual).toEqual(tree.expected);
    const nested = at(tree.findings, "CLAUDE.md", "old-lint.ts", "checks/stale-path-tree");
    // A name in a tree is reported with the folders above it.
    expect(nested.finding.mention).toBe("src/engine/old-lint.ts");
    expect(nested.finding.column).toBe(nested.column);
  }, 60_000);

  it("checks the scripts hook commands run, literally", async () => {
    const hooks = await runScenario("checks/stale-path-hooks");
    expect(hooks.actual).toEqual(hooks.expected);
    const byMention = new Map(hooks.findings.map((f) => [f.mention, f]));
    expect(byMention.get("scripts/old-guard.py")).toMatchObject({
      item: ".claude/settings.json#PreToolUse:Bash",
      message: expect.stringMatching(/^hook runs `scripts\/old-guard\.py`, which does not exist: it was tracked at [0-9a-f]{7}/),
    });
    // Run as a program without the executable bit; the executable `scripts/ok.sh` stays quiet.
    expect(byMention.get("tools/lint.sh")).toMatchObject({ item: ".husky/pre-commit", message: "hook runs `tools/lint.sh` directly, but it is not executable" });
    expect(byMention.has("scripts/ok.sh")).toBe(false);
    // `./lint.sh` runs in the repository root: `tools/lint.sh` elsewhere does not make it exist.
    expect(byMention.get("lint.sh")?.file).toBe(".husky/pre-commit");
  }, 60_000);

  it("skips paths, folders and globs that .gitignore covers", async () => {
    const { expected, actual, findings } = await runScenario("checks/stale-path-gitignored");
    expect(actual).toEqual(expected);
    expect(findings.map((f) => f.mention).sort()).toEqual(["config/defaults.json", "reports/*.csv"]);
  }, 60_000);
});
