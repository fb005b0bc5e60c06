import { describe, expect, it } from "vitest";
import { formatOf } from "../../src/harness/formats.js";
import { fileAnchors, ruleAnchors } from "../../src/harness/anchors.js";
import { parseHarnessFile } from "../../src/harness/harness.js";
import type { HarnessFile, Rule } from "../../src/harness/types.js";

function parse(path: string, text: string) {
  const file: HarnessFile = { path, format: formatOf(path).format, text };
  return { file, ...parseHarnessFile(file, { fenced: false }) };
}

function refs(rules: Rule[]): string[] {
  return rules.map((r) => r.ref);
}

const md = (...lines: string[]) => lines.join("\n") + "\n";

describe("formatOf", () => {
  it.each([
    ["CLAUDE.md", "claude", "section"],
    ["src/api/CLAUDE.md", "claude", "section"],
    ["CLAUDE.local.md", "claude", "section"],
    [".claude/CLAUDE.md", "claude", "section"],
    [".claude/rules/api/auth.md", "claude-rules", "file"],
    ["AGENTS.md", "agents", "section"],
    ["AGENTS.override.md", "agents", "section"],
    ["AGENT.md", "agents", "section"],
    ["pkg/GEMINI.md", "gemini", "section"],
    [".cursor/rules/imports.mdc", "cursor", "file"],
    [".cursor/rules/nested/style.md", "cursor", "file"],
    [".cursorrules", "cursorrules", "section"],
    [".github/copilot-instructions.md", "copilot", "section"],
    [".github/instructions/api.instructions.md", "copilot-instructions", "file"],
    [".windsurf/rules/style.md", "windsurf", "file"],
    [".devin/rules/style.md", "windsurf", "file"],
    [".windsurfrules", "windsurf-legacy", "section"],
    [".continue/rules/tests.md", "continue", "file"],
    [".clinerules", "cline-file", "section"],
    [".clinerules/db.md", "cline", "file"],
    [".kiro/steering/product.md", "kiro", "file"],
    ["docs/custom-rules.md", "agents", "section"],
  ])("%s is %s (%s unit)", (path, format, unit) => {
    expect(formatOf(path)).toMatchObject({ format, unit });
  });
});

describe("sections and refs", () => {
  it("makes each H2 a rule whose ref is file#slug, and gives duplicates -1, -2", () => {
    const { rules } = parse("CLAUDE.md", md("# Project", "", "## Testing", "a", "## Testing", "b", "## Testing", "c"));
    expect(refs(rules)).toEqual(["CLAUDE.md#testing", "CLAUDE.md#testing-1", "CLAUDE.md#testing-2"]);
    expect(rules.map((r) => r.span.start.line)).toEqual([3, 5, 7]);
    expect(rules.map((r) => r.title)).toEqual(["Testing", "Testing", "Testing"]);
  });

  it("counts every heading level when numbering duplicate slugs, as GitHub does", () => {
    const { rules } = parse("CLAUDE.md", md("# Setup", "## Setup", "x"));
    expect(refs(rules)).toEqual(["CLAUDE.md#setup-1"]);
  });

  it("uses an explicit {#id} as the anchor and the id", () => {
    const { rules } = parse("AGENTS.md", md("## Orient before editing {#orient-first}", "Read first."));
    expect(rules[0]).toMatchObject({ ref: "AGENTS.md#orient-first", id: "orient-first", anchor: "orient-first", title: "Orient before editing" });
  });

  it("keeps an H3 inside its H2 rule unless the H3 has an explicit id", () => {
    const { rules } = parse("CLAUDE.md", md("## Imports", "Use the importer.", "### Details", "More.", "### Money rule {#money}", "Cents only.", "## Tests", "Run them."));
    expect(refs(rules)).toEqual(["CLAUDE.md#imports", "CLAUDE.md#money", "CLAUDE.md#tests"]);
    const imports = rules[0]!;
    expect(imports.text).toContain("### Details");
    expect(ruleAnchors(imports)).toEqual(["imports", "details"]);
    expect(ruleAnchors(rules[1]!)).toEqual(["money"]);
  });

  it("makes an H3 a rule when no H2 encloses it", () => {
    const { rules } = parse("CLAUDE.md", md("# Title", "### Lonely", "text"));
    expect(refs(rules)).toEqual(["CLAUDE.md#lonely"]);
  });

  it("does not make the preamble a rule when the file has sections", () => {
    const { rules, preamble } = parse("CLAUDE.md", md("# Project", "Intro with `src/app.ts`.", "", "## Only rule", "x"));
    expect(refs(rules)).toEqual(["CLAUDE.md#only-rule"]);
    expect(preamble?.mentions.map((m) => m.raw)).toEqual(["src/app.ts"]);
  });

  it("makes a file with only a preamble (an H1 and text) one rule named by its path", () => {
    const { rules, preamble } = parse("CLAUDE.md", md("# Project", "", "Always run tests."));
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ ref: "CLAUDE.md", title: "Project", span: { start: { line: 1, column: 1 } } });
    expect(rules[0]!.anchor).toBeUndefined();
    expect(preamble).toBeUndefined();
  });

  it("makes a file with no headings one rule", () => {
    const { rules } = parse(".cursorrules", md("Use tabs.", "Never commit secrets."));
    expect(refs(rules)).toEqual([".cursorrules"]);
    expect(rules[0]!.title).toBe(".cursorrules");
  });

  it("uses frontmatter id: for a sectioned file that is a single rule", () => {
    const { rules } = parse("CLAUDE.md", md("---", "id: house-rules", "---", "Always run tests."));
    expect(rules[0]).toMatchObject({ ref: "house-rules", id: "house-rules" });
  });

  it("reads .cursorrules, .windsurfrules, copilot-instructions.md and the .clinerules file by section", () => {
    for (const path of [".cursorrules", ".windsurfrules", ".github/copilot-instructions.md", ".clinerules", "GEMINI.md"]) {
      const { rules } = parse(path, md("## One", "a", "## Two", "b"));
      expect(refs(rules)).toEqual([`${path}#one`, `${path}#two`]);
    }
  });

  it("records every heading anchor of the file, preamble included", () => {
    const { file } = parse("CLAUDE.md", md("# Project", "## A", "### B"));
    expect([...fileAnchors(file)]).toEqual(["project", "a", "b"]);
  });

  it("ignores marker comments at the end of a heading", () => {
    const { rules } = parse("CLAUDE.md", md("## Imports {#imp} <!-- note -->", "x"));
    expect(rules[0]).toMatchObject({ ref: "CLAUDE.md#imp", title: "Imports" });
  });
});

