import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, git, initRepo, removeRepo } from "../fixtures/lib/build-repo.mjs";
import { runCli, type JsonReport } from "./helpers/cli.js";

// The stored result of a whole run answers a run whose inputs did not change. It must never
// answer one whose inputs did: after each kind of change, the answer from the cache is compared
// with a run that ignores it, and with what the change should do to the findings.

const SLOW = { timeout: 600_000 };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

const CLAUDE = ["## Imports", "<!-- scope: src/** -->", "Use `importRows` from `src/import/rows.ts`, and `goneHelper` when it exists.", "Output goes to `docs/guide.md`.", ""].join("\n");

const SETTINGS = JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: ".claude/hooks/guard.sh" }] }] } }, null, 2);

function repo(): string {
  const dir: string = initRepo("hl-run-cache-");
  dirs.push(dir);
  commitStep(dir, {
    message: "initial",
    write: {
      "CLAUDE.md": CLAUDE,
      "src/import/rows.ts": "export function importRows(): void {}\n",
      ".claude/settings.json": SETTINGS,
      ".claude/hooks/guard.sh": "#!/bin/sh\nexit 0\n",
      // Were in the codebase when CLAUDE.md was written, so stale by history once removed. Python:
      // reading a removed TypeScript file from history loads the TypeScript compiler in every run
      // that is not answered from the store, and these tests are about the store, not history.
      "src/former.py": "goneHelper = 1\n",
      "docs/guide.md": "# Guide\n",
    },
  });
  commitStep(dir, { message: "remove old code", remove: ["src/former.py", "docs/guide.md"] }, 1);
  chmodSync(join(dir, ".claude/hooks/guard.sh"), 0o755);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "executable guard"]);
  return dir;
}

function report(dir: string, args: string[] = [], env: Record<string, string> = {}): JsonReport {
  const run = runCli(["--format", "json", ...args], dir, env);
  if (run.code === 2) throw new Error(`harness-lint exited 2: ${run.stderr}`);
  return JSON.parse(run.stdout) as JsonReport;
}

/**
 * A run that may answer from the stored result, checked against one that may not. A test's first
 * run in a fresh repository() stores a result with `report` alone: every repository() is the same
 * (files, dates, commits), and the first test compares that first run with one that ignores the
 * store.
 */
function lintBoth(dir: string, args: string[] = []): JsonReport {
  const cached = report(dir, args);
  expect(cached).toEqual(report(dir, args, { HARNESS_LINT_NO_RUN_CACHE: "1" }));
  return cached;
}

function mentions(result: JsonReport): string[] {
  return result.findings
    .filter((f) => f.check === "stale-symbol" || f.check === "stale-path")
    .map((f) => f.mention ?? "")
    .sort();
}

function runFile(dir: string): string {
  return join(dir, ".git", "harness-lint", "run-v1.json");
}

