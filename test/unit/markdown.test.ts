import { describe, expect, it } from "vitest";
import type { Nodes } from "mdast";
import { guardMarkdown, MARKDOWN_LIMITS, parseMarkdown, plainText } from "../../src/harness/markdown.js";

const md = (...lines: string[]) => lines.join("\n") + "\n";

/** The line endings of a text, in order: blanking must keep every one where it was. */
const endings = (text: string) => text.replace(/[^\r\n]/g, "");

function types(node: Nodes): string[] {
  const found: string[] = [];
  const stack: Nodes[] = [node];
  while (stack.length > 0) {
    const next = stack.pop()!;
    found.push(next.type);
    if ("children" in next) stack.push(...(next.children as Nodes[]));
  }
  return found;
}

describe("guardMarkdown", () => {
  it("leaves ordinary Markdown alone", () => {
    const text = md(
      "---",
      "paths: src/**",
      "---",
      "# Title",
      "## Rule",
      "- **Bold** and _emphasis_ and [a link](docs/a.md) and `code_span`.",
      "  - nested [x][y] ~~struck~~",
      "> > quoted *twice*",
      "",
      "| a | b |",
      "|---|---|",
      "| [x](y) | **z** |",
    );
    expect(guardMarkdown(text)).toEqual({ text, skipped: [] });
  });

  it("leaves big but ordinary blocks alone: a long list, a long table, many paragraphs", () => {
    const list = Array.from({ length: 1_500 }, (_, i) => `- **Item ${i}** see [doc ${i}](docs/${i}.md) and \`snake_case_${i}\``).join("\n");
    const table = ["| file | use |", "|---|---|", ...Array.from({ length: 1_500 }, (_, i) => `| [\`src/a_${i}.ts\`](src/a_${i}.ts) | **main** |`)].join("\n");
    const paragraphs = Array.from({ length: 500 }, (_, i) => `Paragraph ${i} has *some* [links](x.md) and ~~marks~~.`).join("\n\n");
    for (const text of [list, table, paragraphs]) expect(guardMarkdown(text).skipped).toEqual([]);
  });

  it("blanks a line nested deeper than the limit, keeping offsets and line endings", () => {
    const deep = `${" - ".repeat(5_000)}\`FooBar\``;
    const text = `## A\r\nbefore\r\n${deep}\nafter\rend`;
    const guarded = guardMarkdown(text);
    expect(guarded.text).toHaveLength(text.length);
    expect(endings(guarded.text)).toBe(endings(text));
    expect(guarded.text).toBe(`## A\r\nbefore\r\n${" ".repeat(deep.length)}\nafter\rend`);
    expect(guarded.skipped).toHaveLength(1);
    expect(guarded.skipped[0]!.message).toBe(`a line nesting lists or block quotes 5,000 deep, over the limit of ${MARKDOWN_LIMITS.nesting}, was not read`);
  });

  it("counts block quotes and indentation toward nesting", () => {
    expect(guardMarkdown(`${"> ".repeat(MARKDOWN_LIMITS.nesting)}x\n`).skipped).toEqual([]);
    expect(guardMarkdown(`${"> ".repeat(MARKDOWN_LIMITS.nesting + 1)}x\n`).skipped).toHaveLength(1);
    const staircase = Array.from({ length: 300 }, (_, i) => `${" ".repeat(2 * i)}- level ${i}`).join("\n");
    const guarded = guardMarkdown(staircase);
    expect(guarded.skipped.length).toBeGreaterThan(0);
    // The first lines stay; only those past the limit are blanked.
    expect(guarded.text.startsWith("- level 0\n  - level 1\n")).toBe(true);
  });

  it("blanks a paragraph with more emphasis and bracket characters than the limit, and only it", () => {
    const heavy = "_*".repeat(MARKDOWN_LIMITS.marks);
    const text = md("## A", "Use `Kept` here.", "", heavy, "", "Also `KeptToo`.");
    const guarded = guardMarkdown(text);
    expect(guarded.text).toBe(md("## A", "Use `Kept` here.", "", " ".repeat(heavy.length), "", "Also `KeptToo`."));
    expect(guarded.skipped[0]!.message).toMatch(/^a paragraph with 2,000 emphasis and bracket characters/);
  });

  it("blanks a paragraph of more lines than the limit", () => {
    const text = `## A\n${"a b\n".repeat(MARKDOWN_LIMITS.lines + 1)}\nAfter.\n`;
    const guarded = guardMarkdown(text);
    expect(guarded.skipped[0]!.message).toBe("a paragraph of 1,001 lines, over the limit of 1,000, was not read; split it with blank lines");
    expect(guarded.text.endsWith("\nAfter.\n")).toBe(true);
    expect(guarded.text.startsWith("## A\n   \n")).toBe(true);
  });

  it("blanks a paragraph longer than the limit, and only it", () => {
    const long = `Use \`${"a".repeat(MARKDOWN_LIMITS.characters)}\` here.`;
    const text = md("## A", "Short `Kept`.", long, "", "After `AlsoKept`.");
    const guarded = guardMarkdown(text);
    expect(guarded.skipped.map((s) => s.message)).toEqual([
      `a paragraph of ${(long.length + 14).toLocaleString("en-US")} characters, over the limit of 32,768, was not read; split it with blank lines`,
    ]);
    expect(guarded.text).toBe(md("## A", " ".repeat(13), " ".repeat(long.length), "", "After `AlsoKept`."));
  });

  it("blanks a table cell's text and keeps its pipes, so the table keeps its shape", () => {
    const text = md("## A", "| a | b |", "|---|---|", `| x | ${"[".repeat(2_000)} |`, "| `Kept` | y |");
    const parsed = parseMarkdown(text);
    expect(parsed.skipped!.message).toMatch(/^a table cell with 2,000 /);
    const table = parsed.tree.children.find((n) => n.type === "table")!;
    expect(table.type === "table" && table.children.map((row) => row.children.length)).toEqual([2, 2, 2]);
    expect(types(table).filter((t) => t === "inlineCode")).toHaveLength(1);
  });

  it("blanks a setext heading's text but its first character, so it stays a heading", () => {
    const parsed = parseMarkdown(md("Intro", "", `Title ${"_".repeat(2_000)}`, "===", "Body `Kept`."));
    expect(parsed.skipped!.message).toMatch(/^a heading with 2,000 /);
    expect(parsed.tree.children.map((n) => n.type)).toEqual(["paragraph", "heading", "paragraph"]);
    expect(plainText(parsed.tree.children[1]!).trim()).toBe("T");
  });

  it("finds the paragraphs in linear time, however many lines they have", () => {
    const text = `## A\n${"_*\n".repeat(34_000)}`;
    // The hang guard is the test's timeout; splitting and re-merging the text of each line took 7 s.
    const result = guardMarkdown(text);
    expect(result.skipped.map((s) => s.message)).toEqual([expect.stringMatching(/^a paragraph with 68,000 emphasis/)]);
  });

  it("blanks only a heading's text, so the heading still ends the section before it", () => {
    const text = md("## A", "x", `## ${"[".repeat(2_000)}`, "y");
    const parsed = parseMarkdown(text);
    expect(parsed.tree.children.filter((n) => n.type === "heading")).toHaveLength(2);
    expect(parsed.skipped!.message).toMatch(/^a heading with 2,000/);
  });
});

