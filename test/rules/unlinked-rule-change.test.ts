import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, git, initRepo, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { lintJson, type JsonFinding } from "../helpers/cli.js";

const PM = (id: string, changes: string[], commits: string[] = []) =>
  [
    "---",
    `id: ${id}`,
    "date: 2026-10-01",
    `changes: [${changes.join(", ")}]`,
    `commits: [${commits.join(", ")}]`,
    "---",
    `# ${id}`,
    "## What happened",
    "## What the agent was working from",
    "## Where the layers failed",
    "## What changes",
    "## What we are not doing",
    "",
  ].join("\n");

const rules = (a: string, b: string, c = "## C\nThird rule.\n") => `## A\n${a}\n\n## B\n${b}\n\n${c}`;

// One repository, built once: each commit is a case that must or must not be reported.
describe("unlinked-rule-change (--base)", () => {
  let dir: string;
  let base: string;
  let findings: JsonFinding[];
  const sha: Record<string, string> = {};

  beforeAll(() => {
    dir = initRepo();
    commitStep(dir, { message: "initial", write: { "CLAUDE.md": rules("First rule.", "Second rule."), "src/a.ts": "export const a = 1;\n", "docs/postmortems/pm-1.md": PM("PM-1", ["CLAUDE.md#a"]) } });
    base = git(dir, ["rev-parse", "HEAD"]).trim();
    const step = (name: string, change: object) => {
      commitStep(dir, { message: name, ...change });
      sha[name] = git(dir, ["rev-parse", "HEAD"]).trim();
    };
    step("unlinked edit of A", { write: { "CLAUDE.md": rules("First rule, reworded.", "Second rule.") } });
    step("linked by trailer\n\nPost-Mortem: PM-1", { write: { "CLAUDE.md": rules("First rule, reworded again.", "Second rule.") } });
    step("whitespace only", { write: { "CLAUDE.md": rules("First   rule,\nreworded again.", "Second rule.") } });
    step("code only", { write: { "src/a.ts": "export const a = 2;\n" } });
    step("post-mortem only", { write: { "docs/postmortems/pm-2.md": PM("PM-2", ["CLAUDE.md#a"]) } });
    step("same-commit post-mortem", { write: { "CLAUDE.md": rules("First   rule,\nreworded again.", "Second rule, tightened."), "docs/postmortems/pm-3.md": PM("PM-3", ["CLAUDE.md#b"]) } });
    step("listed in commits", { write: { "CLAUDE.md": rules("First rule, third wording.", "Second rule, tightened.") } });
    step("post-mortem lists it", { write: { "docs/postmortems/pm-4.md": PM("PM-4", ["CLAUDE.md#a"], [sha["listed in commits"]!.slice(0, 8)]) } });
    // A branch with a linked change, merged with a merge commit: the merge itself is exempt.
    git(dir, ["checkout", "-q", "-b", "topic"]);
    step("branch change\n\nPost-Mortem: docs/postmortems/pm-1.md", { write: { "CLAUDE.md": rules("First rule, branch wording.", "Second rule, tightened.") } });
    git(dir, ["checkout", "-q", "main"]);
    step("unrelated code on main", { write: { "src/b.ts": "export const b = 1;\n" } });
    git(dir, ["merge", "-q", "--no-ff", "-m", "merge topic", "topic"]);
    step("remove rule C, unlinked", { write: { "CLAUDE.md": rules("First rule, branch wording.", "Second rule, tightened.", "") } });
    step("dangling trailer\n\nPost-Mortem: PM-99", { write: { "CLAUDE.md": rules("First rule, final wording.", "Second rule, tightened.", "") } });
    findings = lintJson(dir, ["--base", base]).report.findings;
  }, 120_000);

  afterAll(() => removeRepo(dir));

  const unlinked = () => findings.filter((f) => f.check === "unlinked-rule-change");

  it("reports exactly the unlinked commits, each with its full SHA", () => {
    const commits = unlinked().map((f) => f.commit);
    expect(commits.sort()).toEqual([sha["unlinked edit of A"], sha["remove rule C, unlinked"], sha["dangling trailer\n\nPost-Mortem: PM-99"]].sort());
    for (const commit of commits) expect(commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it("never reports whitespace-only edits, code-only or post-mortem-only commits, merges, or linked commits", () => {
    const reported = new Set(unlinked().map((f) => f.commit));
    for (const name of [
      "linked by trailer\n\nPost-Mortem: PM-1",
      "whitespace only",
      "code only",
      "post-mortem only",
      "same-commit post-mortem",
      "listed in commits",
      "branch change\n\nPost-Mortem: docs/postmortems/pm-1.md",
    ]) {
      expect(reported.has(sha[name]), name).toBe(false);
    }
    const merge = git(dir, ["rev-parse", "HEAD~2"]).trim();
    expect(reported.has(merge)).toBe(false);
  });

  it("points at the item's line at HEAD, or at the file where the item was removed", () => {
    const edit = unlinked().find((f) => f.commit === sha["unlinked edit of A"])!;
    expect(edit).toMatchObject({ file: "CLAUDE.md", line: 1, item: "CLAUDE.md#a" });
    const removal = unlinked().find((f) => f.commit === sha["remove rule C, unlinked"])!;
    expect(removal).toMatchObject({ file: "CLAUDE.md", line: 1, item: "CLAUDE.md#c" });
  });

  it("reports a trailer naming a missing post-mortem as a dangling citation", () => {
    const dangling = findings.filter((f) => f.check === "dangling-citation" && f.commit === sha["dangling trailer\n\nPost-Mortem: PM-99"]);
    expect(dangling).toHaveLength(1);
    expect(dangling[0]!.message).toContain("PM-99");
  });

  it("reports nothing history-based without --base", () => {
    const plain = lintJson(dir).report.findings;
    expect(plain.some((f) => f.check === "unlinked-rule-change")).toBe(false);
  });
});
