import { describe, expect, it } from "vitest";
import type { JsonFinding } from "../helpers/cli.js";
import { runScenario } from "../helpers/fixtures.js";

const PM = "docs/postmortems/";
const of = (findings: JsonFinding[], file: string) => findings.filter((f) => f.file === PM + file);

describe("postmortem-shape", () => {
  it("fires exactly on incomplete, long or overloaded post-mortems (checks/postmortem-shape)", async () => {
    const { expected, actual, findings } = await runScenario("checks/postmortem-shape");
    expect(actual).toEqual(expected);
    expect(findings.every((f) => f.severity === "warn")).toBe(true);

    expect(of(findings, "no-date.md").map((f) => f.message)).toEqual(["post-mortem PM-NODATE has no `date:` in its frontmatter"]);
    expect(of(findings, "no-frontmatter.md").map((f) => f.message)).toEqual([expect.stringContaining("has no `date:`")]);
    // Each missing section is named, one finding per post-mortem.
    const sections = ["What happened", "What the agent was working from", "Where the layers failed", "What changes", "What we are not doing"];
    sections.forEach((section, i) => {
      expect(of(findings, `missing-${i + 1}.md`).map((f) => f.message)).toEqual([expect.stringContaining(`has no "## ${section}" section`)]);
    });
    // maxWords comes from config (80 here): 81 words fire, 80 do not.
    expect(of(findings, "too-long.md").map((f) => f.message)).toEqual([expect.stringContaining("runs to 81 words; keep it to one page (80 words)")]);
    expect(of(findings, "at-limit.md")).toEqual([]);
    // The 4th change is where the list goes past 3.
    expect(of(findings, "four-changes.md")).toEqual([expect.objectContaining({ line: 7, column: 5, message: expect.stringContaining("lists 4 changes") })]);
    // Quiet: complete, any-case and numbered headings, exactly 3 changes, and files whose broken
    // frontmatter is invalid-file's finding (no "missing date" on top); TEMPLATE.md and README.md.
    for (const quiet of ["complete.md", "quoted-date.md", "case.md", "three-changes.md", "bad-date.md", "broken-yaml.md", "TEMPLATE.md", "README.md"]) {
      expect(of(findings, quiet), quiet).toEqual([]);
    }
  }, 60_000);
});
