import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTrace, type TraceJson } from "../../src/commands/trace.js";
import { UserError } from "../../src/shared/errors.js";
import { CLAUDE, emptyRepo, pm, Repo, runGit } from "./history-repo.js";

const PM1 = "docs/postmortems/pm-1.md";

function history(): { repo: Repo; shas: string[] } {
  const repo = new Repo();
  const shas = [
    repo.commit({ message: "root\n\nPost-Mortem: PM-1", date: "2026-09-01T12:00:00Z", write: { "CLAUDE.md": CLAUDE, [PM1]: pm({ id: "PM-1", date: "2026-08-30" }) } }),
    repo.commit({ message: "unlinked money", date: "2026-09-02T12:00:00Z", write: { "CLAUDE.md": CLAUDE.replace("cents", "cents only") } }),
    repo.commit({ message: "code", date: "2026-09-03T12:00:00Z", write: { "src/a.ts": "export {};\n" } }),
    repo.commit({
      message: "tests rule",
      date: "2026-09-04T12:00:00Z",
      write: { "CLAUDE.md": CLAUDE.replace("cents", "cents only") + "\n## Tests\nRun them.\n", "docs/postmortems/pm-2.md": pm({ id: "PM-2", date: "2026-09-03", changes: ["CLAUDE.md#tests"] }) },
    }),
  ];
  return { repo, shas };
}

async function json(options: Parameters<typeof runTrace>[0]): Promise<TraceJson> {
  const result = await runTrace({ ...options, format: "json" });
  expect(result.code).toBe(0);
  return JSON.parse(result.output) as TraceJson;
}

