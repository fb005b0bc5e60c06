import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { logCommits, type LoggedCommit } from "../../src/git/git-batch.js";
import { Repo } from "./history-repo.js";

async function log(dir: string, revisions = ["HEAD"]): Promise<LoggedCommit[]> {
  const commits: LoggedCommit[] = [];
  for await (const commit of logCommits(dir, { revisions })) commits.push(commit);
  return commits;
}

describe("logCommits", () => {
  it("streams commits newest first with parents, dates, full messages and renames", async () => {
    const repo = new Repo();
    const root = repo.commit({ message: "root", date: "2026-09-01T10:00:00Z", write: { "CLAUDE.md": "# A\n", "x.ts": "1" } });
    // Field separators inside a message must not confuse the reader.
    const odd = "odd \x1e message\n\nbody with \x1f and a line\nthat looks like :100644 100644 a b M";
    const second = repo.commit({ message: odd, date: "2026-09-02T10:00:00+02:00", rename: [["CLAUDE.md", "AGENTS.md"]], remove: ["x.ts"] });
    writeFileSync(join(repo.dir, "y.ts"), "2");
    const commits = await log(repo.dir);
    expect(commits.map((c) => c.sha)).toEqual([second, root]);
    expect(commits[0]!.parents).toEqual([root]);
    expect(commits[0]!.committedAt).toBe("2026-09-02T10:00:00+02:00");
    expect(commits[0]!.message).toBe(`${odd}\n`);
    expect(commits[0]!.files.map((f) => [f.status, f.fromPath, f.path])).toEqual([
      ["R", "CLAUDE.md", "AGENTS.md"],
      ["D", undefined, "x.ts"],
    ]);
    expect(commits[1]!.parents).toEqual([]);
    expect(commits[1]!.files.map((f) => [f.status, f.path])).toEqual([
      ["A", "CLAUDE.md"],
      ["A", "x.ts"],
    ]);
  });

  it("refuses a revision that git would read as an option", async () => {
    const repo = new Repo();
    repo.commit({ write: { "a.md": "a" } });
    await expect(log(repo.dir, ["--output=/tmp/x"])).rejects.toThrow(/refusing revision/);
  });
});
