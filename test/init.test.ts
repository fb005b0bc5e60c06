import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, git, initRepo, removeRepo } from "../fixtures/lib/build-repo.mjs";
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
    expect(readFileSync(hook, "utf8")).toBe("#!/bin/sh\nnpm run lint\nnpx --no-install harness-lint --staged\n");
    expect(runCli(["init", "--hooks"], dir).stdout).toContain("kept .git/hooks/pre-commit");
    expect(readFileSync(hook, "utf8").match(/harness-lint/g)).toHaveLength(1);
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
});

describe("postmortem new", () => {
  it("creates a dated file from the template with the next free id", () => {
    const dir = repo();
    runCli(["init"], dir);
    const first = runCli(["postmortem", "new", "Refactor rewrote the import flow"], dir);
    expect(first.code).toBe(0);
    const path = /created (\S+)/.exec(first.stdout)![1]!;
    expect(path).toMatch(/^docs\/postmortems\/\d{4}-\d{2}-\d{2}-refactor-rewrote-the-import-flow\.md$/);
    const text = readFileSync(join(dir, path), "utf8");
    expect(text).toContain("id: PM-0001");
    expect(text).toMatch(/^date: \d{4}-\d{2}-\d{2}$/m);
    expect(text).toContain("# Refactor rewrote the import flow");
    const second = runCli(["postmortem", "new", "Second one"], dir);
    expect(readFileSync(join(dir, /created (\S+)/.exec(second.stdout)![1]!), "utf8")).toContain("id: PM-0002");
  });

  it("needs a title", () => {
    const dir = repo();
    const run = runCli(["postmortem", "new"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("needs a title");
  });
});
