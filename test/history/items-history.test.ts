import { describe, expect, it } from "vitest";
import type { Config } from "../../src/shared/config-types.js";
import { ObjectReader } from "../../src/git/object-reader.js";
import { ItemCache } from "../../src/history/item-cache.js";
import { readItemHistory, type HistoryCommit } from "../../src/history/items-history.js";
import { classifyPaths } from "../../src/history/paths.js";
import { CLAUDE, config, emptyRepo, Repo } from "./history-repo.js";

async function history(dir: string, cfg: Config = config()): Promise<HistoryCommit[]> {
  const classifier = await classifyPaths(dir, cfg);
  const reader = new ObjectReader(dir);
  try {
    return await readItemHistory(dir, classifier, new ItemCache(reader, classifier, false), reader);
  } finally {
    reader.close();
  }
}

/** `sha -> [change ref (previousRef)]`, oldest commit first, for readable expectations. */
function changes(commits: HistoryCommit[]): Array<[string, string[]]> {
  return [...commits].reverse().map((c) => [c.subject, c.items.map((i) => `${i.change} ${i.ref}${i.previousRef ? ` (was ${i.previousRef})` : ""}`)]);
}

describe("item history", () => {
  it("has no history in an empty repository", async () => {
    expect(await history(emptyRepo())).toEqual([]);
  });

  it("reads the root commit as adding every item", async () => {
    const repo = new Repo();
    repo.commit({ message: "root", write: { "CLAUDE.md": CLAUDE, ".cursor/rules/imports.mdc": "---\nglobs: src/**\n---\nImport rules.\n" } });
    const [root] = changes(await history(repo.dir));
    expect(root![0]).toBe("root");
    expect(root![1].sort()).toEqual(["added .cursor/rules/imports.mdc", "added CLAUDE.md#money", "added CLAUDE.md#orient-before-editing"]);
  });

  it("compares items, not files: whitespace-only edits and code-only commits change nothing", async () => {
    const repo = new Repo();
    repo.commit({ message: "root", write: { "CLAUDE.md": CLAUDE, "src/a.ts": "export const a = 1;\n" } });
    repo.commit({ message: "reflow", write: { "CLAUDE.md": CLAUDE.replace("Read the module first.", "Read   the module\nfirst.  ") + "\n\n" } });
    repo.commit({ message: "code only", write: { "src/a.ts": "export const a = 2;\n" } });
    repo.commit({ message: "edit money", write: { "CLAUDE.md": CLAUDE.replace("integer cents", "integer cents, never floats") } });
    const commits = await history(repo.dir);
    expect(commits.map((c) => c.subject)).toEqual(["edit money", "reflow", "root"]);
    expect(changes(commits)).toEqual([
      ["root", ["added CLAUDE.md#orient-before-editing", "added CLAUDE.md#money"]],
      ["reflow", []],
      ["edit money", ["modified CLAUDE.md#money"]],
    ]);
  });

  it("reads a renamed heading with the same body as one item moved, and a removal as removed", async () => {
    const repo = new Repo();
    repo.commit({ message: "root", write: { "CLAUDE.md": CLAUDE } });
    repo.commit({ message: "rename heading", write: { "CLAUDE.md": CLAUDE.replace("## Money", "## Money is cents") } });
    repo.commit({ message: "drop orient", write: { "CLAUDE.md": "# Project\n\n## Money is cents\nUse integer cents.\n" } });
    expect(changes(await history(repo.dir)).slice(1)).toEqual([
      ["rename heading", ["modified CLAUDE.md#money-is-cents (was CLAUDE.md#money)"]],
      ["drop orient", ["removed CLAUDE.md#orient-before-editing"]],
    ]);
  });

  it("follows a rule file that moved, and a per-file rule that moved", async () => {
    const repo = new Repo();
    repo.commit({ message: "root", write: { "CLAUDE.md": CLAUDE, ".claude/rules/billing.md": "---\npaths: src/billing/**\n---\nCents only.\n" } });
    repo.commit({ message: "move to AGENTS.md", rename: [["CLAUDE.md", "AGENTS.md"]] });
    repo.commit({ message: "move rule", rename: [[".claude/rules/billing.md", ".claude/rules/money.md"]] });
    expect(changes(await history(repo.dir)).slice(1)).toEqual([
      ["move to AGENTS.md", ["modified AGENTS.md#orient-before-editing (was CLAUDE.md#orient-before-editing)", "modified AGENTS.md#money (was CLAUDE.md#money)"]],
      ["move rule", ["modified .claude/rules/money.md (was .claude/rules/billing.md)"]],
    ]);
  });

  it("deletes a whole file as removing each of its items, and leaves merges out", async () => {
    const repo = new Repo();
    repo.commit({ message: "root", write: { "CLAUDE.md": CLAUDE, "src/billing/AGENTS.md": "## Cents\nInteger cents.\n" } });
    repo.git(["checkout", "-q", "-b", "side"]);
    repo.commit({ message: "side edit", write: { "src/billing/AGENTS.md": "## Cents\nInteger cents, always.\n" } });
    repo.git(["checkout", "-q", "main"]);
    repo.commit({ message: "main removes", remove: ["CLAUDE.md"] });
    repo.git(["merge", "-q", "--no-ff", "-m", "Merge side", "side"], { GIT_AUTHOR_DATE: "2026-09-20T12:00:00Z", GIT_COMMITTER_DATE: "2026-09-20T12:00:00Z" });
    const commits = await history(repo.dir);
    expect(commits.map((c) => c.subject)).not.toContain("Merge side");
    expect(Object.fromEntries(changes(commits))).toEqual({
      root: ["added CLAUDE.md#orient-before-editing", "added CLAUDE.md#money", "added src/billing/AGENTS.md#cents"],
      "side edit": ["modified src/billing/AGENTS.md#cents"],
      "main removes": ["removed CLAUDE.md#orient-before-editing", "removed CLAUDE.md#money"],
    });
  });

  it("compares hooks entry by entry", async () => {
    const settings = (command: string) =>
      JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command }] }], Stop: [{ hooks: [{ type: "command", command: "npm test" }] }] } }, null, 2);
    const repo = new Repo();
    repo.commit({ message: "root", write: { ".claude/settings.json": settings("./guard.sh") } });
    repo.commit({ message: "guard strict", write: { ".claude/settings.json": settings("./guard.sh --strict") } });
    expect(changes(await history(repo.dir))[1]).toEqual(["guard strict", ["modified .claude/settings.json#PreToolUse:Bash"]]);
  });

  it("records post-mortems a commit adds or edits", async () => {
    const repo = new Repo();
    repo.commit({ message: "root", write: { "CLAUDE.md": CLAUDE } });
    repo.commit({ message: "pm", write: { "docs/postmortems/a.md": "---\nid: PM-1\ndate: 2026-09-01\n---\n# A\n", "docs/postmortems/TEMPLATE.md": "# T\n" } });
    const [pmCommit] = await history(repo.dir);
    expect(pmCommit!.items).toEqual([]);
    expect(pmCommit!.postmortems.map((p) => [p.path, p.postmortem.id])).toEqual([["docs/postmortems/a.md", "PM-1"]]);
  });
});