describe("per-file rules", () => {
  it("names a per-file rule by its path, or its frontmatter id alone", () => {
    expect(refs(parse(".cursor/rules/imports.mdc", md("---", "globs: src/**", "---", "# Imports", "## Sub", "x")).rules)).toEqual([".cursor/rules/imports.mdc"]);
    const { rules } = parse(".claude/rules/api.md", md("---", "id: api-rules", 'paths: ["src/api/**"]', "---", "Use zod."));
    expect(rules[0]).toMatchObject({ ref: "api-rules", id: "api-rules", file: ".claude/rules/api.md", span: { start: { line: 1, column: 1 } } });
  });

  it("titles a per-file rule by description, then first heading, then file name", () => {
    expect(parse(".cursor/rules/a.mdc", md("---", "description: CSV imports", "---", "# Heading")).rules[0]!.title).toBe("CSV imports");
    expect(parse(".cursor/rules/a.mdc", md("# Heading", "x")).rules[0]!.title).toBe("Heading");
    expect(parse(".cursor/rules/a.mdc", md("text")).rules[0]!.title).toBe("a.mdc");
  });

  it("lets a link reach any heading inside a per-file rule", () => {
    const { rules } = parse(".claude/rules/api.md", md("# API", "## Errors", "x"));
    expect(ruleAnchors(rules[0]!)).toEqual(["api", "errors"]);
  });
});

