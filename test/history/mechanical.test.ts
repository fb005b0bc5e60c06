import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { traceProvenance, unlinkedItems, type ProvenanceHistory } from "../../src/history/provenance.js";
import { fixupTarget, mentionRewrites, noneDeclaration, revertedCommit } from "../../src/history/mechanical.js";
import { config, pm, Repo } from "./history-repo.js";
import { traceJson } from "../../src/commands/trace.js";

// Mechanical changes need no post-mortem (SPEC section 6), and each exemption is recognised, not
// guessed: every case below has a twin that looks alike and must still be reported.

const PM1 = "docs/postmortems/pm-1.md";
const rules = (money: string, imports = "Use `UserImporter` for CSV files.") => `# Project\n\n## Money\n${money}\n\n## Imports\n${imports}\n`;

/** Unlinked item changes, and exemptions, by commit subject. */
function verdicts(history: ProvenanceHistory): Record<string, { unlinked: string[]; exempt: string[] }> {
  const out: Record<string, { unlinked: string[]; exempt: string[] }> = {};
  for (const commit of history.commits) {
    if (commit.items.length === 0) continue;
    out[commit.subject] = {
      unlinked: unlinkedItems(commit).map((i) => i.ref),
      exempt: commit.items.flatMap((i) => (i.exemption ? [`${i.ref}:${i.exemption.kind}`] : [])),
    };
  }
  return out;
}

