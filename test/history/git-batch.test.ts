import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { logCommits, ObjectReader, type LoggedCommit } from "../../src/git/git-batch.js";
import { Repo } from "./history-repo.js";

async function log(dir: string, revisions = ["HEAD"]): Promise<LoggedCommit[]> {
  const commits: LoggedCommit[] = [];
  for await (const commit of logCommits(dir, { revisions })) commits.push(commit);
  return commits;
}

describe("ObjectReader", () => {
  it("reads blobs by id and by <commit>:<path>, and says which do not exist", async () => {
    const repo = new Repo();
    const sha = repo.commit({ write: { "a.md": "one\n", "dir/b.md": "two\n" } });
    const reader = new ObjectReader(repo.dir);
    try {
      const oid = await reader.blobIdAt(sha, "dir/b.md");
      expect(oid).toMatch(/^[0-9a-f]{40}$/);
      expect((await reader.blob(oid!))?.toString()).toBe("two\n");
      expect((await reader.fileAt(sha, "a.md"))?.toString()).toBe("one\n");
      expect(await reader.fileAt(sha, "missing.md")).toBeNull();
      expect(await reader.fileAt(sha, "dir")).toBeNull(); // a tree, not a file
      expect(await reader.fileAt(sha, "a.md\nHEAD:dir/b.md")).toBeNull(); // one request per line, never two
      expect((await reader.fileAt(sha, "a.md"))?.toString()).toBe("one\n");
    } finally {
      reader.close();
    }
  });

  it("lists the files under a folder at a commit, nested folders included", async () => {
    const repo = new Repo();
    const sha = repo.commit({ write: { "docs/postmortems/a.md": "a", "docs/postmortems/2026/b.md": "b", "docs/other.md": "c" } });
    const reader = new ObjectReader(repo.dir);
    try {
      const files = await reader.filesUnder(sha, "docs/postmortems");
      expect(files.map((f) => f.path).sort()).toEqual(["docs/postmortems/2026/b.md", "docs/postmortems/a.md"]);
      expect(await reader.filesUnder(sha, "nowhere")).toEqual([]);
      expect((await reader.filesUnder(sha, "")).length).toBe(3);
    } finally {
      reader.close();
    }
  });

  it("streams large blobs split across many chunks", async () => {
    const repo = new Repo();
    const big = "x".repeat(1_000_000) + "\n";
    const sha = repo.commit({ write: { "big.md": big, "small.md": "s\n" } });
    const reader = new ObjectReader(repo.dir);
    try {
      const [a, b] = await Promise.all([reader.fileAt(sha, "big.md"), reader.fileAt(sha, "small.md")]);
      expect(a?.length).toBe(big.length);
      expect(b?.toString()).toBe("s\n");
    } finally {
      reader.close();
    }
  });
});

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