describe("scope", () => {
  it("scopes a nested CLAUDE.md/AGENTS.md/GEMINI.md to its directory, but not .claude/CLAUDE.md", () => {
    expect(parse("src/billing/AGENTS.md", md("## Money", "x")).rules[0]!.scope).toMatchObject({ kind: "directory", directory: "src/billing" });
    expect(parse("pkg/GEMINI.md", md("## A", "x")).rules[0]!.scope).toMatchObject({ kind: "directory", directory: "pkg" });
    expect(parse(".claude/CLAUDE.md", md("## A", "x")).rules[0]!.scope.kind).toBe("none");
    expect(parse("CLAUDE.md", md("## A", "x")).rules[0]!.scope.kind).toBe("none");
  });

  it("reads a scope comment directly under the heading (blank line allowed), with one span per glob", () => {
    const { rules } = parse("CLAUDE.md", md("## Imports", "", "<!-- scope: src/import/**, src/lib/csv.ts -->", "text"));
    const scope = rules[0]!.scope;
    expect(scope).toMatchObject({ kind: "globs", source: "inline", field: "scope" });
    expect(scope.globs.map((g) => [g.pattern, g.span.start.line, g.span.start.column, g.span.end.column])).toEqual([
      ["src/import/**", 3, 13, 26],
      ["src/lib/csv.ts", 3, 28, 42],
    ]);
  });

  it("reads <!-- scope: global --> as explicitly global", () => {
    expect(parse("CLAUDE.md", md("## A", "<!-- scope: global -->")).rules[0]!.scope).toMatchObject({ kind: "global", source: "inline" });
  });

  it("applies a scope comment in the preamble to every section that has none of its own", () => {
    const { rules } = parse("CLAUDE.md", md("# P", "<!-- scope: src/** -->", "## A", "x", "## B", "<!-- scope: global -->"));
    expect(rules.map((r) => r.scope.kind)).toEqual(["globs", "global"]);
    expect(rules[0]!.scope.globs[0]).toMatchObject({ pattern: "src/**", span: { start: { line: 2, column: 13 } } });
  });

  it("does not count a scope comment that is not directly under the heading, and says so at the comment", () => {
    const { rules } = parse("CLAUDE.md", md("## Imports", "Some text first.", "<!-- scope: src/import/** -->"));
    expect(rules[0]!.scope.kind).toBe("none");
    expect(rules[0]!.scopeProblems).toEqual([expect.objectContaining({ kind: "ignored-field", span: { start: { line: 3, column: 1 }, end: { line: 3, column: 30 } } })]);
  });

  it("does not flag a stray scope comment in a section that is scoped anyway", () => {
    const { rules } = parse("src/AGENTS.md", md("## A", "text", "<!-- scope: src/x/** -->"));
    expect(rules[0]!.scope.kind).toBe("directory");
    expect(rules[0]!.scopeProblems).toEqual([]);
  });

  it("lets an explicit-id subsection inherit the scope of the rule it sits in", () => {
    const { rules } = parse("CLAUDE.md", md("## Billing", "<!-- scope: src/billing/** -->", "### Cents {#cents}", "x"));
    expect(rules[1]!.scope.globs.map((g) => g.pattern)).toEqual(["src/billing/**"]);
  });

  it("writes inline globs of a nested file relative to its directory", () => {
    const { rules } = parse("src/billing/AGENTS.md", md("## Rates", "<!-- scope: rates/** -->"));
    expect(rules[0]!.scope.globs[0]).toMatchObject({ pattern: "rates/**", base: "src/billing" });
  });

  it("tolerates another comment after the scope comment on the same line", () => {
    const { rules } = parse("CLAUDE.md", md("## A", "<!-- scope: src/** --> <!-- reviewed -->"));
    expect(rules[0]!.scope.globs.map((g) => g.pattern)).toEqual(["src/**"]);
  });

  it("reads the frontmatter scope of per-file rules, with one span per comma-separated glob", () => {
    const { rules } = parse(".cursor/rules/a.mdc", md("---", "globs: src/**/*.ts, lib/**", "---", "x"));
    expect(rules[0]!.scope.globs.map((g) => [g.pattern, g.span.start.line, g.span.start.column, g.span.end.column])).toEqual([
      ["src/**/*.ts", 2, 8, 19],
      ["lib/**", 2, 21, 27],
    ]);
  });

  it("accepts a file-level scope comment in a per-file rule's preamble only", () => {
    expect(parse(".claude/rules/a.md", md("# A", "<!-- scope: global -->", "x")).rules[0]!.scope.kind).toBe("global");
    expect(parse(".claude/rules/a.md", md("# A", "## Later", "<!-- scope: global -->")).rules[0]!.scope.kind).toBe("none");
  });
});

describe("broken frontmatter", () => {
  it("reports it with a position and still reads the body", () => {
    const parsed = parse(".claude/rules/a.md", md("---", "paths:", "  - src/**", "  nested: [", "---", "## Rule", "Use `src/x.ts`."));
    expect(parsed.invalid).toMatchObject({ file: ".claude/rules/a.md", span: { start: { line: 4 } } });
    expect(parsed.invalid!.message).toMatch(/^invalid YAML frontmatter/);
    expect(parsed.rules[0]!.mentions.map((m) => m.raw)).toEqual(["src/x.ts"]);
  });
});