describe("mechanical changes, recognised", () => {
  it("reads none, revert and fixup messages", () => {
    expect(noneDeclaration("none -- typo fix")).toEqual({ reason: "typo fix" });
    expect(noneDeclaration("None: reworded for clarity")).toEqual({ reason: "reworded for clarity" });
    expect(noneDeclaration("none")).toEqual({ reason: "" });
    expect(noneDeclaration("none-such-pm")).toBeNull();
    expect(noneDeclaration("PM-0001")).toBeNull();
    expect(revertedCommit('Revert "x"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n')).toBe("0123456789abcdef0123456789abcdef01234567");
    expect(revertedCommit("Revert the money rule\n\nIt was wrong.")).toBeNull();
    expect(fixupTarget("fixup! Tighten money")).toBe("Tighten money");
    expect(fixupTarget("squash! fixup! Tighten money")).toBe("Tighten money");
    expect(fixupTarget("amend! abc1234")).toBe("abc1234");
    expect(fixupTarget("fix: Tighten money")).toBeNull();
  });

  it("sees a rewrite of mentions only, and nothing when other words change", () => {
    const rule = (text: string) => ({
      kind: "rule" as const,
      ref: "r",
      file: "CLAUDE.md",
      format: "claude" as const,
      title: "r",
      span: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
      text,
      scope: { kind: "none" as const, globs: [] },
      scopeProblems: [],
      mentions: [],
    });
    expect(mentionRewrites(rule("Use `UserImporter` now."), rule("Use `AccountImporter` now."))).toEqual([{ from: "UserImporter", to: "AccountImporter", kind: "symbol" }]);
    expect(mentionRewrites(rule("See `src/a.ts:12`."), rule("See `src/b.ts:12`."))).toEqual([{ from: "src/a.ts", to: "src/b.ts", kind: "path" }]);
    expect(mentionRewrites(rule("Use `UserImporter` now."), rule("Use `AccountImporter` always."))).toBeNull();
    expect(mentionRewrites(rule("Use cents now."), rule("Use dollars now."))).toBeNull();
  });

  it("exempts each mechanical change in --base history and still reports its look-alike", async () => {
    const repo = new Repo();
    repo.commit({
      message: "root",
      write: { "CLAUDE.md": rules("Use integer cents."), "src/importer.ts": "export class UserImporter {}\n", [PM1]: pm({ id: "PM-1" }) },
    });
    const base = repo.head();
    // Post-Mortem: none, with and without a reason.
    repo.commit({ message: "Fix a typo\n\nPost-Mortem: none -- typo in the money rule", write: { "CLAUDE.md": rules("Use integer cent.") } });
    repo.commit({ message: "Fix another typo\n\nPost-Mortem: none", write: { "CLAUDE.md": rules("Use integer cents.") } });
    // A rename in code, then the rule rewritten to the new name (what --fix writes) ...
    repo.commit({ message: "refactor: rename importer", write: { "src/importer.ts": "export class AccountImporter {}\n" } });
    repo.commit({ message: "Rename in rules", write: { "CLAUDE.md": rules("Use integer cents.", "Use `AccountImporter` for CSV files.") } });
    // ... and a rewrite to a name history does not give, and a rename plus a real edit.
    repo.commit({ message: "Other name", write: { "CLAUDE.md": rules("Use integer cents.", "Use `CsvReader` for CSV files.") } });
    repo.commit({ message: "Back to the right name, with an edit", write: { "CLAUDE.md": rules("Use integer cents.", "Use `AccountImporter` for every file.") } });
    // A linked change, reverted; an unlinked change, reverted; a "revert" that edits its own way.
    const linked = repo.commit({ message: "Tighten money\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": rules("Use integer cents only.", "Use `AccountImporter` for every file.") } });
    repo.git(["revert", "--no-edit", linked]);
    const unlinked = repo.commit({ message: "Loosen money", write: { "CLAUDE.md": rules("Use cents, roughly.", "Use `AccountImporter` for every file.") } });
    repo.git(["revert", "--no-edit", unlinked]);
    repo.commit({
      message: `Revert "Tighten money"\n\nThis reverts commit ${linked}.`,
      write: { "CLAUDE.md": rules("Use floats for money.", "Use `AccountImporter` for every file.") },
    });
    // A fixup of a linked commit, and a fixup of an unlinked one.
    repo.commit({ message: "Money wording\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": rules("Use integer cents everywhere.", "Use `AccountImporter` for every file.") } });
    repo.commit({ message: "fixup! Money wording", write: { "CLAUDE.md": rules("Use integer cents everywhere!", "Use `AccountImporter` for every file.") } });
    repo.commit({ message: "Imports wording", write: { "CLAUDE.md": rules("Use integer cents everywhere!", "Use `AccountImporter` for all files.") } });
    repo.commit({ message: "fixup! Imports wording", write: { "CLAUDE.md": rules("Use integer cents everywhere!", "Use `AccountImporter` for all the files.") } });
    // The hooks init --hooks writes, then a hook line of someone's own.
    repo.commit({ message: "Install hooks", write: { ".husky/pre-commit": "npx --no-install harness-lint --staged\n", ".husky/commit-msg": 'npx --no-install harness-lint commit-msg "$1"\n' } });
    repo.commit({ message: "Own hook line", write: { ".husky/pre-commit": "npx --no-install harness-lint --staged\nrm -rf build\n" } });

    const history = await traceProvenance(repo.dir, config(), { revisions: ["HEAD", `^${base}`], allCommits: true });
    const v = verdicts(history);
    expect(v["Fix a typo"]).toEqual({ unlinked: [], exempt: ["CLAUDE.md#money:none"] });
    expect(v["Fix another typo"]!.unlinked).toEqual(["CLAUDE.md#money"]);
    expect(history.commits.find((c) => c.subject === "Fix a typo")!.none).toEqual({ reason: "typo in the money rule" });
    expect(v["Rename in rules"]).toEqual({ unlinked: [], exempt: ["CLAUDE.md#imports:rename"] });
    expect(v["Other name"]!.unlinked).toEqual(["CLAUDE.md#imports"]);
    expect(v["Back to the right name, with an edit"]!.unlinked).toEqual(["CLAUDE.md#imports"]);
    expect(v['Revert "Tighten money"']).toBeDefined();
    const reverts = history.commits.filter((c) => c.subject === 'Revert "Tighten money"');
    expect(reverts.map((c) => unlinkedItems(c).map((i) => i.ref))).toEqual([["CLAUDE.md#money"], []]);
    expect(v['Revert "Loosen money"']!.unlinked).toEqual(["CLAUDE.md#money"]);
    expect(v["fixup! Money wording"]).toEqual({ unlinked: [], exempt: ["CLAUDE.md#money:fixup"] });
    expect(v["fixup! Imports wording"]!.unlinked).toEqual(["CLAUDE.md#imports"]);
    expect(v["Install hooks"]).toEqual({ unlinked: [], exempt: [".husky/commit-msg:hooks", ".husky/pre-commit:hooks"].sort() });
    expect(v["Own hook line"]!.unlinked).toEqual([".husky/pre-commit"]);
    // trace --format json carries the reason and each exemption.
    const json = traceJson(history.commits);
    expect(json.changes.find((c) => c.subject === "Fix a typo")).toMatchObject({ none: { reason: "typo in the money rule" }, items: [{ ref: "CLAUDE.md#money", exemption: { kind: "none" } }] });
    expect(json.changes.find((c) => c.subject === "Rename in rules")!.items[0]!.exemption).toEqual({ kind: "rename", renames: [{ from: "UserImporter", to: "AccountImporter" }] });
  }, 120_000);
});

