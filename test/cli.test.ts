import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, commitWithFormerNames, git, initRepo, removeRepo } from "../fixtures/lib/build-repo.mjs";
import { lintJson, REPO_ROOT, runCli } from "./helpers/cli.js";

const repos: string[] = [];
afterEach(() => {
  for (const dir of repos.splice(0)) removeRepo(dir);
});

function repo(files: Record<string, string>): string {
  const dir: string = initRepo();
  repos.push(dir);
  commitWithFormerNames(dir, files);
  return dir;
}

const CLEAN = {
  "src/a.ts": "export class AccountImporter {}\n",
  "CLAUDE.md": "## Imports\n<!-- scope: src/** -->\nUse `AccountImporter`.\n",
  "docs/postmortems/pm.md":
    "---\ndate: 2026-11-01\nchanges: [CLAUDE.md#imports]\n---\n# PM\n## What happened\n## What the agent was working from\n## Where the layers failed\n## What changes\n## What we are not doing\n",
};

describe("exit codes", () => {
  it("exits 0 with no output on a clean harness", () => {
    const dir = repo(CLEAN);
    const run = runCli([], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
  });

  it("exits 1 when there are errors", () => {
    const dir = repo({ ...CLEAN, "CLAUDE.md": "## Imports\n<!-- scope: src/** -->\nUse `UserImporter`.\n" });
    const run = runCli([], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("CLAUDE.md:3:5");
    expect(run.stdout).toContain("stale-symbol");
    expect(run.stdout).toMatch(/1 problem \(1 error, 0 warnings\)/);
  });

  it("exits 0 with warnings only, and 1 when warnings exceed --max-warnings", () => {
    const dir = repo({ ...CLEAN, "CLAUDE.md": "## Imports\nUse `AccountImporter`.\n" });
    expect(runCli([], dir).code).toBe(0);
    expect(runCli(["--max-warnings", "5"], dir).code).toBe(0);
    const over = runCli(["--max-warnings", "0"], dir);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain("--max-warnings");
  });

  it("--quiet drops warnings from the report", () => {
    const dir = repo({ ...CLEAN, "CLAUDE.md": "## Imports\nUse `UserImporter`.\n" });
    const { report } = lintJson(dir, ["--quiet"]);
    expect(report.findings.map((f) => f.severity)).toEqual(["error"]);
  });

  it.each([
    [["--format", "xml"], /Unknown format "xml"/],
    [["--bogus"], /bogus/],
    [["--max-warnings", "many"], /--max-warnings/],
    [["--since", "HEAD~1"], /--since goes with --drift/],
    [["--fix", "--fix-dry-run"], /not both/],
    [["explain", "no-such-check"], /Unknown check "no-such-check"/],
  ])("exits 2 with one line for %j", (args, pattern) => {
    const dir = repo(CLEAN);
    const run = runCli(args, dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("a broken config is exit 2 naming the file and key, never a stack trace", () => {
    const dir = repo({ ...CLEAN, ".harnessrc.yml": "checks:\n  stale-symbl: error\n" });
    const run = runCli([], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(".harnessrc.yml");
    expect(run.stderr).toContain("stale-symbl");
    expect(run.stderr).toContain('Did you mean "stale-symbol"');
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("config turns a check off and changes a severity", () => {
    const dir = repo({
      ...CLEAN,
      "CLAUDE.md": "## Imports\nUse `UserImporter`.\n",
      ".harnessrc.yml": "checks:\n  stale-symbol: warn\n  unscoped-rule: off\n  uncited-rule: off\n",
    });
    const { code, report } = lintJson(dir);
    expect(code).toBe(0);
    expect(report.findings.map((f) => `${f.check}:${f.severity}`)).toEqual(["stale-symbol:warn"]);
  });
});

describe("json output", () => {
  it("has exactly the contract's shape", () => {
    const dir = repo({ ...CLAUDE_WITH_STALE(), "docs/postmortems/pm.md": CLEAN["docs/postmortems/pm.md"] });
    const { report } = lintJson(dir);
    expect(Object.keys(report)).toEqual(["version", "root", "summary", "findings"]);
    expect(report.version).toBe(1);
    expect(report.root).toBe(git(dir, ["rev-parse", "--show-toplevel"]).trim());
    expect(Object.keys(report.summary)).toEqual(["errors", "warnings", "items", "postmortems", "files"]);
    expect(report.summary).toMatchObject({ items: 1, postmortems: 1, files: 2 });
    const stale = report.findings.find((f) => f.check === "stale-symbol")!;
    expect(stale).toEqual({
      check: "stale-symbol",
      severity: "error",
      file: "CLAUDE.md",
      line: 3,
      column: 5,
      endLine: 3,
      endColumn: 19,
      message: expect.stringMatching(
        /^`UserImporter` no longer exists in the codebase: it was in `src\/__former__\.ts` at [0-9a-f]{7}, when this rule was written; [0-9a-f]{7} (?:removed|deleted) it$/,
      ),
      item: "CLAUDE.md#imports",
      mention: "UserImporter",
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
  });

  it("lints from a subdirectory and with --cwd, reporting paths from the repo root", () => {
    const dir = repo(CLAUDE_WITH_STALE());
    mkdirSync(join(dir, "src", "deep"), { recursive: true });
    const fromSub = lintJson(join(dir, "src"));
    const viaCwd = lintJson(tmpdir(), ["--cwd", join(dir, "src")]);
    expect(fromSub.report.findings.map((f) => f.file)).toContain("CLAUDE.md");
    expect(viaCwd.report.findings).toEqual(fromSub.report.findings);
  });
});

function CLAUDE_WITH_STALE(): Record<string, string> {
  return { "src/a.ts": CLEAN["src/a.ts"], "CLAUDE.md": "## Imports\n<!-- scope: src/** -->\nUse `UserImporter`.\n" };
}

describe("the bundle", () => {
  // src/cli.ts loads dist/bundle/main.js when the build made it (a build with dev dependencies, as
  // this one), else dist/src/main.js: both must be the same program, down to the byte of output
  // and the paths the fingerprints and the harness parser read from their own files.
  it("is what the bin runs here, and answers as the modules do", () => {
    expect(existsSync(join(REPO_ROOT, "dist", "bundle", "main.js"))).toBe(true);
    const dir = repo({ ...CLAUDE_WITH_STALE(), "docs/postmortems/pm.md": CLEAN["docs/postmortems/pm.md"] });
    const modules = spawnSync(process.execPath, [join(REPO_ROOT, "dist", "src", "main.js"), "--format", "json", "--no-cache"], { cwd: dir, encoding: "utf8" });
    const bundled = runCli(["--format", "json", "--no-cache"], dir);
    expect(modules.status).toBe(1);
    expect({ code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual({ code: modules.status, stdout: modules.stdout, stderr: modules.stderr });
    expect(JSON.parse(bundled.stdout).findings.map((f: { check: string }) => f.check)).toContain("stale-symbol");
  });
});

describe("files", () => {
  it("never writes to the linted tree", () => {
    const dir = repo({ ...CLAUDE_WITH_STALE(), "CLAUDE.md": "## A\n`Gone` `gone/x.ts`\n" });
    runCli([], dir);
    runCli(["--format", "sarif"], dir);
    expect(git(dir, ["status", "--porcelain", "--ignored"])).toBe("");
  });

  it("--output-file writes the report and prints nothing", () => {
    const dir = repo(CLAUDE_WITH_STALE());
    const out = join(mkdtempSync(join(tmpdir(), "hl-out-")), "report.json");
    const run = runCli(["--format", "json", "--output-file", out], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(JSON.parse(readFileSync(out, "utf8")).findings.length).toBeGreaterThan(0);
    rmSync(join(out, ".."), { recursive: true });
  });

  it("--write-baseline then --baseline reports only new findings, matched regardless of line", () => {
    const dir = repo(CLAUDE_WITH_STALE());
    const baseline = join(mkdtempSync(join(tmpdir(), "hl-base-")), "baseline.json");
    expect(runCli(["--write-baseline", baseline], dir).code).toBe(1);
    expect(existsSync(baseline)).toBe(true);
    // The old finding moves down two lines; a new stale name appears (one the last commit had).
    writeFileSync(join(dir, "src/order.ts"), "export class OrderImporter {}\n");
    commitStep(dir, { message: "order importer", write: {} }, 2);
    rmSync(join(dir, "src/order.ts"));
    writeFileSync(join(dir, "CLAUDE.md"), "## Imports\n<!-- scope: src/** -->\n\nIntro.\n\nUse `UserImporter` and `OrderImporter`.\n");
    const { report } = lintJson(dir, ["--baseline", baseline]);
    expect(report.findings.map((f) => f.mention)).toEqual(["OrderImporter"]);
    rmSync(join(baseline, ".."), { recursive: true });
  });
});

describe("outside git", () => {
  it("falls back to the file system and still lints", () => {
    const dir = mkdtempSync(join(tmpdir(), "hl-nogit-"));
    repos.push(dir);
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "a.ts"), "export const realName = 1;\n");
    writeFileSync(join(dir, "CLAUDE.md"), "## A\n<!-- scope: global -->\nUse `realName` with `goneName`.\n");
    const { report } = lintJson(dir);
    expect(report.findings.filter((f) => f.check === "stale-symbol").map((f) => f.mention)).toEqual(["goneName"]);
  });
});

describe("explain", () => {
  it("prints the check's page", () => {
    const dir = repo(CLEAN);
    const run = runCli(["explain", "dead-scope"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# dead-scope/);
    expect(run.stdout).toContain("How to fix");
  });
});