describe("many sections", () => {
  it("gives each mention and anchor to the innermost rule around it, explicit-id subsections included", () => {
    const { rules, preamble } = parse(
      "AGENTS.md",
      md(
        "# Project",
        "Intro `PreambleName`.",
        "## A",
        "In A `NameA1`.",
        "### Plain sub",
        "Still A `NameA2`.",
        "### Money {#money}",
        "In money `NameMoney`.",
        "#### Deeper {#deeper}",
        "In deeper `NameDeeper`.",
        "#### Plain deeper",
        "Ends deeper, back in money `NameMoney2`.",
        "### Back in A",
        "Back `NameA3`.",
        "# Top again",
        "Between `NameNowhere`.",
        "### Lonely",
        "In lonely `NameLonely`.",
        "## B",
        "In B `NameB`.",
      ),
    );
    const byRule = Object.fromEntries(rules.map((r) => [r.ref, r.mentions.map((m) => m.raw)]));
    expect(byRule).toEqual({
      "AGENTS.md#a": ["NameA1", "NameA2", "NameA3"],
      "AGENTS.md#money": ["NameMoney", "NameMoney2"],
      "AGENTS.md#deeper": ["NameDeeper"],
      "AGENTS.md#lonely": ["NameLonely"],
      "AGENTS.md#b": ["NameB"],
    });
    expect(preamble?.mentions.map((m) => m.raw)).toEqual(["PreambleName"]);
    expect(Object.fromEntries(rules.map((r) => [r.ref, ruleAnchors(r)]))).toEqual({
      "AGENTS.md#a": ["a", "plain-sub", "back-in-a"],
      "AGENTS.md#money": ["money", "plain-deeper"],
      "AGENTS.md#deeper": ["deeper"],
      "AGENTS.md#lonely": ["lonely"],
      "AGENTS.md#b": ["b"],
    });
    expect(rules.find((r) => r.ref === "AGENTS.md#a")!.text).toBe(
      md(
        "## A",
        "In A `NameA1`.",
        "### Plain sub",
        "Still A `NameA2`.",
        "### Money {#money}",
        "In money `NameMoney`.",
        "#### Deeper {#deeper}",
        "In deeper `NameDeeper`.",
        "#### Plain deeper",
        "Ends deeper, back in money `NameMoney2`.",
        "### Back in A",
        "Back `NameA3`.",
      ),
    );
  });

  // The hang guard is the test's timeout: about a second alone, where the cubic version took hours.
  it("parses 10,000 sections (it was cubic in the number of headings)", () => {
    const sections = Array.from({ length: 10_000 }, (_, i) => `## Rule ${i}\n<!-- scope: src/** -->\nUse \`Name${i}\`.\n`).join("");
    const { rules } = parse("CLAUDE.md", `${sections}## Last\n<!-- scope: src/** -->\nUse \`GoneAtTheEnd\`.\n`);
    expect(rules).toHaveLength(10_001);
    expect(rules[9_999]!.mentions.map((m) => m.raw)).toEqual(["Name9999"]);
    expect(rules[10_000]!.mentions[0]).toMatchObject({ raw: "GoneAtTheEnd", span: { start: { line: 30_003, column: 5 } } });
    expect(rules.every((r) => r.scope.kind === "globs")).toBe(true);
  });

  it("reads an explicit id at the end of a long title without rescanning it", () => {
    // 30,000 blanks took 0.7 s in the id's regex (quadratic); the heading stays under the parser's limits.
    const title = `Title${" ".repeat(30_000)}end`;
    const { rules } = parse("CLAUDE.md", md(`## ${title} {#`, "x", `## ${title} {#the-id}`, "y"));
    expect(rules.map((r) => [r.anchor, r.id])).toEqual([
      [expect.stringMatching(/^title-+end-$/), undefined],
      ["the-id", "the-id"],
    ]);
    expect(rules[1]!.title).toBe(title);
  });
});

describe("blocks over the parser's limits", () => {
  it("are one invalid-file report, and the rest of the file is read", () => {
    const parsed = parse("CLAUDE.md", md("## A", "Use `Kept`.", "", "[".repeat(5_000), "", `${"> ".repeat(500)}x`, "", "## B", "Use `AlsoKept`."));
    expect(parsed.invalid).toMatchObject({ file: "CLAUDE.md", span: { start: { line: 4, column: 1 }, end: { line: 4, column: 5_001 } } });
    expect(parsed.invalid!.message).toMatch(/^a paragraph with 5,000 emphasis and bracket characters .*, was not read \(and 1 more like it\)$/);
    expect(parsed.rules.map((r) => r.mentions.map((m) => m.raw))).toEqual([["Kept"], ["AlsoKept"]]);
  });

  it("a broken frontmatter is reported first", () => {
    const parsed = parse(".claude/rules/a.md", md("---", "paths:", "  - src/**", "  nested: [", "---", "[".repeat(5_000)));
    expect(parsed.invalid!.message).toMatch(/^invalid YAML frontmatter/);
  });
});
