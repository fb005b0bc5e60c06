import { describe, expect, it } from "vitest";
import type { JsonFinding } from "../helpers/cli.js";
import { runScenario } from "../helpers/fixtures.js";

const PM = "docs/postmortems/";

function at(findings: JsonFinding[], file: string, line: number): JsonFinding {
  const found = findings.filter((f) => f.file === PM + file && f.line === line);
  expect(found, `one finding at ${file}:${line}`).toHaveLength(1);
  return found[0]!;
}

describe("dangling-citation", () => {
  it("fires exactly on refs and links that name nothing (checks/dangling-citation)", async () => {
    const { expected, actual, findings } = await runScenario("checks/dangling-citation");
    expect(actual).toEqual(expected);
    expect(findings.every((f) => f.severity === "error")).toBe(true);

    // `changes`: a missing anchor, a missing file, each named in the message, at the entry's columns.
    expect(at(findings, "2026-10-01-anchors.md", 5)).toMatchObject({
      mention: "CLAUDE.md#gone",
      column: 5,
      endColumn: 19,
      message: expect.stringContaining("`CLAUDE.md` has no rule or hook at `#gone`"),
    });
    expect(at(findings, "2026-10-01-anchors.md", 6).message).toContain("`OLD.md` does not exist");
    // Bare ids: ambiguous lists the candidates; unknown names nothing; a unique anchor (`orient`) resolves.
    expect(at(findings, "2026-10-02-ids.md", 5)).toMatchObject({ mention: "testing", message: expect.stringContaining("2 items carry: CLAUDE.md#testing, src/billing/AGENTS.md#testing") });
    expect(at(findings, "2026-10-02-ids.md", 7).message).toContain("names no rule or hook");
    expect(at(findings, "2026-10-02-ids.md", 5).message).toContain("post-mortem PM-0002");
    // Two post-mortems with one id: each is reported, naming the other.
    expect(at(findings, "2026-10-07-twin-a.md", 1)).toMatchObject({ mention: "PM-0100", message: expect.stringContaining("also the id of docs/postmortems/2026-10-07-twin-b.md") });
    // Per-file rule paths.
    expect(at(findings, "2026-10-03-files.md", 5).mention).toBe(".cursor/rules/gone.mdc");
    // Hooks: `<file>#<Event>` names every hook of that event; a missing event or hook file dangles.
    expect(at(findings, "2026-10-06-hooks.md", 5)).toMatchObject({ mention: ".claude/settings.json#PostToolUse", message: expect.stringContaining("no rule or hook at `#PostToolUse`") });
    expect(at(findings, "2026-10-06-hooks.md", 6).message).toContain("`.husky/pre-push` does not exist");
    expect(at(findings, "2026-10-06-hooks.md", 11).mention).toBe(".claude/settings.json#Stop");
    // Not items: a non-harness file, a preamble heading.
    expect(at(findings, "2026-10-04-kinds.md", 4).message).toContain("is not a harness file");
    expect(at(findings, "2026-10-04-kinds.md", 5).message).toContain("not a rule");
    // Links resolve relative to the post-mortem; the finding points at the link.
    expect(at(findings, "2026-10-05-links.md", 10)).toMatchObject({ mention: "CLAUDE.md#nope", column: 5 });
    expect(at(findings, "2026-10-05-links.md", 16).mention).toBe("src/old/AGENTS.md#x");
    expect(at(findings, "2026-10-05-links.md", 18)).toMatchObject({ mention: "docs/postmortems/2026-01-01-missing.md", message: expect.stringContaining("links to post-mortem") });

    // Links to non-harness files never dangle, even to a missing one; TEMPLATE.md and README.md are not read.
    expect(findings.map((f) => f.mention)).not.toContain("src/missing.ts");
    expect(findings.filter((f) => f.file.endsWith("TEMPLATE.md") || f.file.endsWith("README.md"))).toEqual([]);
  }, 60_000);
});