describe("a rule rewrite of a name the code still has", () => {
  it("is no --fix rename, and history is not searched for it (counted: no -G pass)", async () => {
    const repo = new Repo();
    repo.commit({ message: "root", write: { "CLAUDE.md": rules("Use integer cents."), "src/importer.ts": "export class UserImporter {}\nexport class CsvReader {}\n" } });
    const base = repo.head();
    // UserImporter is renamed in code, CsvReader stays; the rule is rewritten from each.
    repo.commit({ message: "refactor: rename importer", write: { "src/importer.ts": "export class AccountImporter {}\nexport class CsvReader {}\n" } });
    repo.commit({ message: "Rename in rules", write: { "CLAUDE.md": rules("Use integer cents.", "Use `AccountImporter` for CSV files.") } });
    repo.commit({ message: "Reader in rules", write: { "CLAUDE.md": rules("Use integer cents.", "Use `AccountImporter` and `CsvParser` for CSV files.") } });
    repo.commit({ message: "Reader back", write: { "CLAUDE.md": rules("Use integer cents.", "Use `AccountImporter` and `CsvReader` for CSV files.") } });
    repo.commit({ message: "Reader renamed in rules", write: { "CLAUDE.md": rules("Use integer cents.", "Use `AccountImporter` and `CsvParser` for CSV files.") } });
    const trace = join(mkdtempSync(join(tmpdir(), "hl-mech-trace-")), "events");
    const saved = process.env.GIT_TRACE2_EVENT;
    process.env.GIT_TRACE2_EVENT = trace;
    let history: ProvenanceHistory;
    try {
      history = await traceProvenance(repo.dir, config(), { revisions: ["HEAD", `^${base}`], allCommits: true });
    } finally {
      if (saved === undefined) delete process.env.GIT_TRACE2_EVENT;
      else process.env.GIT_TRACE2_EVENT = saved;
    }
    const v = verdicts(history);
    expect(v["Rename in rules"]).toEqual({ unlinked: [], exempt: ["CLAUDE.md#imports:rename"] });
    // CsvReader is still declared at HEAD: rewriting it is an edit, not what --fix writes.
    expect(v["Reader renamed in rules"]!.unlinked).toEqual(["CLAUDE.md#imports"]);
    const events = existsSync(trace) ? readFileSync(trace, "utf8").split("\n").filter(Boolean) : [];
    rmSync(join(trace, ".."), { recursive: true, force: true });
    const searches = events
      .map((line) => JSON.parse(line) as { event: string; argv?: string[] })
      .filter((event) => event.event === "start" && event.argv?.includes("log") === true && event.argv.some((arg) => arg.startsWith("-G")));
    // One drift pass asks about UserImporter; none about CsvReader.
    expect(searches.every((event) => !event.argv!.some((arg) => arg.includes("CsvReader")))).toBe(true);
  }, 120_000);
});

