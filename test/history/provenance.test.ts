import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Config } from "../../src/shared/config-types.js";
import { traceProvenance, unlinkedItems, unlandedPostmortems, type ProvenanceHistory } from "../../src/history/provenance.js";
import { parsePostMortem } from "../../src/harness/postmortems.js";
import { CLAUDE, config, emptyRepo, pm, Repo } from "./history-repo.js";

interface Summary {
  unlinked: string[];
  links: string[];
  dangling: string[];
}

/** What the history says about each commit that changed items or has trailers, by subject. */
function summarise(history: ProvenanceHistory): Record<string, Summary> {
  const out: Record<string, Summary> = {};
  for (const commit of history.commits) {
    if (commit.items.length === 0 && commit.dangling.length === 0) continue;
    out[commit.subject] = {
      unlinked: unlinkedItems(commit).map((i) => `${i.change} ${i.ref}`),
      links: commit.postmortems.map((l) => `${l.ref}:${l.via}`),
      dangling: commit.dangling,
    };
  }
  return out;
}

const linked = (...links: string[]): Summary => ({ unlinked: [], links, dangling: [] });
const PM1 = "docs/postmortems/pm-1.md";

describe("provenance links", () => {
  it("finds each kind of link, and reports exactly the changes that have none", async () => {
    const repo = new Repo();
    repo.commit({ message: "root", write: { "CLAUDE.md": CLAUDE, [PM1]: pm({ id: "PM-1", changes: ["CLAUDE.md#money"] }) } });
    repo.commit({ message: "trailer by id\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": CLAUDE.replace("Read the module first.", "Read the module and its tests first.") } });
    const withTests = CLAUDE.replace("Read the module first.", "Read the module and its tests first.") + "\n## Tests\nRun them.\n";
    repo.commit({
      message: "trailer by path\n\nPost-Mortem: ./docs/postmortems/pm-1.md",
      write: { "CLAUDE.md": withTests.replace("## Tests\nRun them.\n", "").replace("integer cents", "integer cents only") },
    });
    const v3 = withTests.replace("integer cents", "integer cents only");
    repo.commit({ message: "same-commit pm", write: { "CLAUDE.md": v3, "docs/postmortems/pm-2.md": pm({ id: "PM-2", changes: ["tests"] }) } });
    const v4 = v3.replace("and its tests first", "and its callers first");
    repo.commit({ message: "pm names another item", write: { "CLAUDE.md": v4, "docs/postmortems/pm-2.md": pm({ id: "PM-2", changes: ["tests", "CLAUDE.md#money"] }) } });
    const v5 = v4.replace("integer cents only", "integer cents, never floats");
    const listed = repo.commit({ message: "listed later", write: { "CLAUDE.md": v5 } });
    const v6 = v5.replace("Run them.", "Run them all.");
    const shortPrefix = repo.commit({ message: "six-char prefix", write: { "CLAUDE.md": v6 } });
    repo.commit({ message: "pm lists commits", write: { "docs/postmortems/pm-3.md": pm({ id: "PM-3", commits: [listed.slice(0, 7), shortPrefix.slice(0, 6)] }) } });
    repo.commit({ message: "whitespace only", write: { "CLAUDE.md": v6.replace("Run them all.", "Run   them\nall.") + "\n" } });
    repo.commit({ message: "code only", write: { "src/a.ts": "export const a = 1;\n" } });
    const v7 = v6.replace("callers first", "callers first, always");
    repo.commit({ message: "dangling\n\nPost-Mortem: PM-404", write: { "CLAUDE.md": v7 } });
    repo.commit({ message: "cites a pm added later\n\nPost-Mortem: PM-5", write: { "CLAUDE.md": v7.replace("never floats", "never, ever floats") } });
    repo.commit({ message: "pm-only", write: { "docs/postmortems/pm-5.md": pm({ id: "PM-5" }) } });

    const history = await traceProvenance(repo.dir, config());
    expect(summarise(history)).toEqual({
      root: { unlinked: ["added CLAUDE.md#orient-before-editing"], links: ["PM-1:same-commit"], dangling: [] },
      "trailer by id": linked("PM-1:trailer"),
      "trailer by path": linked("PM-1:trailer"),
      "same-commit pm": linked("PM-2:same-commit"),
      "pm names another item": { unlinked: ["modified CLAUDE.md#orient-before-editing"], links: [], dangling: [] },
      "listed later": linked("PM-3:listed"),
      "six-char prefix": { unlinked: ["modified CLAUDE.md#tests"], links: [], dangling: [] },
      dangling: { unlinked: ["modified CLAUDE.md#orient-before-editing"], links: [], dangling: ["PM-404"] },
      "cites a pm added later": { unlinked: ["modified CLAUDE.md#money"], links: [], dangling: ["PM-5"] },
    });
  });

  it("verifies a trailer at its own commit: a post-mortem renamed after it was cited still links", async () => {
    const repo = new Repo();
    repo.commit({ message: "root\n\nPost-Mortem: docs/postmortems/old.md", write: { "CLAUDE.md": CLAUDE, "docs/postmortems/old.md": pm({ id: "PM-7" }) } });
    repo.commit({ message: "cite by path\n\nPost-Mortem: docs/postmortems/old.md", write: { "CLAUDE.md": CLAUDE.replace("cents", "cents only") } });
    repo.commit({ message: "rename pm", rename: [["docs/postmortems/old.md", "docs/postmortems/2026-09-01-new.md"]] });
    repo.commit({ message: "cite by id after rename\n\nPost-Mortem: PM-7", write: { "CLAUDE.md": CLAUDE.replace("cents", "cents, always") } });
    repo.commit({ message: "cite old path after rename\n\nPost-Mortem: docs/postmortems/old.md", write: { "CLAUDE.md": CLAUDE.replace("cents", "cents!") } });
    expect(summarise(await traceProvenance(repo.dir, config()))).toEqual({
      root: linked("PM-7:trailer"),
      "cite by path": linked("PM-7:trailer"),
      "cite by id after rename": linked("PM-7:trailer"),
      "cite old path after rename": { unlinked: ["modified CLAUDE.md#money"], links: [], dangling: ["docs/postmortems/old.md"] },
    });
  });

  it("reads squash-style messages with several trailers, and CRLF messages", async () => {
    const repo = new Repo();
    repo.commit({ message: "root\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": CLAUDE, [PM1]: pm({ id: "PM-1" }) } });
    repo.commit({
      message: "Squashed (#12)\n\n* first\n\nPost-Mortem: PM-404\n\n* second\n\nPost-Mortem: PM-1\nCo-authored-by: B <b@c.d>",
      write: { "CLAUDE.md": CLAUDE.replace("first", "first!") },
    });
    // `-m` would let git strip the CRs; a message file with --cleanup=verbatim keeps them.
    writeFileSync(join(repo.dir, "CLAUDE.md"), CLAUDE.replace("cents", "cents only"));
    const messageFile = join(repo.dir, "..", `msg-${Date.now()}.txt`);
    writeFileSync(messageFile, "crlf message\r\n\r\nBody.\r\n\r\nPost-Mortem: PM-1\r\n");
    repo.git(["commit", "-q", "-a", "--cleanup=verbatim", "-F", messageFile], { GIT_AUTHOR_DATE: "2026-09-10T12:00:00Z", GIT_COMMITTER_DATE: "2026-09-10T12:00:00Z" });
    const history = await traceProvenance(repo.dir, config());
    expect(history.commits[0]!.message).toContain("\r\n");
    expect(summarise(history)).toEqual({
      root: linked("PM-1:trailer"),
      "Squashed (#12)": { unlinked: [], links: ["PM-1:trailer"], dangling: ["PM-404"] },
      "crlf message": linked("PM-1:trailer"),
    });
  });

  it("exempts merge commits: their branches' commits are judged one by one", async () => {
    const repo = new Repo();
    repo.commit({ message: "root\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": CLAUDE, [PM1]: pm({ id: "PM-1" }) } });
    repo.git(["checkout", "-q", "-b", "side"]);
    repo.commit({ message: "side change", write: { "src/billing/AGENTS.md": "## Cents\nInteger cents.\n" } });
    repo.git(["checkout", "-q", "main"]);
    repo.commit({ message: "main change\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": CLAUDE.replace("first", "first!") } });
    repo.git(["merge", "-q", "--no-ff", "-m", "Merge side", "side"], { GIT_AUTHOR_DATE: "2026-09-20T12:00:00Z", GIT_COMMITTER_DATE: "2026-09-20T12:00:00Z" });
    expect(summarise(await traceProvenance(repo.dir, config()))).toEqual({
      root: linked("PM-1:trailer"),
      "side change": { unlinked: ["added src/billing/AGENTS.md#cents"], links: [], dangling: [] },
      "main change": linked("PM-1:trailer"),
    });
  });

  it("reports a moved rule file under the new refs, and removed items", async () => {
    const repo = new Repo();
    repo.commit({ message: "root\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": CLAUDE, [PM1]: pm({ id: "PM-1" }) } });
    repo.commit({ message: "move\n\nPost-Mortem: PM-1", rename: [["CLAUDE.md", "AGENTS.md"]] });
    repo.commit({ message: "remove money", write: { "AGENTS.md": "# Project\n\n## Orient before editing\nRead the module first.\n" } });
    const history = await traceProvenance(repo.dir, config());
    expect(summarise(history)).toEqual({
      root: linked("PM-1:trailer"),
      move: linked("PM-1:trailer"),
      "remove money": { unlinked: ["removed AGENTS.md#money"], links: [], dangling: [] },
    });
    expect(history.commits.find((c) => c.subject === "move")!.items.map((i) => i.previousRef)).toEqual(["CLAUDE.md#orient-before-editing", "CLAUDE.md#money"]);
  });

  it("needs no link for a rule file that only moved, but does for a renamed heading", async () => {
    const repo = new Repo();
    repo.commit({ message: "root\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": CLAUDE, [PM1]: pm({ id: "PM-1" }) } });
    repo.commit({ message: "git mv", rename: [["CLAUDE.md", "AGENTS.md"]] });
    repo.commit({ message: "rename heading", write: { "AGENTS.md": CLAUDE.replace("## Money", "## Money is cents") } });
    const history = await traceProvenance(repo.dir, config());
    expect(summarise(history)).toEqual({
      root: linked("PM-1:trailer"),
      "git mv": linked(),
      "rename heading": { unlinked: ["modified AGENTS.md#money-is-cents"], links: [], dangling: [] },
    });
    expect(history.commits.find((c) => c.subject === "git mv")!.items.map((i) => [i.ref, i.previousRef, i.onlyMoved])).toEqual([
      ["AGENTS.md#orient-before-editing", "CLAUDE.md#orient-before-editing", true],
      ["AGENTS.md#money", "CLAUDE.md#money", true],
    ]);
  });

  it("has nothing to say about an empty repository", async () => {
    const history = await traceProvenance(emptyRepo(), config());
    expect(history.commits).toEqual([]);
    expect(history.headItems).toEqual([]);
  });
});