describe("parseMarkdown on hostile shapes", () => {
  const KB100 = 100 * 1024;
  const times = (unit: string) => unit.repeat(Math.ceil(KB100 / unit.length));
  // [name, text, the line of the first block not read (the shape starts on line 4)]
  const shapes: Array<[string, string, number]> = [
    ["`_` and `*` alternating", times("_*"), 4],
    ["nested brackets", `${"[".repeat(KB100 / 2)}${"]".repeat(KB100 / 2)}`, 4],
    ["unclosed link openers", times("[x]("), 4],
    ["lists nested on one line", `${times(" - ")}\`FooBar\``, 4],
    ["block quotes nested on one line", `${times("> ")}\`FooBar\``, 4],
    ["a paragraph of short lines", times("a b\n"), 4],
    ["a staircase of nested lists", Array.from({ length: 400 }, (_, i) => `${" ".repeat(2 * i)}- x`).join("\n"), 4 + MARKDOWN_LIMITS.nesting],
  ];

  it.each(shapes)("%s: parsed in seconds at most, reported once, positions kept", (_name, shape, line) => {
    const text = `## Hostile\nUse \`Before\`.\n\n${shape}\n\nUse \`After\`.\n`;
    // What keeps it fast is that the shape is blanked before the parser sees it (skipped); the
    // hang guard is the test's timeout, never a stopwatch.
    const result = parseMarkdown(text);
    expect(result.skipped).toBeDefined();
    expect(result.skipped!.span.start.line).toBe(line);
    const codes = types(result.tree).filter((t) => t === "inlineCode");
    expect(codes.length).toBeGreaterThanOrEqual(2);
    const last = result.tree.children[result.tree.children.length - 1]!;
    expect(plainText(last)).toBe("Use After.");
    expect(last.position!.start.line).toBe(text.split(/\r\n|\n|\r/).length - 1);
  });

  it("moves positions past leading BOMs (micromark skips one without counting it)", () => {
    for (const bom of ["\uFEFF", "\uFEFF\uFEFF\uFEFF"]) {
      const parsed = parseMarkdown(`${bom}---\ndate: x\n---\n## A\nUse \`Name\`.\n`);
      expect(parsed.frontmatter!.fields.get("date")!.valueSpan.start).toEqual({ line: 2, column: 7 });
      const paragraph = parsed.tree.children.find((n) => n.type === "paragraph")!;
      expect(paragraph.position!.start).toMatchObject({ line: 5, column: 1 });
      expect(parsed.tree.children[0]!.position!.start).toMatchObject({ line: 1, column: 1 + bom.length, offset: bom.length });
    }
  });

  it("finds the frontmatter after a fence ended by a lone CR", () => {
    const parsed = parseMarkdown("---\rdate: soon\rpaths: src/**\r---\r# T\r");
    expect(parsed.frontmatter!.fields.get("paths")!.valueSpan.start).toEqual({ line: 3, column: 8 });
  });
});
