import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, git, initRepo, removeRepo } from "../fixtures/lib/build-repo.mjs";
import { lintJson, runCli, type JsonFinding } from "./helpers/cli.js";

// `--staged` lints the index (what the commit records) and reports what the commit does: the
// findings in the harness files it changes, and mentions anywhere that it breaks.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

const SLOW = { timeout: 120_000 };

const PM =
  "---\ndate: 2026-11-01\nchanges: [CLAUDE.md#imports]\n---\n# PM\n## What happened\n## What the agent was working from\n## Where the layers failed\n## What changes\n## What we are not doing\n";

const CLAUDE = ["## Imports", "<!-- scope: src/** -->", "Use `importRows` from `src/import/rows.ts`; money goes through `formatCents`.", "An old rule still names `legacyImporter`.", ""].join("\n");

const FILES: Record<string, string> = {
  "CLAUDE.md": CLAUDE,
  "docs/postmortems/pm-1.md": PM,
  "src/import/rows.ts": "export function importRows(): void {}\n",
  "src/lib/money.ts": "// helpers\nexport const formatCents = (n: number) => `${n}`;\nexport const roundCents = Math.round;\n",
};

function repo(files: Record<string, string> = FILES): string {
  const dir: string = initRepo("hl-staged-");
  dirs.push(dir);
  // The names the rules call stale were in the code once, so they are stale by history.
  commitStep(dir, { message: "initial", write: { ...files, "src/former.ts": "export const legacyImporter = 1;\n" } });
  commitStep(dir, { message: "remove old code", remove: ["src/former.ts"] }, 1);
  return dir;
}

function staged(dir: string, args: string[] = []): { code: number; findings: JsonFinding[] } {
  const { code, report } = lintJson(dir, ["--staged", ...args]);
  return { code, findings: report.findings };
}

function brief(findings: JsonFinding[]): string[] {
  return findings.map((f) => `${f.check} ${f.file}:${f.line} ${f.mention ?? ""}`.trim()).sort();
}

describe("--staged judges the index, not the work tree", SLOW, () => {
  it("reports nothing when nothing is staged, though a full run finds an old stale name", () => {
    const dir = repo();
    expect(brief(lintJson(dir).report.findings)).toEqual(["stale-symbol CLAUDE.md:4 legacyImporter"]);
    expect(staged(dir)).toEqual({ code: 0, findings: [] });
  });

  it("reports a staged rule change that the work tree has already reverted", () => {
    const dir = repo();
    // `formatCentz` was never a name here: not stale, but one letter from `formatCents` (unknown-name).
    writeFileSync(join(dir, "CLAUDE.md"), CLAUDE.replace("`formatCents`", "`formatCentz`"));
    git(dir, ["add", "CLAUDE.md"]);
    writeFileSync(join(dir, "CLAUDE.md"), CLAUDE);
    const run = staged(dir);
    expect(run.code).toBe(1);
    // The staged rule's own findings, old ones included: the commit touches that rule.
    expect(brief(run.findings)).toEqual(["stale-symbol CLAUDE.md:4 legacyImporter", "unknown-name CLAUDE.md:3 formatCentz"]);
    expect(brief(lintJson(dir).report.findings)).not.toContain("unknown-name CLAUDE.md:3 formatCentz");
  });

  it("ignores a broken rule change that is only in the work tree", () => {
    const dir = repo();
    writeFileSync(join(dir, "CLAUDE.md"), CLAUDE.replace("`formatCents`", "`formatCentz`"));
    expect(brief(lintJson(dir).report.findings)).toContain("unknown-name CLAUDE.md:3 formatCentz");
    expect(staged(dir)).toEqual({ code: 0, findings: [] });
  });

  it("reads staged code, not the work tree's: a rename staged and undone on disk still breaks", () => {
    const dir = repo();
    writeFileSync(join(dir, "src/import/rows.ts"), "export function loadRows(): void {}\n");
    git(dir, ["add", "-A"]);
    writeFileSync(join(dir, "src/import/rows.ts"), FILES["src/import/rows.ts"]!);
    expect(brief(staged(dir).findings)).toEqual(["stale-symbol CLAUDE.md:3 importRows"]);
    expect(brief(lintJson(dir).report.findings)).not.toContain("stale-symbol CLAUDE.md:3 importRows");
    // And the other way round: broken on disk, intact in the index.
    git(dir, ["add", "-A"]);
    writeFileSync(join(dir, "src/import/rows.ts"), "export function loadRows(): void {}\n");
    expect(staged(dir)).toEqual({ code: 0, findings: [] });
  });
});

