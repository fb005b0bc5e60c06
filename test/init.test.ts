import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, git, initRepo, removeRepo } from "../fixtures/lib/build-repo.mjs";
import { extendHook, PRE_COMMIT_LINE } from "../src/commands/init.js";
import { runCli } from "./helpers/cli.js";

const repos: string[] = [];
afterEach(() => {
  for (const dir of repos.splice(0)) removeRepo(dir);
});

function repo(files: Record<string, string> = { "CLAUDE.md": "## A\nText.\n", ".cursor/rules/x.mdc": "---\nalwaysApply: true\n---\nX\n" }): string {
  const dir: string = initRepo();
  repos.push(dir);
  commitStep(dir, { message: "initial", write: files });
  return dir;
}

const isExecutable = (path: string) => (statSync(path).mode & 0o111) !== 0;

describe("init", () => {
  it("writes .harnessrc.yml listing the harness files found, and the post-mortem template", () => {
    const dir = repo();
    const run = runCli(["init"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("created .harnessrc.yml (2 harness files found)");
    const config = readFileSync(join(dir, ".harnessrc.yml"), "utf8");
    expect(config).toContain("#   CLAUDE.md");
    expect(config).toContain("#   .cursor/rules/x.mdc");
    const template = readFileSync(join(dir, "docs/postmortems/TEMPLATE.md"), "utf8");
    for (const section of ["## What happened", "## What the agent was working from", "## Where the layers failed", "## What changes", "## What we are not doing"]) {
      expect(template).toContain(section);
    }
    // The written config is valid: a lint run with it does not exit 2.
    expect(runCli([], dir).code).not.toBe(2);
  });

  it("never overwrites", () => {
    const dir = repo({ ".harnessrc.json": "{}\n", "docs/postmortems/TEMPLATE.md": "mine\n" });
    const run = runCli(["init"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("kept .harnessrc.json");
    expect(existsSync(join(dir, ".harnessrc.yml"))).toBe(false);
    expect(readFileSync(join(dir, "docs/postmortems/TEMPLATE.md"), "utf8")).toBe("mine\n");
  });

  it("--hooks installs executable hooks in .git/hooks", () => {
    const dir = repo();
    expect(runCli(["init", "--hooks"], dir).code).toBe(0);
    const preCommit = join(dir, ".git/hooks/pre-commit");
    const commitMsg = join(dir, ".git/hooks/commit-msg");
    expect(readFileSync(preCommit, "utf8")).toBe("#!/bin/sh\nnpx --no-install harness-lint --staged\n");
    expect(readFileSync(commitMsg, "utf8")).toContain('harness-lint commit-msg "$1"');
    expect(isExecutable(preCommit) && isExecutable(commitMsg)).toBe(true);
  });

  it("--hooks extends an existing hook, keeping its lines, and is idempotent", () => {
    const dir = repo();
    const hook = join(dir, ".git/hooks/pre-commit");
    writeFileSync(hook, "#!/bin/sh\nnpm run lint", { mode: 0o755 });
    expect(runCli(["init", "--hooks"], dir).stdout).toContain("extended .git/hooks/pre-commit");
    const extended = readFileSync(hook, "utf8");
    expect(extended.startsWith("#!/bin/sh\nnpm run lint\n")).toBe(true);
    expect(extended.endsWith("\n[ $? -eq 0 ] || exit 1\nnpx --no-install harness-lint --staged\n")).toBe(true);
    expect(runCli(["init", "--hooks"], dir).stdout).toContain("kept .git/hooks/pre-commit");
    expect(readFileSync(hook, "utf8")).toBe(extended);
  });

  it("--hooks keeps an extended hook's verdict: its old failure still refuses, a trailing exit 0 does not pass harness-lint's refusal", () => {
    const dir = repo();
    const hook = join(dir, ".git/hooks/pre-commit");
    // A stand-in for npx (harness-lint's verdict is $HARNESS), so the hook runs without a package.
    const bin = mkdtempSync(join(tmpdir(), "hl-fake-npx-"));
    repos.push(bin);
    writeFileSync(join(bin, "npx"), '#!/bin/sh\nexit "$HARNESS"\n', { mode: 0o755 });
    const runHook = (harness: number) => spawnSync("sh", [hook], { cwd: dir, env: { PATH: `${bin}:/usr/bin:/bin`, HARNESS: String(harness) } }).status;

    writeFileSync(hook, "#!/bin/sh\necho checking\nfalse\n", { mode: 0o755 });
    runCli(["init", "--hooks"], dir);
    expect(runHook(0)).not.toBe(0); // the old last line failed: still refused
    expect(runHook(1)).not.toBe(0);

    writeFileSync(hook, "#!/bin/sh\ntrue\nexit 0\n\n# end\n", { mode: 0o755 });
    runCli(["init", "--hooks"], dir);
    expect(readFileSync(hook, "utf8")).toMatch(/harness-lint --staged \|\| exit 1\nexit 0\n\n# end\n$/);
    expect(runHook(1)).not.toBe(0); // harness-lint refuses before the old `exit 0`
    expect(runHook(0)).toBe(0);
  });

  it("extendHook: husky hooks (run with sh -e) get the plain line; exit and exec stay last", () => {
    expect(extendHook("npm test", PRE_COMMIT_LINE, true)).toBe(`npm test\n${PRE_COMMIT_LINE}\n`);
    expect(extendHook("npm test\nexit 0\n", PRE_COMMIT_LINE, true)).toBe(`npm test\n${PRE_COMMIT_LINE}\nexit 0\n`);
    const execd = extendHook('#!/bin/sh\nexec lint-staged "$@"\n', PRE_COMMIT_LINE, false);
    expect(execd.split("\n").slice(-3)).toEqual([`${PRE_COMMIT_LINE} || exit 1`, 'exec lint-staged "$@"', ""]);
    expect(execd.startsWith("#!/bin/sh\n")).toBe(true);
  });

  it("--hooks leaves hooks generated by lefthook or the pre-commit framework, and non-shell hooks, alone", () => {
    const dir = repo();
    const preCommit = join(dir, ".git/hooks/pre-commit");
    const commitMsg = join(dir, ".git/hooks/commit-msg");
    const lefthook = '#!/bin/sh\ncall_lefthook()\n{\n  lefthook "$@"\n}\ncall_lefthook run "pre-commit" "$@"\n';
    const framework = "#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\nexec pre-commit hook-impl --hook-type=commit-msg\n";
    writeFileSync(preCommit, lefthook, { mode: 0o755 });
    writeFileSync(commitMsg, framework, { mode: 0o755 });
    const run = runCli(["init", "--hooks"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/skipped \.git\/hooks\/pre-commit \(.*lefthook\.yml/);
    expect(run.stdout).toMatch(/skipped \.git\/hooks\/commit-msg \(.*\.pre-commit-config\.yaml/);
    expect(readFileSync(preCommit, "utf8")).toBe(lefthook);
    expect(readFileSync(commitMsg, "utf8")).toBe(framework);

    const python = "#!/usr/bin/env python3\nprint('hi')\n";
    writeFileSync(preCommit, python, { mode: 0o755 });
    expect(runCli(["init", "--hooks"], dir).stdout).toMatch(/skipped \.git\/hooks\/pre-commit \(not a shell script/);
    expect(readFileSync(preCommit, "utf8")).toBe(python);
  });

  it("--hooks honours core.hooksPath", () => {
    const dir = repo();
    git(dir, ["config", "core.hooksPath", "tools/hooks"]);
    runCli(["init", "--hooks"], dir);
    expect(readFileSync(join(dir, "tools/hooks/pre-commit"), "utf8")).toContain("harness-lint --staged");
    expect(existsSync(join(dir, ".git/hooks/pre-commit"))).toBe(false);
  });

  it("--hooks writes into .husky/ when husky is set up, keeping an existing hook's lines", () => {
    const dir = repo();
    mkdirSync(join(dir, ".husky/_"), { recursive: true });
    writeFileSync(join(dir, ".husky/pre-commit"), "npm test\n");
    git(dir, ["config", "core.hooksPath", ".husky/_"]);
    runCli(["init", "--hooks"], dir);
    expect(readFileSync(join(dir, ".husky/pre-commit"), "utf8")).toBe("npm test\nnpx --no-install harness-lint --staged\n");
    // husky hooks carry no shebang: husky runs them with sh.
    expect(readFileSync(join(dir, ".husky/commit-msg"), "utf8")).toBe('npx --no-install harness-lint commit-msg "$1"\n');
    expect(existsSync(join(dir, ".husky/_/pre-commit"))).toBe(false);
  });

  it("--hooks finds husky's folder when it is not .husky (`husky .config/husky`)", () => {
    const dir = repo();
    mkdirSync(join(dir, ".config/husky/_"), { recursive: true });
    // husky 9's runner and its per-hook stubs, which it rewrites on every install.
    writeFileSync(join(dir, ".config/husky/_/h"), "#!/usr/bin/env sh\n");
    writeFileSync(join(dir, ".config/husky/_/pre-commit"), '#!/usr/bin/env sh\n. "$(dirname "$0")/h"', { mode: 0o755 });
    git(dir, ["config", "core.hooksPath", ".config/husky/_"]);
    const run = runCli(["init", "--hooks"], dir);
    expect(run.stdout).toContain("created .config/husky/pre-commit");
    expect(readFileSync(join(dir, ".config/husky/pre-commit"), "utf8")).toBe("npx --no-install harness-lint --staged\n");
    expect(readFileSync(join(dir, ".config/husky/_/pre-commit"), "utf8")).not.toContain("harness-lint");
  });

  it("write failures are one line and exit 2, naming the file", () => {
    const hookIsFolder = repo();
    mkdirSync(join(hookIsFolder, ".git/hooks/pre-commit"), { recursive: true });
    const hooks = runCli(["init", "--hooks"], hookIsFolder);
    expect(hooks.code).toBe(2);
    expect(hooks.stderr).toMatch(/^harness-lint: cannot read \.git\/hooks\/pre-commit: .*EISDIR.*\n$/);

    const folderIsFile = repo({ "docs/postmortems": "not a folder\n" });
    const template = runCli(["init"], folderIsFile);
    expect(template.code).toBe(2);
    expect(template.stderr).toMatch(/^harness-lint: cannot write docs\/postmortems\/TEMPLATE\.md: .*\n$/);
    expect(template.stderr).not.toContain("internal error");
  });

  it("refuses a --cwd that does not exist, creating nothing", () => {
    const dir = repo();
    const run = runCli(["init", "--cwd", "no/such/dir"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no/such/dir");
    expect(existsSync(join(dir, "no"))).toBe(false);
  });

  it("--hooks outside git: exit 2 before writing anything", () => {
    const dir = mkdtempSync(join(tmpdir(), "hl-init-nogit-"));
    repos.push(dir);
    const run = runCli(["init", "--hooks"], dir, { GIT_CEILING_DIRECTORIES: tmpdir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("not a git repository");
    expect(existsSync(join(dir, ".harnessrc.yml"))).toBe(false);
    expect(existsSync(join(dir, "docs"))).toBe(false);
  });
});

describe("postmortem new", () => {
  it("creates a dated file from the template with an id made of its date and title", () => {
    const dir = repo();
    runCli(["init"], dir);
    const first = runCli(["postmortem", "new", "Refactor rewrote the import flow"], dir);
    expect(first.code).toBe(0);
    const path = /created (\S+)/.exec(first.stdout)![1]!;
    expect(path).toMatch(/^docs\/postmortems\/\d{4}-\d{2}-\d{2}-refactor-rewrote-the-import-flow\.md$/);
    const text = readFileSync(join(dir, path), "utf8");
    const date = /^date: (\S+)$/m.exec(text)![1]!;
    expect(text).toContain(`id: PM-${date}-refactor-rewrote-the-import-flow`);
    expect(text).toMatch(/^date: \d{4}-\d{2}-\d{2}$/m);
    expect(text).toContain("# Refactor rewrote the import flow");
    const second = runCli(["postmortem", "new", "Second one"], dir);
    expect(readFileSync(join(dir, /created (\S+)/.exec(second.stdout)![1]!), "utf8")).toContain(`id: PM-${date}-second-one`);
  });

  it("gives two branches that each write a post-mortem different ids, and git merges them", () => {
    const dir = repo();
    runCli(["init"], dir);
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-q", "-m", "init"]);
    git(dir, ["checkout", "-q", "-b", "a"]);
    runCli(["postmortem", "new", "Agent deleted the fixtures"], dir);
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-q", "-m", "pm a"]);
    git(dir, ["checkout", "-q", "main"]);
    git(dir, ["checkout", "-q", "-b", "b"]);
    runCli(["postmortem", "new", "Agent skipped the migration"], dir);
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-q", "-m", "pm b"]);
    git(dir, ["merge", "-q", "--no-edit", "a"]);
    const ids = (git(dir, ["grep", "-h", "^id:", "--", "docs/postmortems"]) as string)
      .trim()
      .split("\n")
      .filter((line) => !line.includes("PM-0000"))
      .sort();
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it("needs a title", () => {
    const dir = repo();
    const run = runCli(["postmortem", "new"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("needs a title");
  });
});
