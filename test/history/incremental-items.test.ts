import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveRules } from "../../src/history/incremental-items.js";
import { parseHarnessFile } from "../../src/harness/harness.js";
import type { HarnessFormat, Rule } from "../../src/harness/types.js";

function parse(text: string, format: HarnessFormat = "claude", path = "CLAUDE.md"): Rule[] {
  return parseHarnessFile({ path, format, text }, { fenced: false }).rules;
}

const facts = (rules: Rule[]) => rules.map((r) => ({ ref: r.ref, text: r.text, line: r.span.start.line }));

const LINES = [
  "## Alpha",
  "## Beta {#b}",
  "### Sub",
  "### Sub id {#sid}",
  "# Title",
  "Text line.",
  "More `code` text with `src/x.ts`.",
  "",
  "",
  "- item",
  "  - nested",
  "```",
  "~~~",
  "    indented",
  "<!-- scope: src/** -->",
  "<div>",
  "Setext",
  "---",
  "===",
  "[ref]: http://x",
  "> quote",
  "> ## quoted",
  "\ttab",
  " ## Indented heading",
  "***",
  "1. step",
];

// Real rule files are mostly headings, prose, lists and fences: the shortcut's home ground.
const PLAIN = ["## Alpha", "## Beta {#b}", "### Sub", "### Sub id {#sid}", "# Title", "Text line.", "More `code` text.", "", "", "- item", "  - nested", "```", "<!-- scope: src/** -->", "1. step"];

const line = fc.oneof(fc.constantFrom(...LINES), fc.constantFrom(...PLAIN));
const doc = fc.tuple(fc.boolean(), fc.array(line, { minLength: 1, maxLength: 25 }), fc.boolean());
const edit = fc.tuple(fc.nat(), fc.nat(4), fc.array(fc.constantFrom(...LINES.filter((l) => !/^#|^---$/.test(l)), "Changed words.", "", "Another line."), { maxLength: 4 }));

function build(frontmatter: boolean, lines: string[], crlf: boolean): string {
  const text = [...(frontmatter ? ["---", "id: x", "---"] : []), ...lines].join("\n") + "\n";
  return crlf ? text.replace(/\n/g, "\r\n") : text;
}

describe("deriveRules", () => {
  it("agrees with the parser whenever it answers (section files)", () => {
    let answered = 0;
    fc.assert(
      fc.property(doc, edit, ([frontmatter, lines, crlf], [at, length, insert]) => {
        const before = build(frontmatter, lines, crlf);
        const i = at % (lines.length + 1);
        const after = build(frontmatter, [...lines.slice(0, i), ...insert, ...lines.slice(i + length)], crlf);
        const derived = deriveRules({ text: before, rules: parse(before) }, after, false);
        if (derived === null) return;
        answered++;
        expect(facts(derived)).toEqual(facts(parse(after)));
      }),
      { numRuns: 1000 },
    );
    // The shortcut must actually apply to a good share of edits, or it buys nothing.
    expect(answered).toBeGreaterThan(200);
  }, 120_000);

  it("agrees with the parser for per-file rules, and leaves frontmatter edits to it", () => {
    fc.assert(
      fc.property(doc, edit, ([, lines], [at, length, insert]) => {
        const before = build(true, lines, false);
        const i = at % (lines.length + 4);
        const all = ["---", "id: x", "---", ...lines];
        const after = [...all.slice(0, i), ...insert, ...all.slice(i + length)].join("\n") + "\n";
        const derived = deriveRules({ text: before, rules: parse(before, "cursor", "r.mdc") }, after, true);
        if (derived === null) return;
        expect(facts(derived)).toEqual(facts(parse(after, "cursor", "r.mdc")));
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it("re-slices a body edit without parsing, and refuses a heading edit", () => {
    const before = "# P\n\n## One\nA.\n\n## Two\nB.\n";
    const rules = parse(before);
    const derived = deriveRules({ text: before, rules }, "# P\n\n## One\nA, longer.\nAnd more.\n\n## Two\nB.\n", false)!;
    expect(facts(derived)).toEqual([
      { ref: "CLAUDE.md#one", text: "## One\nA, longer.\nAnd more.\n\n", line: 3 },
      { ref: "CLAUDE.md#two", text: "## Two\nB.\n", line: 7 },
    ]);
    expect(deriveRules({ text: before, rules }, before.replace("## Two", "## Three"), false)).toBeNull();
  });
});
