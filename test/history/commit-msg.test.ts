import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommitMsg } from "../../src/commands/commit-msg.js";
import { CLAUDE, emptyRepo, pm, Repo, runGit } from "./history-repo.js";

const PM1 = "docs/postmortems/pm-1.md";

function stage(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
    runGit(dir, ["add", "--", path]);
  }
}

async function hook(dir: string, message: string) {
  writeFileSync(join(dir, ".git", "COMMIT_EDITMSG"), message);
  return runCommitMsg({ cwd: dir, file: ".git/COMMIT_EDITMSG" });
}

function linkedRepo(): Repo {
  const repo = new Repo();
  repo.commit({ message: "root\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": CLAUDE, [PM1]: pm({ id: "PM-1", date: "2026-09-01" }) } });
  return repo;
}

describe("commit-msg", () => {
  it("fails a staged item change with no link, naming the item and how to link it", async () => {
    const repo = linkedRepo();
    stage(repo.dir, { "CLAUDE.md": CLAUDE.replace("cents", "cents only") });
    const result = await hook(repo.dir, "Tighten money\n");
    expect(result.code).toBe(1);
    expect(result.output).toContain("modified CLAUDE.md#money");
    expect(result.output).toContain("Post-Mortem: <post-mortem id or path>");
    expect(result.output).toContain("Recent post-mortems: PM-1 (2026-09-01)");
  });

  it("passes with a trailer naming a committed post-mortem, by id or by path", async () => {
    const repo = linkedRepo();
    stage(repo.dir, { "CLAUDE.md": CLAUDE.replace("cents", "cents only") });
    expect(await hook(repo.dir, "Tighten money\n\nPost-Mortem: PM-1\n")).toEqual({ output: "", code: 0 });
    expect((await hook(repo.dir, "Tighten money\n\npost-mortem: docs/postmortems/pm-1.md\n")).code).toBe(0);
  });

  it("passes with a trailer naming a post-mortem staged in the same commit", async () => {
    const repo = linkedRepo();
    stage(repo.dir, { "CLAUDE.md": CLAUDE.replace("cents", "cents only"), "docs/postmortems/pm-2.md": pm({ id: "PM-2" }) });
    expect((await hook(repo.dir, "Tighten money\n\nPost-Mortem: PM-2\n")).code).toBe(0);
  });

  it("passes when a staged post-mortem's changes name the item, and only that item", async () => {
    const repo = linkedRepo();
    stage(repo.dir, {
      "CLAUDE.md": CLAUDE.replace("cents", "cents only").replace("first", "first!"),
      "docs/postmortems/pm-2.md": pm({ id: "PM-2", changes: ["CLAUDE.md#money"] }),
    });
    const result = await hook(repo.dir, "Two rules\n");
    expect(result.code).toBe(1);
    expect(result.output).toContain("CLAUDE.md#orient-before-editing");
    expect(result.output).not.toContain("CLAUDE.md#money");
  });

  it("fails a trailer naming a post-mortem that exists nowhere", async () => {
    const repo = linkedRepo();
    stage(repo.dir, { "CLAUDE.md": CLAUDE.replace("cents", "cents only") });
    const result = await hook(repo.dir, "Tighten money\n\nPost-Mortem: PM-404\n");
    expect(result.code).toBe(1);
    expect(result.output).toContain("`Post-Mortem: PM-404` names no post-mortem");
  });

  it("reads the message as git will record it: comment lines and the verbose diff do not count", async () => {
    const repo = linkedRepo();
    stage(repo.dir, { "CLAUDE.md": CLAUDE.replace("cents", "cents only") });
    const commented = "Tighten money\n\n# Post-Mortem: PM-1\n# Please enter the commit message\n";
    expect((await hook(repo.dir, commented)).code).toBe(1);
    const verbose = "Tighten money\n\nPost-Mortem: PM-1\n# ------------------------ >8 ------------------------\ndiff --git a/CLAUDE.md b/CLAUDE.md\n+Post-Mortem: PM-404\n";
    expect((await hook(repo.dir, verbose)).code).toBe(0);
  });

  it("passes whitespace-only edits, code-only commits and post-mortem-only commits", async () => {
    const repo = linkedRepo();
    stage(repo.dir, { "CLAUDE.md": CLAUDE.replace("Use integer cents.", "Use integer\n  cents.  "), "src/a.ts": "export {};\n", "docs/postmortems/pm-3.md": pm({}) });
    expect(await hook(repo.dir, "Reflow\n")).toEqual({ output: "", code: 0 });
  });

  it("checks the first commit of a new repository against nothing", async () => {
    const dir = emptyRepo();
    stage(dir, { "CLAUDE.md": CLAUDE });
    const result = await hook(dir, "Initial\n");
    expect(result.code).toBe(1);
    expect(result.output).toContain("added    CLAUDE.md#orient-before-editing");
  });
});
