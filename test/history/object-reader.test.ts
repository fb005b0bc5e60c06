import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ObjectReader } from "../../src/git/object-reader.js";
import { Repo } from "./history-repo.js";

// The one object reader (src/git/object-reader.ts): a real repository, a real `git cat-file`.

/** Replaces a loose object with one whose header is fine and whose content cannot be inflated. */
function corrupt(repo: Repo, oid: string, size: number): void {
  const path = join(repo.dir, ".git", "objects", oid.slice(0, 2), oid.slice(2));
  const whole = deflateSync(Buffer.concat([Buffer.from(`blob ${size}\0`), Buffer.alloc(size, 0x61)]));
  chmodSync(path, 0o644);
  // Keep the start (git reads the header from it), garble the rest of the stream.
  writeFileSync(path, Buffer.concat([whole.subarray(0, whole.length - 6), Buffer.from("XXXXXX")]));
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
    const big = `${"x".repeat(1_000_000)}\n`;
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

  it("says missing for an object git does not have, and answers the next ones", async () => {
    const repo = new Repo();
    const sha = repo.commit({ write: { "a.md": "one\n" } });
    const reader = new ObjectReader(repo.dir);
    try {
      const answers = await Promise.all([reader.fetch("0".repeat(39) + "1"), reader.fetch(`${sha}:a.md`)]);
      expect(answers[0]).toEqual({ found: false, reason: "missing" });
      expect(answers[1]!.found && answers[1]!.object.content.toString()).toBe("one\n");
      expect(reader.restarts).toBe(0);
    } finally {
      reader.close();
    }
  });

  it("survives an object git dies reading: that one is unreadable, the rest are answered by a fresh git", async () => {
    const repo = new Repo();
    const sha = repo.commit({ write: { "a.md": "one\n", "bad.md": "a".repeat(300), "c.md": "three\n" } });
    const bad = repo.git(["rev-parse", `${sha}:bad.md`]).trim();
    corrupt(repo, bad, 300);
    // The damage is real: git itself stops on it.
    expect(() => repo.git(["cat-file", "-p", bad])).toThrow();
    const reader = new ObjectReader(repo.dir);
    try {
      const answers = await Promise.all([reader.fetch(`${sha}:a.md`), reader.fetch(bad), reader.fetch(`${sha}:c.md`), reader.fetch(bad), reader.fetch(`${sha}:a.md`)]);
      expect(answers.map((answer) => (answer.found ? answer.object.content.toString() : answer.reason))).toEqual(["one\n", "unreadable", "three\n", "unreadable", "one\n"]);
      // One fresh git per object it died on: the work is counted, not timed.
      expect(reader.restarts).toBe(2);
    } finally {
      reader.close();
    }
  });

  it("bounds a read: content over maxBytes streams past unkept, and the pipe goes on", async () => {
    const repo = new Repo();
    const big = "y".repeat(3_000_000);
    const sha = repo.commit({ write: { "big.md": big, "small.md": "s\n" } });
    const reader = new ObjectReader(repo.dir);
    try {
      const [over, small, under] = await Promise.all([
        reader.fetch(`${sha}:big.md`, { maxBytes: 1000 }),
        reader.fetch(`${sha}:small.md`, { maxBytes: 1000 }),
        reader.fetch(`${sha}:big.md`, { maxBytes: big.length }),
      ]);
      expect(over).toMatchObject({ found: false, reason: "too-large", info: { type: "blob", size: big.length } });
      expect(small.found && small.object.content.toString()).toBe("s\n");
      expect(under.found && under.object.content.length).toBe(big.length);
      expect(await reader.read(`${sha}:big.md`, { maxBytes: 10 })).toBeNull();
    } finally {
      reader.close();
    }
  });

  it("answers nothing more once closed, without rejecting", async () => {
    const repo = new Repo();
    const sha = repo.commit({ write: { "a.md": "one\n" } });
    const reader = new ObjectReader(repo.dir);
    expect((await reader.fileAt(sha, "a.md"))?.toString()).toBe("one\n");
    reader.close();
    expect(await reader.fileAt(sha, "a.md")).toBeNull();
  });
});
