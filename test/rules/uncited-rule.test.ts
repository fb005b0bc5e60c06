import { describe, expect, it } from "vitest";
import { runScenario } from "../helpers/fixtures.js";

describe("uncited-rule", () => {
  it("fires exactly on the rules no post-mortem cites (checks/uncited-rule)", async () => {
    const { expected, actual, findings, report } = await runScenario("checks/uncited-rule");
    expect(actual).toEqual(expected);
    expect(findings.map((f) => f.item).sort()).toEqual([
      ".claude/settings.json#PreToolUse:Edit",
      ".claude/settings.json#Stop",
      ".cursor/rules/style.mdc",
      ".husky/commit-msg",
      "CLAUDE.md#seeding",
      "CLAUDE.md#testing-1",
      "lonely-rule",
      "src/billing/AGENTS.md#refunds",
    ]);
    // Hooks are items too: named by `<file>#<Event>:<matcher>` or the hook file's path.
    expect(findings.find((f) => f.item === ".claude/settings.json#Stop")).toMatchObject({ line: 11, message: 'no post-mortem cites hook "Stop" (.claude/settings.json#Stop)' });
    // A per-file rule with a frontmatter id is named by the id alone.
    expect(findings.find((f) => f.item === "lonely-rule")).toMatchObject({ file: ".claude/rules/lonely.md", line: 1, message: expect.stringContaining("(lonely-rule)") });
    const testing1 = findings.find((f) => f.item === "CLAUDE.md#testing-1")!;
    expect(testing1).toMatchObject({ file: "CLAUDE.md", line: 12, column: 1, severity: "warn", message: 'no post-mortem cites rule "Testing" (CLAUDE.md#testing-1)' });

    // Every way of citing counts: file#anchor, per-file path, bare explicit id, bare unique anchor,
    // frontmatter id, a link with an anchor (also a subsection's), a link to a per-file rule, a ref
    // relative to the post-mortem, an anchor in other case, and a PM whose date is broken.
    const cited = [
      "CLAUDE.md#orient-before-editing",
      ".cursor/rules/imports.mdc",
      "CLAUDE.md#cents",
      "src/billing/AGENTS.md#money-is-integer-cents",
      "api-rules",
      "CLAUDE.md#testing",
      "CLAUDE.md#deploying",
      ".claude/rules/db.md",
      "CLAUDE.md#formatting",
      "CLAUDE.md#case-of-the-anchor",
      "CLAUDE.md#linting",
      ".claude/settings.json#PreToolUse:Bash",
      ".claude/settings.json#PostToolUse",
      ".husky/pre-commit",
    ];
    expect(findings.filter((f) => cited.includes(f.item ?? ""))).toEqual([]);
    // TEMPLATE.md and README.md under docs/postmortems are not post-mortems.
    expect(report.summary.postmortems).toBe(5);
  }, 60_000);
});