describe("provenance.since", () => {
  function build(): { repo: Repo; second: string } {
    const repo = new Repo();
    repo.commit({ message: "root", date: "2026-09-01T12:00:00Z", write: { "CLAUDE.md": CLAUDE } });
    const second = repo.commit({ message: "before adoption", date: "2026-09-02T12:00:00Z", write: { "CLAUDE.md": CLAUDE.replace("first", "first!") } });
    const v2 = CLAUDE.replace("first", "first!");
    repo.commit({ message: "old item edited", date: "2026-09-03T12:00:00Z", write: { "CLAUDE.md": v2.replace("cents", "cents only") } });
    const v3 = v2.replace("cents", "cents only") + "\n## Tests\nRun them.\n";
    repo.commit({ message: "new item", date: "2026-09-04T12:00:00Z", write: { "CLAUDE.md": v3 } });
    repo.commit({ message: "new item edited", date: "2026-09-05T12:00:00Z", write: { "CLAUDE.md": v3.replace("Run them.", "Run them all.") } });
    return { repo, second };
  }
  const expected = {
    unlinked: { "new item": ["added CLAUDE.md#tests"], "new item edited": ["modified CLAUDE.md#tests"] },
  };

  function unlinkedBySubject(history: ProvenanceHistory): Record<string, string[]> {
    return Object.fromEntries(history.commits.filter((c) => unlinkedItems(c).length > 0).map((c) => [c.subject, unlinkedItems(c).map((i) => `${i.change} ${i.ref}`)]));
  }

  it("as a date: earlier commits are not checked, and items that existed then need no link", async () => {
    const { repo } = build();
    const cfg: Config = config({ provenance: { since: "2026-09-03" } });
    const history = await traceProvenance(repo.dir, cfg);
    expect(unlinkedBySubject(history)).toEqual(expected.unlinked);
    expect(history.commits.find((c) => c.subject === "before adoption")!.checked).toBe(false);
  });

  it("as a commit: the same, from that commit on", async () => {
    const { repo, second } = build();
    const history = await traceProvenance(repo.dir, config({ provenance: { since: second } }));
    expect(unlinkedBySubject(history)).toEqual(expected.unlinked);
  });

  it("as a commit that does not exist: a one-line user error", async () => {
    const { repo } = build();
    await expect(traceProvenance(repo.dir, config({ provenance: { since: "v9.9.9" } }))).rejects.toThrow(/provenance.since "v9.9.9" names no commit/);
  });
});

