// Generators of Markdown/YAML-ish text for the property tests: fragments that matter to the
// parsers (frontmatter fences, headings, code spans and fences, HTML and scope comments, YAML
// anchors and aliases, links, trees, every line ending, the BOM) mixed with arbitrary Unicode,
// including astral characters and combining marks.
import fc from "fast-check";
import type { Position, Span } from "../../src/harness/types.js";

const EOL = fc.constantFrom("\n", "\r\n", "\r");

const TOKENS = [
  "---",
  "--- ",
  "...",
  "#",
  "# ",
  "## ",
  "### ",
  "#### ",
  "###### ",
  " {#explicit-id}",
  "{#",
  "}",
  "`",
  "``",
  "```",
  "```ts",
  "~~~",
  "    ",
  "\t",
  " ",
  "  ",
  "\uFEFF",
  "\u00A0",
  "\u200B",
  "\u2028",
  "<!--",
  "-->",
  "<!-- scope: src/** -->",
  "<!-- scope: global -->",
  "<!-- scope:",
  "<",
  ">",
  "</div>",
  "<div>",
  "- ",
  "* ",
  "+ ",
  "1. ",
  "> ",
  "|",
  "| --- |",
  "├─ ",
  "└─ ",
  "│  ",
  "[",
  "]",
  "(",
  ")",
  "[x](",
  "](../../CLAUDE.md#a)",
  "[link](./a.md)",
  "![img](b.png)",
  "<https://example.com>",
  "*",
  "_",
  "**",
  "__",
  "~",
  "~~",
  "\\",
  "\\`",
  "&amp;",
  "&#x0;",
  "@",
  "@./a.md",
  "@../x",
  "e.g.",
  "e.g. ",
  "for example",
  "such as",
  "src/a.ts",
  "./x",
  "../y/z.ts",
  "/abs",
  "~/home",
  "*.ts",
  "src/**",
  "{a,b}",
  "[id]",
  "<name>",
  "FooBar",
  "fooBar",
  "foo_bar",
  "FOO_BAR",
  "A.b",
  "A::b",
  "a#b",
  ".prompt()",
  "parseRow()",
  "Array<string>",
  "paths:",
  "globs:",
  "applyTo:",
  "alwaysApply: true",
  "trigger: glob",
  "description:",
  "id:",
  "date:",
  "changes:",
  "commits:",
  "date: 2026-01-01",
  "date: 2026-02-30",
  "key: value",
  "  - ",
  "- [a, b]",
  "{a: 1}",
  "&a",
  "*a",
  "&anchor [x]",
  "<<: *a",
  "!!str",
  "!!js/function",
  "? ",
  ": ",
  "'",
  '"',
  "|-",
  ">-",
  "%YAML 1.2",
  "é",
  "e\u0301",
  "ß",
  "İ",
  "日本",
  "😀",
  "𝒜",
  "👩‍💻",
  "\u0000",
  "\u0007",
  "\u007f",
];

const token = fc.constantFrom(...TOKENS);

/** A fragment: a token, a line ending, or a short run of arbitrary Unicode (astral included). */
const fragment = fc.oneof(
  { weight: 6, arbitrary: token },
  { weight: 3, arbitrary: EOL },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 10 }) },
);

const body = fc.array(fragment, { maxLength: 120 }).map((parts) => parts.join(""));

/** YAML-ish lines for a frontmatter block. */
const yamlLine = fc
  .tuple(
    fc.constantFrom("paths", "globs", "applyTo", "alwaysApply", "trigger", "description", "id", "date", "changes", "commits", "title", "x", "a b", ""),
    fc.constantFrom(":", ": ", ":  ", " : ", ""),
    fc.oneof(
      body.map((s) => s.slice(0, 40)),
      fc.constantFrom("src/**", "[a, b]", '"src/**/*.ts"', "2026-01-01", "&a [x]", "*a", "|", "- x", "true", "{a: *a}"),
    ),
    EOL,
  )
  .map(([key, colon, value, eol]) => `${key}${colon}${value}${eol}`);

export interface MarkdownishOptions {
  /** Only a lone CR as the line ending right after the opening `---` fence (default: any ending). */
  loneCrAfterFence?: boolean;
}

/** A whole file: maybe a BOM, maybe a frontmatter block, then a body. */
export function markdownish(options: MarkdownishOptions = {}): fc.Arbitrary<string> {
  const fenceEol = options.loneCrAfterFence ? fc.constant("\r") : EOL;
  const frontmatter = fc
    .tuple(
      fenceEol,
      fc.array(
        fc.oneof(
          yamlLine,
          fc
            .tuple(
              fc.constant("  - "),
              body.map((s) => s.slice(0, 20)),
              EOL,
            )
            .map((p) => p.join("")),
        ),
        { maxLength: 8 },
      ),
      fc.constantFrom("---", "--- ", "...", ""),
      EOL,
    )
    .map(([eol, lines, close, eol2]) => `---${eol}${lines.join("")}${close}${eol2}`);
  return fc.tuple(fc.constantFrom("", "", "", "\uFEFF"), fc.option(frontmatter, { freq: 2 }), body).map(([bom, front, text]) => `${bom}${front ?? ""}${text}`);
}

// ---------------------------------------------------------------------------------------------
// Span checks

/** Lines as LineIndex counts them: `\r\n`, `\n` and a lone `\r` each end one. */
export function linesOf(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

function isPosition(value: unknown): value is Position {
  return typeof value === "object" && value !== null && typeof (value as Position).line === "number" && typeof (value as Position).column === "number";
}

function isSpan(value: unknown): value is Span {
  return typeof value === "object" && value !== null && isPosition((value as Span).start) && isPosition((value as Span).end);
}

/** Every span reachable from `value` (rules, mentions, scope globs, problems, invalid files ...), with its path. */
export function collectSpans(value: unknown): Array<{ path: string; span: Span }> {
  const found: Array<{ path: string; span: Span }> = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown, path: string) => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    if (isSpan(node)) found.push({ path, span: node });
    if (node instanceof Map) {
      for (const [key, entry] of node) walk(entry, `${path}.${String(key)}`);
      return;
    }
    for (const [key, entry] of Object.entries(node)) walk(entry, `${path}.${key}`);
  };
  walk(value, "$");
  return found;
}

/** Why a span is not inside `text`, or null when it is. */
export function spanProblem(text: string, span: Span): string | null {
  const lines = linesOf(text);
  for (const [name, position] of [
    ["start", span.start],
    ["end", span.end],
  ] as const) {
    const { line, column } = position;
    if (!Number.isInteger(line) || !Number.isInteger(column)) return `${name} is not whole numbers: ${JSON.stringify(position)}`;
    if (line < 1 || line > lines.length) return `${name}.line ${line} outside 1..${lines.length}`;
    const length = lines[line - 1]!.length;
    if (column < 1 || column > length + 1) return `${name}.column ${column} outside 1..${length + 1} (line ${line})`;
  }
  if (span.start.line > span.end.line || (span.start.line === span.end.line && span.start.column > span.end.column)) {
    return `start ${JSON.stringify(span.start)} after end ${JSON.stringify(span.end)}`;
  }
  return null;
}

export function badSpans(text: string, value: unknown): string[] {
  return collectSpans(value)
    .map(({ path, span }) => {
      const problem = spanProblem(text, span);
      return problem === null ? null : `${path}: ${problem}`;
    })
    .filter((p): p is string => p !== null);
}
