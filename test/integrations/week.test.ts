// A week of ordinary edits, as a team makes them, with the hooks `harness-lint init --hooks`
// installs and real `git commit`s: typos, a code rename fixed with `--staged --fix`, a revert, a
// fixup, the hook setup itself, and a real rule change with its post-mortem. None of it needs
// `--no-verify`; the one real rule change pushed past the hooks is still caught by `--base` in CI.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { initRepo, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { CLI, REPO_ROOT } from "../helpers/cli.js";

const scratch: string[] = [];
let env: NodeJS.ProcessEnv = {};
let dir = "";

function run(command: string, args: string[]): { code: number; output: string } {
  const result = spawnSync(command, args, { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

function git(...args: string[]): string {
  const result = run("git", args);
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} exited ${result.code}: ${result.output}`);
  return result.output;
}

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** `git commit` through the installed hooks (never --no-verify); the result, not an exception. */
function commit(message: string, extra: string[] = []): { code: number; output: string } {
  return run("git", ["commit", "-q", "-m", message, ...extra]);
}

const head = () => git("rev-parse", "HEAD").trim();
const lint = (args: string[]) => run(process.execPath, [CLI, ...args]);

const rules = (money: string, imports: string) => `# Project\n\n## Money\n<!-- scope: src/** -->\n${money}\n\n## Imports\n<!-- scope: src/** -->\n${imports}\n`;

const PM1 = `---
id: PM-2026-11-02-float-money
date: 2026-11-02
trigger: redo
pattern: literal-rule
changes:
  - CLAUDE.md#money
  - CLAUDE.md#imports
---
# The agent stored money as floats

## What happened
## What the agent was working from
## Where the layers failed
## What changes
## What we are not doing
`;

beforeAll(() => {
  const home = mkdtempSync(join(tmpdir(), "hl-week-home-"));
  scratch.push(home);
  writeFileSync(join(home, ".gitconfig"), "[user]\n\tname = Week User\n\temail = week@example.com\n[commit]\n\tgpgsign = false\n");
  const path = [dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"];
  env = {
    PATH: [...new Set(path)].join(delimiter),
    HOME: home,
    LANG: "C",
    NO_COLOR: "1",
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: join(home, ".gitconfig"),
    npm_config_cache: join(home, ".npm"),
    npm_config_offline: "true",
    npm_config_registry: "http://127.0.0.1:9/",
    npm_config_update_notifier: "false",
  };
  dir = initRepo("hl-week-") as string;
  scratch.push(dir);
  // harness-lint in node_modules, as npm installs it: the hooks find it with `npx --no-install`.
  mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "harness-lint"), "dir");
  symlinkSync("../harness-lint/dist/src/cli.js", join(dir, "node_modules", ".bin", "harness-lint"));
}, 600_000);

afterAll(() => {
  for (const path of scratch.splice(0)) removeRepo(path);
});

describe("a week of ordinary edits", () => {
  it("needs no --no-verify, and every unlinked real rule change is still caught", () => {
    // Monday: the project as it was, before harness-lint.
    write({
      ".gitignore": "node_modules/\n",
      "package.json": '{ "name": "week", "private": true, "devDependencies": { "harness-lint": "0.1.0" } }\n',
      "CLAUDE.md": rules("Store money as integer cents.", "Read CSV files with `UserImporter`."),
      "src/importer.ts": "export class UserImporter {\n  read(): void {}\n}\n",
      "src/money.ts": "export const cents = (n: number): number => Math.round(n * 100);\n",
      "docs/postmortems/2026-11-02-float-money.md": PM1,
    });
    git("add", "-A");
    git("commit", "-q", "-m", "The project as it was");
    const base = head();

    // Hook setup, tracked in .githooks so the team shares it: the commit that adds them is mechanical.
    git("config", "core.hooksPath", ".githooks");
    const init = lint(["init", "--hooks"]);
    expect(init.code).toBe(0);
    expect(init.output).toContain("created .githooks/commit-msg");
    git("add", ".githooks", ".harnessrc.yml", "docs/postmortems/TEMPLATE.md");
    const setup = commit("Add harness-lint hooks");
    expect(setup.output).not.toContain("without linking");
    expect(setup.code).toBe(0);

    // Tuesday: a typo, said to need no post-mortem. Without a reason it is refused, with one it passes.
    write({ "CLAUDE.md": rules("Store money as integer cents, always.", "Read CSV files with `UserImporter`.") });
    git("add", "CLAUDE.md");
    const bare = commit("Clarify money\n\nPost-Mortem: none");
    expect(bare.code).not.toBe(0);
    expect(bare.output).toContain("needs a reason");
    expect(commit("Clarify money\n\nPost-Mortem: none -- wording only, same rule").code).toBe(0);

    // Wednesday: a code rename. The pre-commit hook names the replacement; --staged --fix writes it.
    write({ "src/importer.ts": "export class AccountImporter {\n  read(): void {}\n}\n" });
    git("add", "src/importer.ts");
    const broken = commit("refactor: rename UserImporter to AccountImporter");
    expect(broken.code).not.toBe(0);
    expect(broken.output).toContain("renames `UserImporter` to `AccountImporter`");
    expect(lint(["--staged", "--fix"]).output).toContain("fixed 1 mention");
    expect(git("show", ":CLAUDE.md")).toContain("`AccountImporter`");
    expect(commit("refactor: rename UserImporter to AccountImporter").code).toBe(0);

    // Thursday: a real rule change with its post-mortem; then a fixup of it; then a revert of it.
    write({ "CLAUDE.md": rules("Store money as integer cents; never use floats.", "Read CSV files with `AccountImporter`.") });
    git("add", "CLAUDE.md");
    const unlinked = commit("Forbid floats for money");
    expect(unlinked.code).not.toBe(0);
    expect(unlinked.output).toContain("CLAUDE.md#money");
    expect(commit("Forbid floats for money\n\nPost-Mortem: PM-2026-11-02-float-money").code).toBe(0);
    const linked = head();
    write({ "CLAUDE.md": rules("Store money as integer cents; never use floats anywhere.", "Read CSV files with `AccountImporter`.") });
    git("add", "CLAUDE.md");
    expect(run("git", ["commit", "-q", "--fixup", linked]).code).toBe(0);
    const reverted = run("git", ["revert", "--no-edit", "HEAD"]);
    expect(reverted.code).toBe(0);
    expect(run("git", ["revert", "--no-edit", linked]).code).toBe(0);
    expect(readFileSync(join(dir, "CLAUDE.md"), "utf8")).toContain("Store money as integer cents, always.");

    // Friday: a post-mortem written with `postmortem new`, and the rule change it justifies.
    const created = lint(["postmortem", "new", "Agent imported the wrong CSV"]);
    const pmPath = /created (\S+)/.exec(created.output)![1]!;
    const pmId = /^id: (\S+)$/m.exec(readFileSync(join(dir, pmPath), "utf8"))![1]!;
    expect(pmId).toMatch(/^PM-\d{4}-\d{2}-\d{2}-agent-imported-the-wrong-csv$/);
    write({ [pmPath]: readFileSync(join(dir, pmPath), "utf8").replace("CLAUDE.md#heading-of-the-rule", "CLAUDE.md#imports") });
    write({ "CLAUDE.md": rules("Store money as integer cents, always.", "Read CSV files with `AccountImporter`; check the header row first.") });
    git("add", "-A");
    const friday = commit(`Check CSV headers\n\nPost-Mortem: ${pmId}`);
    expect(friday.output).toBe("");
    expect(friday.code).toBe(0);

    // Someone pushes a real rule change past the hooks: CI's --base still catches it, and only it.
    write({ "CLAUDE.md": rules("Store money however is convenient.", "Read CSV files with `AccountImporter`; check the header row first.") });
    git("add", "CLAUDE.md");
    git("-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "Loosen money");
    const ci = lint(["--base", base, "--format", "json"]);
    const findings = (JSON.parse(ci.output) as { findings: Array<{ check: string; message: string }> }).findings.filter((f) => f.check === "unlinked-rule-change");
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('"Loosen money" modified CLAUDE.md#money')]);

    // trace says why each unlinked-looking change needed no post-mortem.
    const trace = lint(["trace", "--since", base]).output;
    expect(trace).toContain("no post-mortem, because wording only, same rule");
    expect(trace).toContain("mechanical: renames UserImporter -> AccountImporter");
    expect(trace).toContain("mechanical: the hooks init --hooks writes");
    expect(trace).toMatch(/fixup of [0-9a-f]{7}, judged with it/);
    expect(trace).toMatch(/revert of [0-9a-f]{7}, which was linked/);
  }, 600_000);
});