describe("landing", () => {
  it("finds post-mortems whose changes never landed or landed late", async () => {
    const repo = new Repo();
    repo.commit({ message: "root", date: "2026-09-01T12:00:00Z", write: { "CLAUDE.md": CLAUDE } });
    repo.commit({ message: "orient", date: "2026-09-12T12:00:00Z", write: { "CLAUDE.md": CLAUDE.replace("first", "first!") } });
    const history = await traceProvenance(repo.dir, config());
    const on = (id: string, date: string, changes: string[]) => parsePostMortem(`docs/postmortems/${id}.md`, pm({ id, date, changes })).postmortem;
    const pms = [
      on("PM-late", "2026-09-02", ["CLAUDE.md#orient-before-editing"]),
      on("PM-ok", "2026-09-10", ["orient-before-editing"]),
      on("PM-never", "2026-09-03", ["CLAUDE.md#money"]),
      on("PM-new", "2026-09-28", ["CLAUDE.md#money"]),
    ];
    const unlanded = unlandedPostmortems(pms, history, 7, new Date("2026-09-30T00:00:00Z"));
    expect(unlanded.map((u) => [u.postmortem.id, u.changes.map((c) => [c.ref, c.status, c.landed?.days])])).toEqual([
      ["PM-late", [["CLAUDE.md#orient-before-editing", "late", 10]]],
      ["PM-never", [["CLAUDE.md#money", "missing", undefined]]],
    ]);
    expect(unlanded[0]!.postmortem).toBe(pms[0]);
  });
});
