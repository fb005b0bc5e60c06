import { describe, expect, it } from "vitest";
import { runReview, type ReviewJson } from "../../src/commands/review.js";
import { UserError } from "../../src/shared/errors.js";
import { CLAUDE, emptyRepo, pm, Repo } from "./history-repo.js";

const NOW = new Date("2026-10-30T00:00:00Z");

function quarter(): Repo {
  const repo = new Repo();
  const v1 = CLAUDE + "\n## Tests\nRun them.\n";
  repo.commit({ message: "root", date: "2026-07-15T12:00:00Z", write: { "CLAUDE.md": v1 } });
  // PM-1 (literal-rule) lands its change in 2 days; PM-2 (literal-rule again, 10 days later) lands late.
  repo.commit({
    message: "pm-1",
    date: "2026-09-01T12:00:00Z",
    write: { "docs/postmortems/pm-1.md": pm({ id: "PM-1", date: "2026-09-01", pattern: "literal-rule", trigger: "redo", changes: ["CLAUDE.md#money"] }) },
  });
  const v2 = v1.replace("cents", "cents only");
  repo.commit({ message: "money\n\nPost-Mortem: PM-1", date: "2026-09-03T12:00:00Z", write: { "CLAUDE.md": v2 } });
  repo.commit({
    message: "pm-2",
    date: "2026-09-11T12:00:00Z",
    write: { "docs/postmortems/pm-2.md": pm({ id: "PM-2", date: "2026-09-11", pattern: "literal-rule", trigger: "repeat", changes: ["CLAUDE.md#money", "tests"] }) },
  });
  const v3 = v2.replace("cents only", "cents, never floats");
  repo.commit({ message: "money again\n\nPost-Mortem: PM-2", date: "2026-09-25T12:00:00Z", write: { "CLAUDE.md": v3 } });
  // PM-3 (a different pattern) never lands; an unrelated commit changes a rule with no post-mortem.
  repo.commit({
    message: "pm-3",
    date: "2026-10-01T12:00:00Z",
    write: { "docs/postmortems/pm-3.md": pm({ id: "PM-3", date: "2026-10-01", pattern: "unfamiliar-area", trigger: "near-miss", changes: ["CLAUDE.md#orient-before-editing"] }) },
  });
  repo.commit({ message: "drive-by", date: "2026-10-02T12:00:00Z", write: { "CLAUDE.md": v3.replace("Run them.", "Run them all.") } });
  // Outside the window: an old post-mortem is not reviewed.
  repo.commit({ message: "old pm", date: "2026-10-03T12:00:00Z", write: { "docs/postmortems/pm-0.md": pm({ id: "PM-0", date: "2026-05-01", pattern: "escalation" }) } });
  return repo;
}

