import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Repo, runGit } from "./history-repo.js";
import { runCli } from "../helpers/cli.js";

// A clone that cannot read one old object (trimmed, partial, a snapshot without large blobs):
// history skips the comparisons that need it, says so once, and answers the rest.

const IMPORTER = "export class UserImporter {\n  importRows(rows: string[]): number {\n    return rows.length;\n  }\n}\n";

/** A history whose unrelated old blob `assets/big.bin` is then deleted from the object store. */
function damagedRepo(): { repo: Repo; renameCommit: string } {
  const repo = new Repo();
  repo.commit({
    write: {
      "src/importer.ts": IMPORTER,
      "assets/big.bin": "large data nobody asked about\n".repeat(50),
      "CLAUDE.md": "# Rules\n\n- Import users with `UserImporter` and its `UserImporter.importRows`.\n",
    },
    message: "start",
  });
  // Deleted beside an added file: rename detection (-M) has to read the old blob.
  repo.commit({ remove: ["assets/big.bin"], write: { "assets/small.bin": "large data nobody asked about\n".repeat(40) }, message: "drop the asset" });
  const renameCommit = repo.commit({ write: { "src/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter") }, message: "rename the importer" });
  repo.commit({ write: { "CLAUDE.md": "# Rules\n\n- Import users with `UserImporter` and its `UserImporter.importRows`.\n- Run the tests.\n" }, message: "a rule" });
  const blob = runGit(repo.dir, ["rev-parse", "HEAD~3:assets/big.bin"]).trim();
  rmSync(join(repo.dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
  // The damage is real: git's own full log dies on it.
  expect(() => runGit(repo.dir, ["log", "-p", "HEAD"])).toThrow();
  expect(() => runGit(repo.dir, ["log", "--raw", "-M", "HEAD"])).toThrow();
  return { repo, renameCommit };
}

function assertOneNote(stderr: string): void {
  const lines = stderr.split("\n").filter((line) => line !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/could not be read/);
  expect(stderr).not.toContain("\0");
  expect(stderr).not.toMatch(/fatal|internal error|diff --git/);
}

describe("history with an unreadable old object", () => {
  it("--drift still explains a rename, and says once what it skipped", () => {
    const { repo, renameCommit } = damagedRepo();
    const run = runCli(["--drift", "--format", "json"], repo.dir, { HARNESS_LINT_NO_RUN_CACHE: "1" });
    expect(run.code).toBe(1);
    const findings = (JSON.parse(run.stdout) as { findings: Array<{ mention?: string; suggestion?: { commit: string; replacement?: string } }> }).findings;
    const head = findings.find((f) => f.mention === "UserImporter");
    expect(head?.suggestion?.commit).toBe(renameCommit);
    expect(head?.suggestion?.replacement).toBe("AccountImporter");
    expect(findings.find((f) => f.mention === "UserImporter.importRows")?.suggestion?.replacement).toBe("AccountImporter.importRows");
    assertOneNote(run.stderr);
  });

  it("trace lists every rule change", () => {
    const { repo } = damagedRepo();
    const run = runCli(["trace", "--format", "json"], repo.dir);
    expect(run.code).toBe(0);
    // Rename detection over the walk needed the asset: that one comparison is skipped.
    assertOneNote(run.stderr);
    const changes = (JSON.parse(run.stdout) as { changes: Array<{ subject: string }> }).changes;
    expect(changes.map((c) => c.subject)).toEqual(["a rule", "start"]);
  });

  it("trace skips a rule file version it cannot read, says so once, and lists the rest", () => {
    const repo = new Repo();
    repo.commit({ write: { "CLAUDE.md": "# Rules\n\n## Tests {#tests}\n- Run the tests.\n" }, message: "first" });
    repo.commit({ write: { "CLAUDE.md": "# Rules\n\n## Tests {#tests}\n- Run the tests twice.\n" }, message: "second" });
    // Beside the edit, a renamed rule file: rename detection has to read the lost version.
    repo.commit({ rename: [["CLAUDE.md", "AGENTS.md"]], write: { "AGENTS.md": "# Rules\n\n## Tests {#tests}\n- Run the tests twice.\n- Lint.\n" }, message: "third" });
    repo.commit({ write: { "AGENTS.md": "# Rules\n\n## Tests {#tests}\n- Run the tests twice.\n- Lint often.\n" }, message: "fourth" });
    const blob = runGit(repo.dir, ["rev-parse", "HEAD~2:CLAUDE.md"]).trim();
    rmSync(join(repo.dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
    const run = runCli(["trace", "--format", "json"], repo.dir);
    expect(run.code).toBe(0);
    assertOneNote(run.stderr);
    const subjects = (JSON.parse(run.stdout) as { changes: Array<{ subject: string }> }).changes.map((c) => c.subject);
    expect(subjects).toContain("fourth");
    expect(subjects).toContain("first");
  });

  it("a healthy repository says nothing", () => {
    const repo = new Repo();
    repo.commit({ write: { "src/importer.ts": IMPORTER, "CLAUDE.md": "# Rules\n\n- Use `UserImporter`.\n" } });
    repo.commit({ write: { "src/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter") } });
    const run = runCli(["--drift", "--format", "json"], repo.dir, { HARNESS_LINT_NO_RUN_CACHE: "1" });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
  });
});