describe("run cache: a stored result answers only a run with the same inputs", SLOW, () => {
  it("answers an unchanged repository from the stored result, without writing", () => {
    const dir = repo();
    const first = lintBoth(dir);
    expect(mentions(first)).toEqual(["docs/guide.md", "goneHelper"]);
    expect(existsSync(runFile(dir))).toBe(true);
    const written = statSync(runFile(dir)).mtimeMs;
    expect(report(dir)).toEqual(first);
    expect(statSync(runFile(dir)).mtimeMs).toBe(written);
    // Stylish output and exit code come out of it the same way.
    const plain = runCli([], dir);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain("goneHelper");
    expect(plain.stdout).toBe(runCli([], dir, { HARNESS_LINT_NO_RUN_CACHE: "1" }).stdout);
  });

  it("follows edits to tracked files, staged or not, new untracked files and deletions", () => {
    const dir = repo();
    report(dir);
    writeFileSync(join(dir, "src/import/rows.ts"), "export function loadRows(): void {}\n");
    expect(mentions(lintBoth(dir))).toEqual(["docs/guide.md", "goneHelper", "importRows"]);
    git(dir, ["add", "-A"]);
    expect(mentions(lintBoth(dir))).toEqual(["docs/guide.md", "goneHelper", "importRows"]);
    writeFileSync(join(dir, "src/helpers.ts"), "export const goneHelper = 1;\n");
    expect(mentions(lintBoth(dir))).toEqual(["docs/guide.md", "importRows"]);
    writeFileSync(join(dir, "src/helpers.ts"), "export const otherHelper = 1;\n");
    expect(mentions(lintBoth(dir))).toEqual(["docs/guide.md", "goneHelper", "importRows"]);
    unlinkSync(join(dir, "src/helpers.ts"));
    git(dir, ["checkout", "-q", "HEAD", "--", "."]);
    expect(mentions(lintBoth(dir))).toEqual(["docs/guide.md", "goneHelper"]);
    rmSync(join(dir, "src/import/rows.ts"));
    expect(mentions(lintBoth(dir))).toEqual(["docs/guide.md", "goneHelper", "importRows", "src/import/rows.ts"]);
  });

  it("follows a hook script losing its executable bit", () => {
    const dir = repo();
    const hookFindings = (result: JsonReport) => result.findings.filter((f) => f.file === ".claude/settings.json" && f.check === "stale-path").length;
    expect(hookFindings(report(dir))).toBe(0);
    chmodSync(join(dir, ".claude/hooks/guard.sh"), 0o644);
    expect(hookFindings(lintBoth(dir))).toBe(1);
    chmodSync(join(dir, ".claude/hooks/guard.sh"), 0o755);
    expect(hookFindings(lintBoth(dir))).toBe(0);
  });

  it("follows .git/info/exclude, which decides whether a missing path is ignored output", () => {
    const dir = repo();
    expect(mentions(report(dir))).toContain("docs/guide.md");
    writeFileSync(join(dir, ".git", "info", "exclude"), "docs/\n");
    expect(mentions(lintBoth(dir))).not.toContain("docs/guide.md");
  });

  it("follows a configuration file git ignores, and one named with --config", () => {
    const dir = repo();
    writeFileSync(join(dir, ".git", "info", "exclude"), ".harnessrc.yml\n");
    expect(mentions(lintBoth(dir))).toContain("goneHelper");
    writeFileSync(join(dir, ".harnessrc.yml"), "symbols:\n  ignore: [goneHelper]\n");
    expect(mentions(lintBoth(dir))).not.toContain("goneHelper");
    writeFileSync(join(dir, ".harnessrc.yml"), "symbols:\n  ignore: []\n");
    expect(mentions(lintBoth(dir))).toContain("goneHelper");

    const outside = join(dir, ".git", "other-config.yml");
    writeFileSync(outside, "checks:\n  stale-path: off\n");
    expect(mentions(lintBoth(dir, ["--config", outside]))).toEqual(["goneHelper"]);
    writeFileSync(outside, "checks:\n  stale-path: error\n");
    expect(mentions(lintBoth(dir, ["--config", outside]))).toEqual(["docs/guide.md", "goneHelper"]);
  });

  it("follows the baseline file, named by --baseline or by the configuration", () => {
    const dir = repo();
    const baseline = join(dir, ".git", "baseline.json");
    runCli(["--write-baseline", baseline], dir);
    expect(report(dir, ["--baseline", baseline]).findings).toEqual([]);
    const all = lintBoth(dir);
    writeFileSync(baseline, JSON.stringify({ version: 1, entries: [] }));
    expect(lintBoth(dir, ["--baseline", baseline]).findings).toEqual(all.findings);

    // Named in the configuration: recorded by the run that read it, checked by the next.
    mkdirSync(join(dir, "config"), { recursive: true });
    const inRepo = join(dir, "config", "baseline.json");
    runCli(["--write-baseline", inRepo], dir);
    writeFileSync(join(dir, ".git", "info", "exclude"), "config/\n.harnessrc.yml\n");
    writeFileSync(join(dir, ".harnessrc.yml"), "baseline: config/baseline.json\n");
    expect(lintBoth(dir).findings).toEqual([]);
    writeFileSync(inRepo, JSON.stringify({ version: 1, entries: [] }));
    expect(lintBoth(dir).findings).toEqual(all.findings);
  });

  it("follows git configuration: core.hooksPath decides which files are hooks", () => {
    const dir = repo();
    commitStep(dir, { message: "hooks", write: { "tools/hooks/pre-commit": "#!/bin/sh\n./scripts/missing-check.sh\n" } }, 2);
    chmodSync(join(dir, "tools/hooks/pre-commit"), 0o755);
    const hookFile = (result: JsonReport) => result.findings.some((f) => f.file === "tools/hooks/pre-commit");
    expect(hookFile(lintBoth(dir))).toBe(false);
    git(dir, ["config", "core.hooksPath", "tools/hooks"]);
    expect(hookFile(lintBoth(dir))).toBe(true);
  });

  it("answers --drift from its own stored result, and follows HEAD: a commit that changes no file still changes history", () => {
    const dir = repo();
    const plain = report(dir);
    const drift = lintBoth(dir, ["--drift"]);
    expect(drift.findings.every((f) => f.check === "stale-symbol" || f.check === "stale-path")).toBe(true);
    const written = statSync(runFile(dir)).mtimeMs;
    expect(report(dir, ["--drift"])).toEqual(drift);
    expect(statSync(runFile(dir)).mtimeMs).toBe(written);
    expect(report(dir)).toEqual(plain);
    // Same files, another HEAD: the stored results are not used (the store is written again).
    git(dir, ["commit", "-q", "--allow-empty", "-m", "empty"]);
    expect(lintBoth(dir, ["--drift"])).toEqual(drift);
    expect(statSync(runFile(dir)).mtimeMs).not.toBe(written);
  });

  it("keeps one result per set of options, and ignores a damaged store", () => {
    const dir = repo();
    const plain = report(dir);
    const configured = join(dir, ".git", "quiet.yml");
    writeFileSync(configured, "checks:\n  stale-symbol: off\n");
    const other = lintBoth(dir, ["--config", configured]);
    expect(other.findings.length).toBeLessThan(plain.findings.length);
    expect(report(dir)).toEqual(plain);
    expect(report(dir, ["--config", configured])).toEqual(other);
    for (const garbage of ["{not json", "[]", JSON.stringify({ build: "x", runs: [{ variant: "y" }] })]) {
      writeFileSync(runFile(dir), garbage);
      expect(lintBoth(dir)).toEqual(plain);
      expect(() => JSON.parse(readFileSync(runFile(dir), "utf8"))).not.toThrow();
    }
  });
});
