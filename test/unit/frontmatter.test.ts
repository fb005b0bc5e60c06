import { describe, expect, it } from "vitest";
import { parseFrontmatter } from "../../src/harness/frontmatter.js";
import { parseMarkdown } from "../../src/harness/markdown.js";
import { LineIndex } from "../../src/shared/text.js";

const doc = (eol: string, ...lines: string[]) => lines.join(eol) + eol;

describe("YAML frontmatter", () => {
  it("reads fields with the value as written and its span", () => {
    const parsed = parseMarkdown(doc("\n", "---", 'globs: "src/**"', "alwaysApply: true", "paths:", "  - a/**", "  - 'b/**'", "---", "# x"));
    const fields = parsed.frontmatter!.fields;
    expect(parsed.frontmatter!.lenient).toBe(false);
    expect(fields.get("globs")).toMatchObject({
      value: "src/**",
      raw: '"src/**"',
      keySpan: { start: { line: 2, column: 1 } },
      valueSpan: { start: { line: 2, column: 8 }, end: { line: 2, column: 16 } },
    });
    expect(fields.get("alwaysApply")!.value).toBe(true);
    expect(fields.get("paths")!.value).toEqual(["a/**", "b/**"]);
    expect(fields.get("paths")!.itemSpans.map((s) => [s.start.line, s.start.column])).toEqual([
      [5, 5],
      [6, 5],
    ]);
  });

  it("locates a YAML error at its line and column", () => {
    const parsed = parseMarkdown(doc("\n", "---", "id: PM-1", "title: Broken", "  nested: [", "---", "# x"));
    expect(parsed.frontmatter).toBeUndefined();
    expect(parsed.frontmatterError!.message).toMatch(/^invalid YAML frontmatter: /);
    expect(parsed.frontmatterError!.span.start.line).toBe(3);
  });

  it("keeps lines and columns right in a CRLF file", () => {
    const parsed = parseMarkdown(doc("\r\n", "---", "id: PM-1", "title: Broken", "  nested: [", "---", "# x"));
    expect(parsed.frontmatterError!.span.start.line).toBe(3);
    const ok = parseMarkdown(doc("\r\n", "---", "a: 1", "globs: src/**, lib/**", "---"));
    expect(ok.frontmatter!.fields.get("globs")!.valueSpan).toEqual({ start: { line: 3, column: 8 }, end: { line: 3, column: 22 } });
  });

  it("keeps a YAML error's span on its own line, whatever the line endings", () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      const parsed = parseMarkdown(doc(eol, "---", "a:", "  b: [", "---", "# x"));
      // The yaml library points just past the block; the span stops at the end of `  b: [`.
      expect(parsed.frontmatterError!.span).toEqual({ start: { line: 3, column: 7 }, end: { line: 3, column: 7 } });
    }
  });

  it("reads YAML whose lines end in a lone CR, with the positions of that file", () => {
    const parsed = parseMarkdown(doc("\r", "---", "id: PM-1", "globs: src/**", "paths:", "  - a/**", "---", "# x"));
    expect(parsed.frontmatterError).toBeUndefined();
    expect(parsed.frontmatter!.lenient).toBe(false);
    expect(parsed.frontmatter!.fields.get("globs")!.valueSpan).toEqual({ start: { line: 3, column: 8 }, end: { line: 3, column: 14 } });
    expect(parsed.frontmatter!.fields.get("paths")!.itemSpans[0]!.start).toEqual({ line: 5, column: 5 });
  });

  it("rejects a duplicate key", () => {
    const parsed = parseMarkdown(doc("\n", "---", "a: 1", "a: 2", "---"));
    expect(parsed.frontmatterError!.span.start.line).toBe(3);
  });

  it("rejects a frontmatter that is not a mapping", () => {
    expect(parseMarkdown(doc("\n", "---", "- a", "- b", "---")).frontmatterError!.message).toBe("frontmatter is not a mapping of keys to values");
  });

  it("reads an empty frontmatter as no fields", () => {
    expect(parseMarkdown(doc("\n", "---", "---", "# x")).frontmatter!.fields.size).toBe(0);
  });
});

describe("lenient key: value lines (how Cursor reads frontmatter)", () => {
  it("accepts an unquoted glob that YAML reads as an alias", () => {
    const parsed = parseMarkdown(doc("\n", "---", "description: TS files", "globs: **/*.ts, src/*.tsx", "alwaysApply: false", "---", "# x"));
    expect(parsed.frontmatterError).toBeUndefined();
    const fields = parsed.frontmatter!.fields;
    expect(parsed.frontmatter!.lenient).toBe(true);
    expect(fields.get("globs")).toMatchObject({ value: "**/*.ts, src/*.tsx", raw: "**/*.ts, src/*.tsx", valueSpan: { start: { line: 3, column: 8 }, end: { line: 3, column: 26 } } });
    expect(fields.get("alwaysApply")!.value).toBe(false);
  });

  it("keeps columns right with CRLF line ends", () => {
    const parsed = parseMarkdown(doc("\r\n", "---", "description: a", "globs: **/*.ts", "---"));
    expect(parsed.frontmatter!.fields.get("globs")!.valueSpan.start).toEqual({ line: 3, column: 8 });
  });

  it("reads list entries under an empty key", () => {
    const parsed = parseMarkdown(doc("\n", "---", "paths:", "  - **/*.ts", "  - src/**", "---"));
    const paths = parsed.frontmatter!.fields.get("paths")!;
    expect(paths.value).toEqual(["**/*.ts", "src/**"]);
    expect(paths.itemSpans[1]!.start).toEqual({ line: 4, column: 5 });
  });

  it("still rejects what no line reader can make sense of, at the YAML error", () => {
    const nested = parseMarkdown(doc("\n", "---", "globs: **/*.ts", "  inner: x", "---"));
    expect(nested.frontmatterError).toBeDefined();
    const listAfterValue = parseMarkdown(doc("\n", "---", "globs: **/*.ts", "  - src/**", "---"));
    expect(listAfterValue.frontmatterError).toBeDefined();
  });

  it("points an unresolved alias error at the alias when lenient reading is off", () => {
    const text = doc("\n", "---", "id: x", "date: *nope", "---");
    const lines = new LineIndex(text);
    const result = parseFrontmatter("id: x\ndate: *nope", 4, lines.span(0, text.length), lines, { lenient: false });
    expect(result).toMatchObject({ ok: false, span: { start: { line: 3, column: 7 } } });
  });
});
