import { describe, expect, it } from "vitest";
import { isIsoDate, normaliseSection, parsePostMortem, REQUIRED_SECTIONS } from "../../src/harness/postmortems.js";

const PATH = "docs/postmortems/2026-10-02-import.md";
const md = (...lines: string[]) => lines.join("\n") + "\n";
const body = REQUIRED_SECTIONS.map((s) => `## ${s}\nText.`);

describe("parsePostMortem", () => {
  it("reads the frontmatter fields, changes with their spans, sections and title", () => {
    const { postmortem, invalid } = parsePostMortem(
      PATH,
      md(
        "---",
        "id: PM-0007",
        "date: 2026-11-20",
        "trigger: redo",
        "pattern: unfamiliar-area",
        "changes:",
        "  - CLAUDE.md#orient",
        "  - orient-first",
        "commits: [3f9c2ab, 1234567]",
        "---",
        "# Refactor rewrote imports",
        ...body,
      ),
    );
    expect(invalid).toBeUndefined();
    expect(postmortem).toMatchObject({ id: "PM-0007", date: "2026-11-20", trigger: "redo", pattern: "unfamiliar-area", title: "Refactor rewrote imports", commits: ["3f9c2ab", "1234567"] });
    expect(postmortem.changes.map((c) => [c.ref, c.span.start.line, c.span.start.column])).toEqual([
      ["CLAUDE.md#orient", 7, 5],
      ["orient-first", 8, 5],
    ]);
    expect(postmortem.sections).toEqual([...REQUIRED_SECTIONS]);
  });

  it("defaults the id to the path and reads a single string as one change", () => {
    const { postmortem } = parsePostMortem(PATH, md("---", "date: 2026-01-01", "changes: CLAUDE.md#a", "---"));
    expect(postmortem.id).toBe(PATH);
    expect(postmortem.changes.map((c) => c.ref)).toEqual(["CLAUDE.md#a"]);
  });

  it("reports a date that is not a date, and still reads the other fields", () => {
    const { postmortem, invalid } = parsePostMortem(PATH, md("---", "date: last tuesday", "changes:", "  - CLAUDE.md#a", "---"));
    expect(invalid).toMatchObject({ file: PATH, span: { start: { line: 2, column: 7 } } });
    expect(invalid!.message).toContain('"date"');
    expect(postmortem.date).toBeUndefined();
    expect(postmortem.changes.map((c) => c.ref)).toEqual(["CLAUDE.md#a"]);
  });

  it("rejects calendar dates that do not exist", () => {
    expect(parsePostMortem(PATH, md("---", "date: 2026-02-30", "---")).invalid).toBeDefined();
    expect(parsePostMortem(PATH, md("---", "date: 2028-02-29", "---")).invalid).toBeUndefined();
  });

  it("reads broken YAML strictly, even where a line reader would cope", () => {
    const { invalid, postmortem } = parsePostMortem(PATH, md("---", "id: PM-3", "date: 2026-01-01", "changes: *x", "---", "# T"));
    expect(invalid).toMatchObject({ span: { start: { line: 4, column: 10 } } });
    expect(invalid!.message).toMatch(/^invalid YAML frontmatter/);
    expect(postmortem.title).toBe("T");
  });

  it("resolves relative links against its folder and keeps the anchor", () => {
    const { postmortem } = parsePostMortem(PATH, md("See [rule](../../CLAUDE.md#imports), [code](/src/a.ts), [web](https://x.y/z), [here](#top)."));
    expect(postmortem.links.map((l) => [l.path, l.anchor])).toEqual([
      ["CLAUDE.md", "imports"],
      ["src/a.ts", undefined],
    ]);
    expect(postmortem.links[0]!.span.start).toEqual({ line: 1, column: 5 });
  });

  it("counts words of the body, not of the frontmatter or comments", () => {
    const { postmortem } = parsePostMortem(PATH, md("---", "date: 2026-01-01", "title: many words here", "---", "# One two", "Three `four` five.", "<!-- not counted at all -->"));
    expect(postmortem.wordCount).toBe(5);
  });
});

describe("line endings and limits", () => {
  it("places a bad date at its value after a fence ended by a lone CR, or by CRLF", () => {
    for (const eol of ["\r", "\r\n"]) {
      const { invalid } = parsePostMortem(PATH, ["---", "id: PM-1", "date: soon", "---", "# PM", ""].join(eol));
      expect(invalid!.span).toEqual({ start: { line: 3, column: 7 }, end: { line: 3, column: 11 } });
    }
  });

  it("ends a YAML error span inside its line in a CRLF file", () => {
    const { invalid } = parsePostMortem(PATH, "---\r\ndate: [\r\n---\r\n# PM\r\n");
    expect(invalid!.span.start.line).toBe(2);
    expect(invalid!.span.end).toEqual({ line: 2, column: 8 });
  });

  it("reports a block over the Markdown limits, and still reads the fields and sections", () => {
    const text = md("---", "date: 2026-01-01", "changes: [CLAUDE.md#a]", "---", "# PM", ...body, `${"> ".repeat(1_000)}x`, "", "[link](../../CLAUDE.md#b)");
    const { postmortem, invalid } = parsePostMortem(PATH, text);
    expect(invalid!.message).toMatch(/^a line nesting lists or block quotes 1,000 deep/);
    expect(invalid!.span.start.line).toBe(6 + 2 * body.length);
    expect(postmortem.changes.map((c) => c.ref)).toEqual(["CLAUDE.md#a"]);
    expect(postmortem.sections).toEqual([...REQUIRED_SECTIONS]);
    expect(postmortem.links.map((l) => l.anchor)).toEqual(["b"]);
  });

  it("a field error is reported before a block over the limits", () => {
    const { invalid } = parsePostMortem(PATH, md("---", "date: soon", "---", "[".repeat(5_000)));
    expect(invalid!.message).toMatch(/^frontmatter key "date"/);
  });
});

describe("normaliseSection", () => {
  it.each([
    ["What happened", "what happened"],
    ["WHAT HAPPENED", "what happened"],
    ["What happened?", "what happened"],
    ["2. What  happened", "what happened"],
  ])("%s", (title, normal) => {
    expect(normaliseSection(title)).toBe(normal);
  });
});

describe("isIsoDate", () => {
  it.each([
    ["2026-11-20", true],
    ["2026-13-01", false],
    ["2026-02-29", false],
    ["2026-1-1", false],
    ["20261120", false],
  ])("%s -> %s", (value, ok) => {
    expect(isIsoDate(value)).toBe(ok);
  });
});