describe("trace", () => {
  it("prints SPEC section 8's JSON: every commit that changed an item, newest first", async () => {
    const { repo, shas } = history();
    expect(await json({ cwd: repo.dir })).toEqual({
      version: 1,
      changes: [
        { commit: shas[3], date: "2026-09-04", subject: "tests rule", items: [{ ref: "CLAUDE.md#tests", change: "added" }], postmortems: [{ ref: "PM-2", via: "same-commit" }] },
        { commit: shas[1], date: "2026-09-02", subject: "unlinked money", items: [{ ref: "CLAUDE.md#money", change: "modified" }], postmortems: [] },
        {
          commit: shas[0],
          date: "2026-09-01",
          subject: "root",
          items: [
            { ref: "CLAUDE.md#orient-before-editing", change: "added" },
            { ref: "CLAUDE.md#money", change: "added" },
          ],
          postmortems: [{ ref: "PM-1", via: "trailer" }],
        },
      ],
    });
  });

  it("narrows to unlinked changes, to one item, and to a date or a commit", async () => {
    const { repo, shas } = history();
    expect((await json({ cwd: repo.dir, unlinked: true })).changes.map((c) => c.subject)).toEqual(["unlinked money"]);
    expect((await json({ cwd: repo.dir, item: "CLAUDE.md#money" })).changes.map((c) => [c.subject, c.items.length])).toEqual([
      ["unlinked money", 1],
      ["root", 1],
    ]);
    expect((await json({ cwd: repo.dir, item: "tests" })).changes.map((c) => c.subject)).toEqual(["tests rule"]);
    expect((await json({ cwd: repo.dir, since: "2026-09-02" })).changes.map((c) => c.subject)).toEqual(["tests rule", "unlinked money"]);
    expect((await json({ cwd: repo.dir, since: shas[1]!.slice(0, 8) })).changes.map((c) => c.subject)).toEqual(["tests rule"]);
  });

  it("prints a table with the post-mortem, how it is linked and the days from its date", async () => {
    const { repo } = history();
    const { output } = await runTrace({ cwd: repo.dir });
    const lines = output.split("\n");
    expect(lines[0]).toMatch(/^DATE\s+COMMIT\s+SUBJECT\s+ITEMS\s+POST-MORTEM\s+LINKED BY\s+DAYS$/);
    expect(output).toMatch(/2026-09-04 {2}[0-9a-f]{7} {2}tests rule\s+\+1 ~0 -0 {2}PM-2\s+same-commit\s+1\n/);
    expect(output).toMatch(/unlinked money\s+\+0 ~1 -0 {2}none\n\s+~ CLAUDE.md#money {3}<- no post-mortem\n/);
    expect(output).toMatch(/root\s+\+2 ~0 -0 {2}PM-1\s+trailer\s+2\n/);
    expect(lines.at(-2)).toContain("1 commit left 1 item change without a post-mortem");
  });

  it("says so when there is no history, and refuses bad options in one line", async () => {
    expect((await runTrace({ cwd: emptyRepo() })).output).toBe("No commit changed a harness item.\n");
    const { repo } = history();
    await expect(runTrace({ cwd: repo.dir, since: "last-tuesday" })).rejects.toThrow(/--since last-tuesday is neither a date/);
    await expect(runTrace({ cwd: repo.dir, since: "-n1" })).rejects.toThrow(UserError);
    await expect(runTrace({ cwd: repo.dir, format: "sarif" })).rejects.toThrow(/expected stylish or json/);
  });

  it("in a shallow clone, leaves out the commit where history was cut instead of reading it as adding everything", async () => {
    const { repo, shas } = history();
    const clone = emptyRepo();
    runGit(clone, ["fetch", "-q", "--depth=2", `file://${repo.dir}`, "main"]);
    runGit(clone, ["checkout", "-q", "FETCH_HEAD"]);
    expect((await json({ cwd: clone })).changes.map((c) => c.commit)).toEqual([shas[3]]);
    expect((await runTrace({ cwd: clone })).output).toContain("shallow clone");
  });
});

describe("trace: versions parsed by an earlier run", () => {
  const versionsFile = (dir: string) => join(dir, ".git", "harness-lint", "versions-v1.json");

  it("are kept under .git and give the same trace; a damaged or foreign file is ignored", async () => {
    const { repo } = history();
    const cold = await json({ cwd: repo.dir });
    expect(existsSync(versionsFile(repo.dir))).toBe(true);
    const stored = JSON.parse(readFileSync(versionsFile(repo.dir), "utf8")) as { build: string; entries: Record<string, unknown> };
    expect(Object.keys(stored.entries).some((key) => key.startsWith("items\0") && key.includes("CLAUDE.md"))).toBe(true);
    expect(Object.keys(stored.entries).some((key) => key.startsWith("postmortem\0"))).toBe(true);
    expect(await json({ cwd: repo.dir })).toEqual(cold);

    // An entry that claims other items is believed only from this build.
    const poisoned = Object.fromEntries(Object.entries(stored.entries).map(([key, value]) => [key, key.startsWith("items\0") ? { items: [], derived: false } : value]));
    writeFileSync(versionsFile(repo.dir), JSON.stringify({ build: "another build", entries: poisoned }));
    expect(await json({ cwd: repo.dir })).toEqual(cold);
    writeFileSync(versionsFile(repo.dir), "{damaged");
    expect(await json({ cwd: repo.dir })).toEqual(cold);
    expect(() => JSON.parse(readFileSync(versionsFile(repo.dir), "utf8"))).not.toThrow();
  });

  it("keep subsection anchors: a post-mortem citing an H3 inside a rule links the same way warm", async () => {
    const repo = new Repo();
    repo.commit({ message: "root", date: "2026-09-01T12:00:00Z", write: { "CLAUDE.md": CLAUDE } });
    repo.commit({
      message: "flaky rule",
      date: "2026-09-02T12:00:00Z",
      write: {
        "CLAUDE.md": `${CLAUDE}\n## Testing\nRun them.\n\n### Flaky suites\nRetry twice.\n`,
        "docs/postmortems/pm-3.md": pm({ id: "PM-3", date: "2026-09-01", changes: ["CLAUDE.md#flaky-suites"] }),
      },
    });
    const linked = (trace: TraceJson) => trace.changes.find((c) => c.subject === "flaky rule")?.postmortems;
    const cold = await json({ cwd: repo.dir });
    expect(linked(cold)).toEqual([{ ref: "PM-3", via: "same-commit" }]);
    expect(await json({ cwd: repo.dir })).toEqual(cold);
  });

  it("follow new commits: only the new versions are parsed, and they join the trace", async () => {
    const { repo } = history();
    await json({ cwd: repo.dir });
    const sha = repo.commit({ message: "later", date: "2026-09-05T12:00:00Z", write: { "CLAUDE.md": `${CLAUDE}\n## Later\nA later rule.\n` } });
    const warm = await json({ cwd: repo.dir });
    rmSync(join(repo.dir, ".git", "harness-lint"), { recursive: true, force: true });
    expect(await json({ cwd: repo.dir })).toEqual(warm);
    expect(warm.changes[0]?.commit).toBe(sha);
  });
});

describe("trace: moves and links (checked by hand against real harness commits)", () => {
  const items = (trace: TraceJson, sha: string) => trace.changes.find((c) => c.commit === sha)?.items ?? [];

  it("leaves out files that only moved, identical ones too, and lists them when one item's history is asked for", async () => {
    const repo = new Repo();
    const nested = "# Crate\n\nRun the crate's tests.\n";
    repo.commit({ write: { "CLAUDE.md": CLAUDE, "a/CLAUDE.md": nested, "b/CLAUDE.md": nested } });
    // Two files with the same text move: git pairs them, their bodies alone could not.
    const moved = repo.commit({
      rename: [
        ["a/CLAUDE.md", "crates/a/CLAUDE.md"],
        ["b/CLAUDE.md", "crates/b/CLAUDE.md"],
      ],
      message: "move crates",
    });
    const trace = await json({ cwd: repo.dir });
    expect(trace.changes.map((c) => c.subject)).not.toContain("move crates");
    expect(items(await json({ cwd: repo.dir, item: "crates/a/CLAUDE.md" }), moved)).toEqual([{ ref: "crates/a/CLAUDE.md", change: "modified" }]);
  });

  it("reports a moved file's edited section as modified, and its untouched sections not at all", async () => {
    const repo = new Repo();
    repo.commit({ write: { "CLAUDE.md": CLAUDE } });
    repo.commit({ rename: [["CLAUDE.md", "AGENTS.md"]], message: "rename" });
    const edited = repo.commit({ write: { "AGENTS.md": CLAUDE.replace("cents", "cents only") }, message: "edit" });
    expect(items(await json({ cwd: repo.dir }), edited)).toEqual([{ ref: "AGENTS.md#money", change: "modified" }]);

    const both = new Repo();
    both.commit({ write: { "CLAUDE.md": CLAUDE } });
    both.git(["mv", "CLAUDE.md", "AGENTS.md"]);
    const sha = both.commit({ write: { "AGENTS.md": CLAUDE.replace("cents", "cents only") }, message: "move and edit" });
    expect(items(await json({ cwd: both.dir }), sha)).toEqual([{ ref: "AGENTS.md#money", change: "modified" }]);
  });

  it("reads a symbolic link as no items of its own: adding one adds nothing, a file turned into one loses its items", async () => {
    const repo = new Repo();
    const root = repo.commit({ write: { "AGENTS.md": CLAUDE, "CLAUDE.md": "# Old\n\nSee the agents file.\n" } });
    rmSync(join(repo.dir, "CLAUDE.md"));
    symlinkSync("AGENTS.md", join(repo.dir, "CLAUDE.md"));
    symlinkSync("AGENTS.md", join(repo.dir, "GEMINI.md"));
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "link the agent files"]);
    const linked = repo.head();
    const trace = await json({ cwd: repo.dir });
    expect(items(trace, linked)).toEqual([{ ref: "CLAUDE.md", change: "removed" }]);
    expect(items(trace, root).map((i) => i.ref)).not.toContain("GEMINI.md");
    repo.commit({ remove: ["GEMINI.md"], message: "drop a link" });
    expect((await json({ cwd: repo.dir })).changes.map((c) => c.subject)).not.toContain("drop a link");
  });
});
