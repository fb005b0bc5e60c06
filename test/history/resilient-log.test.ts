import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Repo, runGit } from "./history-repo.js";
import { resilientLog, streamResilientLog, type ResilientLogOptions } from "../../src/git/resilient-log.js";

// The log that survives an unreadable object, read as a stream (what drift's symbol passes use):
// the same commits as the whole log, and past an unreadable object no listing of every remaining
// commit and its objects, only a search for the commit that changes the object. Counted from
// git's own trace, never timed.

const dirs: string[] = [];
afterEach(() => {
  delete process.env.GIT_TRACE;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const PATCHES: ResilientLogOptions = {
  walk: ["--topo-order"],
  show: ["-p", "-M", "-U0", "--root", "--src-prefix=a/", "--dst-prefix=b/", "-GUserImporter", "--diff-merges=first-parent", "--no-color", "--format=%x01%H %P"],
  revisions: ["HEAD"],
  mark: "\x01",
  merges: ["--diff-merges=first-parent"],
};

/** Old commits, then an asset added and deleted beside a new file (rename detection reads it), then the rename. */
function history(older: number, damaged: boolean): Repo {
  const repo = new Repo();
  for (let i = 0; i < older; i++) repo.commit({ write: { [`src/old${i}.ts`]: `// uses UserImporter ${i}\n` } });
  repo.commit({ write: { "src/importer.ts": "export class UserImporter {}\n", "assets/big.bin": "large data nobody asked about\n".repeat(50) }, message: "start" });
  repo.commit({ remove: ["assets/big.bin"], write: { "assets/small.bin": "large data nobody asked about\n".repeat(40) }, message: "drop the asset" });
  repo.commit({ write: { "src/importer.ts": "export class AccountImporter {}\n" }, message: "rename" });
  if (damaged) {
    const blob = runGit(repo.dir, ["rev-parse", "HEAD~2:assets/big.bin"]).trim();
    rmSync(join(repo.dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
  }
  return repo;
}

async function streamed(repo: Repo): Promise<{ text: string; lost: number; git: string[] }> {
  const trace = join(mkdtempSync(join(tmpdir(), "harness-resilient-")), "trace.txt");
  dirs.push(join(trace, ".."));
  process.env.GIT_TRACE = trace;
  const pieces: Buffer[] = [];
  const lost = await streamResilientLog(repo.dir, PATCHES, (_sha, piece) => pieces.push(piece));
  delete process.env.GIT_TRACE;
  const git = readFileSync(trace, "utf8")
    .split("\n")
    .filter((line) => line.includes("trace: built-in: git"))
    .map((line) => line.slice(line.indexOf("built-in: git") + "built-in: ".length));
  return { text: Buffer.concat(pieces).toString("utf8"), lost, git };
}

function commitsOf(text: string): string[] {
  return text
    .split("\x01")
    .filter((piece) => piece !== "")
    .map((piece) => piece.slice(0, 40));
}

describe("streamResilientLog", () => {
  it("gives each commit of a healthy log whole, in walk order, as the whole log", async () => {
    const repo = history(3, false);
    const whole = (await resilientLog(repo.dir, PATCHES)).toString("utf8");
    const { text, lost } = await streamed(repo);
    expect(text).toBe(whole);
    expect(lost).toBe(0);
  });

  it("past an unreadable object reads what the whole-walk fallback reads, without listing every remaining commit", async () => {
    const repo = history(6, true);
    const whole = (await resilientLog(repo.dir, PATCHES)).toString("utf8");
    const { text, lost, git } = await streamed(repo);
    // The same commits with the same text: the fallback for the buffered log is the old listing.
    expect(commitsOf(text).sort()).toEqual(commitsOf(whole).sort());
    expect(text.split("\x01").sort()).toEqual(whole.split("\x01").sort());
    // The rename and every old commit that mentions the name are there; the asset's diffs are not.
    expect(commitsOf(text)).toHaveLength(1 + 6 + 1);
    expect(text).not.toContain("assets/big.bin");
    expect(lost).toBeGreaterThan(0);
    // No raw listing of the rest of the walk, no question about every object in it.
    const listings = git.filter((command) => command.includes("--raw") && command.includes("--stdin"));
    expect(listings.length).toBeGreaterThan(0);
    for (const command of listings) {
      expect(command).toContain("--find-object=");
      expect(command).toContain("--max-count=1");
    }
    expect(git.some((command) => command.includes("cat-file"))).toBe(false);
    // As many git processes with 6 old commits as with 24: the work past the object does not grow.
    const longer = await streamed(history(24, true));
    expect(longer.git.length).toBe(git.length);
    expect(commitsOf(longer.text)).toHaveLength(1 + 24 + 1);
  });
});