describe("review", () => {
  it("reads the quarter: patterns, repeats, shared items, landing and unlinked changes, each with a verdict", async () => {
    const repo = quarter();
    const review = JSON.parse((await runReview({ cwd: repo.dir, format: "json", now: NOW })).output) as ReviewJson;
    expect(review.window).toEqual({ since: "2026-08-01", until: "2026-10-30" });
    expect(review.postmortems.map((p) => p.ref)).toEqual(["PM-1", "PM-2", "PM-3"]);
    expect(review.byPattern).toEqual({ "literal-rule": 2, "unfamiliar-area": 1 });
    expect(review.byTrigger).toEqual({ "near-miss": 1, redo: 1, repeat: 1 });
    expect(review.repeatedPatterns).toEqual([{ pattern: "literal-rule", postmortems: ["PM-1", "PM-2"], days: 10 }]);
    expect(review.itemsChangedByMany).toEqual([{ item: "CLAUDE.md#money", postmortems: ["PM-1", "PM-2"] }]);
    expect(review.landing.map((l) => [l.postmortem, l.changes.map((c) => [c.ref, c.status, c.days])])).toEqual([
      ["PM-1", [["CLAUDE.md#money", "landed", 2]]],
      [
        "PM-2",
        [
          ["CLAUDE.md#money", "late", 14],
          ["tests", "late", 21],
        ],
      ],
      ["PM-3", [["CLAUDE.md#orient-before-editing", "missing", undefined]]],
    ]);
    expect(review.unlinked.map((u) => [u.subject, u.items])).toEqual([["drive-by", [{ ref: "CLAUDE.md#tests", change: "modified" }]]]);
    expect(review.verdicts.landing).toBe("1 post-mortem with changes that never landed, 1 landed late (more than 7 days after the post-mortem).");
  });

  it("credits a change to the commit that links the post-mortem, not an earlier commit that day; lists changes declared none", async () => {
    const repo = new Repo();
    repo.commit({ message: "root", date: "2026-09-01T09:00:00Z", write: { "CLAUDE.md": CLAUDE } });
    repo.commit({ message: "pm", date: "2026-09-09T09:00:00Z", write: { "docs/postmortems/pm-1.md": pm({ id: "PM-1", date: "2026-09-10", changes: ["CLAUDE.md#money"] }) } });
    // The same day as the post-mortem: first an unrelated edit of the item, then the linked one.
    repo.commit({ message: "drive-by\n\nPost-Mortem: none -- typo", date: "2026-09-10T09:00:00Z", write: { "CLAUDE.md": CLAUDE.replace("cents", "cent") } });
    const linked = repo.commit({ message: "money\n\nPost-Mortem: PM-1", date: "2026-09-12T15:00:00Z", write: { "CLAUDE.md": CLAUDE.replace("cents", "cents only") } });
    const review = JSON.parse((await runReview({ cwd: repo.dir, format: "json", now: NOW })).output) as ReviewJson;
    expect(review.landing[0]!.changes[0]).toMatchObject({ ref: "CLAUDE.md#money", status: "landed", commit: linked, days: 2 });
    expect(review.withoutPostmortem.map((c) => [c.subject, c.reason])).toEqual([["drive-by", "typo"]]);
    expect((await runReview({ cwd: repo.dir, now: NOW })).output).toContain("no post-mortem, because typo");
  });

  it("writes Markdown that reads well on GitHub: a verdict table, then one section each", async () => {
    const repo = quarter();
    const { output, code } = await runReview({ cwd: repo.dir, now: NOW });
    expect(code).toBe(0);
    expect(output).toMatch(/^# Harness review, 2026-08-01 to 2026-10-30\n\n\| Section \| Verdict \|\n\|---\|---\|\n/);
    for (const heading of ["## Post-mortems", "## Repeated patterns", "## Items changed by several post-mortems", "## Changes landed", "## Unlinked changes"]) {
      expect(output).toContain(`\n${heading}\n\n**`);
    }
    expect(output).toContain("| `PM-3` | 2026-10-01 | `CLAUDE.md#orient-before-editing` | **never landed** |  |");
  });

  it("accepts weeks and dates for --since, and refuses anything else", async () => {
    const repo = quarter();
    const weeks = JSON.parse((await runReview({ cwd: repo.dir, since: "6w", format: "json", now: NOW })).output) as ReviewJson;
    expect(weeks.postmortems.map((p) => p.ref)).toEqual(["PM-3"]);
    const dated = JSON.parse((await runReview({ cwd: repo.dir, since: "2026-09-10", format: "json", now: NOW })).output) as ReviewJson;
    expect(dated.postmortems.map((p) => p.ref)).toEqual(["PM-2", "PM-3"]);
    await expect(runReview({ cwd: repo.dir, since: "a quarter", now: NOW })).rejects.toThrow(UserError);
  });

  it("reviews an empty repository without failing", async () => {
    const review = JSON.parse((await runReview({ cwd: emptyRepo(), format: "json", now: NOW })).output) as ReviewJson;
    expect(review.postmortems).toEqual([]);
    expect(review.verdicts.postmortems).toContain("No post-mortems in this window");
  });
});