describe("commit-msg applies the same judgement to the staged change", () => {
  async function hook(repo: Repo, files: Record<string, string>, message: string) {
    const { writeFileSync, mkdirSync } = await import("node:fs");
    const { dirname, join } = await import("node:path");
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(repo.dir, path)), { recursive: true });
      writeFileSync(join(repo.dir, path), text);
      repo.git(["add", "--", path]);
    }
    writeFileSync(join(repo.dir, ".git", "COMMIT_EDITMSG"), message);
    const { runCommitMsg } = await import("../../src/commands/commit-msg.js");
    return runCommitMsg({ cwd: repo.dir, file: ".git/COMMIT_EDITMSG" });
  }
  const start = () => {
    const repo = new Repo();
    repo.commit({ message: "root", write: { "CLAUDE.md": rules("Use integer cents."), "src/importer.ts": "export class UserImporter {}\n", [PM1]: pm({ id: "PM-1" }) } });
    return repo;
  };

  it("passes none with a reason, and says a bare none needs one", async () => {
    const repo = start();
    expect((await hook(repo, { "CLAUDE.md": rules("Use integer cent.") }, "Typo\n\nPost-Mortem: none -- typo\n")).code).toBe(0);
    const bare = await hook(repo, { "CLAUDE.md": rules("Use integer cent.") }, "Typo\n\nPost-Mortem: none\n");
    expect(bare.code).toBe(1);
    expect(bare.output).toContain("`Post-Mortem: none` needs a reason");
    expect(bare.output).not.toContain("names no post-mortem");
  });

  it("passes a rename history explains, not a rewrite to another name", async () => {
    const repo = start();
    repo.commit({ message: "refactor: rename", write: { "src/importer.ts": "export class AccountImporter {}\n" } });
    expect((await hook(repo, { "CLAUDE.md": rules("Use integer cents.", "Use `AccountImporter` for CSV files.") }, "Fix names\n")).code).toBe(0);
    expect((await hook(repo, { "CLAUDE.md": rules("Use integer cents.", "Use `CsvReader` for CSV files.") }, "Fix names\n")).code).toBe(1);
  });

  it("passes a rename staged with the code it follows (what --staged --fix writes), not a rename the code does not make", async () => {
    const repo = start();
    const both = { "src/importer.ts": "export class AccountImporter {}\n", "CLAUDE.md": rules("Use integer cents.", "Use `AccountImporter` for CSV files.") };
    expect((await hook(repo, both, "refactor: rename the importer\n")).code).toBe(0);
    repo.git(["reset", "-q", "--hard"]);
    const other = { "src/importer.ts": "export class AccountImporter {}\n", "CLAUDE.md": rules("Use integer cents.", "Use `CsvImporter` for CSV files.") };
    expect((await hook(repo, other, "refactor: rename the importer\n")).code).toBe(1);
  });

  it("passes init's hook lines, not a hook line of one's own", async () => {
    const repo = start();
    expect((await hook(repo, { ".githooks/pre-commit": "#!/bin/sh\nnpx --no-install harness-lint --staged\n" }, "hooks\n")).code).toBe(0);
    expect((await hook(repo, { ".githooks/pre-commit": "#!/bin/sh\nnpx --no-install harness-lint --staged\ncurl x | sh\n" }, "hooks\n")).code).toBe(1);
  });

  it("passes a fixup of a commit HEAD reaches, and the inverse of a linked commit", async () => {
    const repo = start();
    const linked = repo.commit({ message: "Tighten money\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": rules("Use integer cents only.") } });
    expect((await hook(repo, { "CLAUDE.md": rules("Use integer cents, only.") }, "fixup! Tighten money\n")).code).toBe(0);
    expect((await hook(repo, { "CLAUDE.md": rules("Use integer cents, only.") }, "fixup! Something never committed\n")).code).toBe(1);
    repo.git(["reset", "-q", "--hard"]);
    const revert = `Revert "Tighten money"\n\nThis reverts commit ${linked}.\n`;
    expect((await hook(repo, { "CLAUDE.md": rules("Use integer cents.") }, revert)).code).toBe(0);
    expect((await hook(repo, { "CLAUDE.md": rules("Use floats.") }, revert)).code).toBe(1);
  });
});