describe("--staged reports mentions the commit breaks", SLOW, () => {
  it("a renamed symbol, with a message that says the commit removes it", () => {
    const dir = repo();
    writeFileSync(join(dir, "src/import/rows.ts"), "export function loadRows(): void {}\n");
    git(dir, ["add", "-A"]);
    const run = staged(dir);
    expect(run.code).toBe(1);
    expect(brief(run.findings)).toEqual(["stale-symbol CLAUDE.md:3 importRows"]);
    // The staged diff shows what took its place: the finding names it, and carries the fix.
    expect(run.findings[0]!.message).toBe("this commit renames `importRows` to `loadRows`, and CLAUDE.md:3 still names the old name");
    expect(run.findings[0]!.suggestion).toEqual({ replacement: "loadRows" });
  });

  it("a moved file, with the new path as the suggestion", () => {
    const dir = repo();
    git(dir, ["mv", "src/import/rows.ts", "src/import/row-reader.ts"]);
    const run = staged(dir);
    expect(brief(run.findings)).toEqual(["stale-path CLAUDE.md:3 src/import/rows.ts"]);
    expect(run.findings[0]!.message).toContain("renames `src/import/rows.ts` to `src/import/row-reader.ts`");
    expect(run.findings[0]!.suggestion).toEqual({ replacement: "src/import/row-reader.ts" });
  });

  it("a deleted file takes both its path and its names", () => {
    const dir = repo();
    git(dir, ["rm", "-q", "src/import/rows.ts"]);
    expect(brief(staged(dir).findings)).toEqual(["stale-path CLAUDE.md:3 src/import/rows.ts", "stale-symbol CLAUDE.md:3 importRows"]);
  });

  it("a removed line elsewhere in a file that keeps the name breaks nothing", () => {
    const dir = repo();
    writeFileSync(join(dir, "src/lib/money.ts"), "export const formatCents = (n: number) => `${n}`;\n");
    git(dir, ["add", "-A"]);
    expect(staged(dir)).toEqual({ code: 0, findings: [] });
  });

  it("a name that moves to another file in the same commit breaks nothing", () => {
    const dir = repo();
    writeFileSync(join(dir, "src/import/rows.ts"), "export {};\n");
    writeFileSync(join(dir, "src/import/load.ts"), "export function importRows(): void {}\n");
    git(dir, ["add", "-A"]);
    expect(staged(dir)).toEqual({ code: 0, findings: [] });
  });

  it("does not report an old stale mention, even when the commit edits the code around it", () => {
    const dir = repo({ ...FILES, "src/legacy.ts": "// legacyImporter was removed long ago\nexport const kept = 1;\n" });
    writeFileSync(join(dir, "src/legacy.ts"), "export const kept = 2;\n");
    writeFileSync(join(dir, "src/lib/money.ts"), "export const formatCents = (n: number) => `${n}c`;\n");
    git(dir, ["add", "-A"]);
    expect(staged(dir)).toEqual({ code: 0, findings: [] });
  });

  it("does not report a break that is only in the work tree", () => {
    const dir = repo();
    writeFileSync(join(dir, "src/import/rows.ts"), "export function loadRows(): void {}\n");
    expect(brief(lintJson(dir).report.findings)).toContain("stale-symbol CLAUDE.md:3 importRows");
    expect(staged(dir)).toEqual({ code: 0, findings: [] });
  });

  it("a hook script that loses its executable bit", () => {
    const dir = repo({ ...FILES, ".husky/pre-commit": "#!/bin/sh\n./scripts/check.sh\n", "scripts/check.sh": "#!/bin/sh\necho ok\n" });
    git(dir, ["update-index", "--chmod=+x", "scripts/check.sh"]);
    git(dir, ["commit", "-q", "-m", "executable"]);
    expect(staged(dir)).toEqual({ code: 0, findings: [] });
    git(dir, ["update-index", "--chmod=-x", "scripts/check.sh"]);
    const run = staged(dir);
    expect(brief(run.findings)).toEqual(["stale-path .husky/pre-commit:2 scripts/check.sh"]);
    expect(run.findings[0]!.message).toContain("removes the executable bit");
  });

  it("an old finding that is not about existence (a script never executable) is not the commit's", () => {
    const dir = repo({ ...FILES, ".husky/pre-commit": "#!/bin/sh\n./scripts/check.sh\n", "scripts/check.sh": "#!/bin/sh\necho ok\n" });
    expect(brief(lintJson(dir).report.findings)).toContain("stale-path .husky/pre-commit:2 scripts/check.sh");
    writeFileSync(join(dir, "scripts/check.sh"), "#!/bin/sh\necho changed\n");
    git(dir, ["add", "-A"]);
    expect(staged(dir)).toEqual({ code: 0, findings: [] });
  });

  it("a broken mention in a hook command", () => {
    const dir = repo({
      ...FILES,
      ".husky/pre-commit": "#!/bin/sh\n./scripts/check.sh\n",
      "scripts/check.sh": "#!/bin/sh\necho ok\n",
    });
    git(dir, ["rm", "-q", "scripts/check.sh"]);
    expect(brief(staged(dir).findings)).toEqual(["stale-path .husky/pre-commit:2 scripts/check.sh"]);
  });
});

describe("--staged reports the staged harness files' own findings", SLOW, () => {
  it("a new rule file: its stale names, its missing scope and its missing citation", () => {
    const dir = repo();
    // A new rule: a name history never had is at most a typo warning (`rondCents`); `legacyImporter`
    // was in the code (the first commit) but not when this rule is written, so history as read
    // (the commits that wrote the line, and HEAD) has no evidence: not reported.
    writeFileSync(join(dir, "AGENTS.md"), "## Money\nRound with `roundCents` or `rondCents`; `legacyImporter` is gone.\n");
    git(dir, ["add", "AGENTS.md"]);
    const run = staged(dir);
    expect(run.code).toBe(0);
    expect(run.findings.every((f) => f.file === "AGENTS.md")).toBe(true);
    expect(run.findings.map((f) => f.check).sort()).toEqual(["uncited-rule", "unknown-name", "unscoped-rule"]);
    // An untracked rule file is not part of the commit.
    writeFileSync(join(dir, "GEMINI.md"), "## X\nUse `missingThing`.\n");
    expect(brief(staged(dir).findings).some((line) => line.includes("GEMINI.md"))).toBe(false);
  });

  it("a staged post-mortem that cites a rule that does not exist", () => {
    const dir = repo();
    writeFileSync(join(dir, "docs/postmortems/pm-2.md"), PM.replace("CLAUDE.md#imports", "CLAUDE.md#exports"));
    git(dir, ["add", "-A"]);
    const run = staged(dir);
    expect(run.findings.map((f) => `${f.check} ${f.file}`)).toEqual(["dangling-citation docs/postmortems/pm-2.md"]);
  });

  it("works before the first commit: every staged harness file is new", () => {
    const dir: string = initRepo("hl-staged-first-");
    dirs.push(dir);
    for (const [path, content] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    git(dir, ["add", "-A"]);
    const run = staged(dir);
    expect(run.code).toBe(1);
    expect(brief(run.findings)).toEqual(["stale-symbol CLAUDE.md:4 legacyImporter"]);
  });

  it("blocks only on findings the commit touches: an old finding in another rule of the file stays quiet, baseline or not", () => {
    const two = `${CLAUDE}\n## Money\n<!-- scope: src/** -->\nRound with \`formatCents\`.\n`;
    const dir = repo({ ...FILES, "CLAUDE.md": two });
    // legacyImporter (CLAUDE.md#imports) is an old error; the commit edits only #money.
    writeFileSync(join(dir, "CLAUDE.md"), two.replace("Round with", "Always round with"));
    git(dir, ["add", "CLAUDE.md"]);
    const run = staged(dir);
    expect(run.code).toBe(0);
    expect(brief(run.findings)).toEqual(["uncited-rule CLAUDE.md:6"]);
    // Editing the rule that holds it makes it the commit's again.
    writeFileSync(join(dir, "CLAUDE.md"), two.replace("An old rule", "An older rule"));
    git(dir, ["add", "CLAUDE.md"]);
    expect(brief(staged(dir).findings)).toEqual(["stale-symbol CLAUDE.md:4 legacyImporter"]);
  });

  it("honours --quiet and --max-warnings like a full run", () => {
    const dir = repo();
    writeFileSync(join(dir, "AGENTS.md"), "## Money\n<!-- scope: src/** -->\nUse `roundCents`.\n");
    git(dir, ["add", "AGENTS.md"]);
    expect(runCli(["--staged"], dir).code).toBe(0);
    expect(runCli(["--staged", "--max-warnings", "0"], dir).code).toBe(1);
    expect(staged(dir, ["--quiet"]).findings).toEqual([]);
  });
});

describe("--staged --fix: the fix where the problem is found", SLOW, () => {
  it("rewrites the rule to the name the staged diff shows and stages it; the dry run gives each fix as data", () => {
    const dir = repo();
    writeFileSync(join(dir, "src/import/rows.ts"), "export function loadRows(): void {}\n");
    git(dir, ["add", "-A"]);
    const preview = runCli(["--staged", "--fix-dry-run", "--format", "json"], dir);
    const fixes = (JSON.parse(preview.stdout) as { version: number; fixes: Array<Record<string, unknown>> }).fixes;
    expect(fixes.map((f) => [f.check, f.line, f.before, f.text, f.replacement])).toEqual([["stale-symbol", 3, "importRows", "loadRows", "loadRows"]]);
    const fixed = runCli(["--staged", "--fix"], dir);
    expect(fixed.stderr).toContain("fixed");
    const stagedText = git(dir, ["show", ":CLAUDE.md"]) as string;
    expect(stagedText).toContain("`loadRows`");
    expect(git(dir, ["diff", "--name-only"])).toBe("");
    expect(staged(dir).findings.filter((f) => f.check === "stale-symbol" && f.mention === "importRows")).toEqual([]);
  });

  it("refuses, in one line, when a rule file it would fix has unstaged edits", () => {
    const dir = repo();
    writeFileSync(join(dir, "src/import/rows.ts"), "export function loadRows(): void {}\n");
    git(dir, ["add", "-A"]);
    writeFileSync(join(dir, "CLAUDE.md"), `${CLAUDE}More text, not staged.\n`);
    const run = runCli(["--staged", "--fix"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("CLAUDE.md has unstaged changes");
    expect(git(dir, ["show", ":CLAUDE.md"])).toBe(CLAUDE);
  });
});

describe("--staged outside a repository", () => {
  it("exits 2 with one line", () => {
    const dir = mkdtempSync(join(tmpdir(), "hl-staged-nogit-"));
    dirs.push(dir);
    writeFileSync(join(dir, "CLAUDE.md"), "## A\nx\n");
    const run = runCli(["--staged"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("--staged");
  });
});
