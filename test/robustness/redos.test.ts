// Inputs built to be slow: long runs of the characters that regular expressions and Markdown
// parsers backtrack or rescan on. Each is about 100 KB (a large but plausible rule file) and each
// run must finish in a couple of seconds (FAST_MS, which includes starting node).
import { afterAll } from "vitest";
import { cleanup, defineCases, repo, FAST_MS, type Case } from "./support.js";

afterAll(cleanup);

const KB100 = 100 * 1024;
const times = (unit: string, total = KB100) => unit.repeat(Math.ceil(total / unit.length));

/** The same hostile text in every place user text is read: rule prose, a code span, a post-mortem, a hook. */
function everywhere(text: string): Record<string, string> {
  return {
    "CLAUDE.md": `## Hostile\n<!-- scope: src/** -->\n${text}\n`,
    ".cursor/rules/hostile.mdc": `---\nglobs: src/**\ndescription: ${JSON.stringify(text.slice(0, 20_000))}\n---\n${text}\n`,
    "docs/postmortems/hostile.md": `---\ndate: 2026-01-01\ntitle: ${JSON.stringify(text.slice(0, 20_000))}\n---\n# PM\n## What happened\n${text}\n`,
  };
}

interface Shape {
  name: string;
  text: string;
  /** Real bug found by this shape, with the fault (the case is skipped until fixed). */
  bug?: string;
}

const SHAPES: Shape[] = [
  { name: "a run of `a` (prose)", text: times("a") },
  { name: "a run of `a` ending in `!` inside a code span", text: `\`${times("a", KB100 - 3)}!\`` },
  { name: "a run of `*`", text: times("*") },
  {
    name: "a run of `_` and `*` alternating",
    text: times("_*"),
  },
  { name: "a run of `{` inside a code span", text: `\`${times("{", KB100 - 2)}\`` },
  { name: "`{a,` nested 10,000 deep inside a code span", text: `\`src/${"{a,".repeat(10_000)}b${"}".repeat(10_000)}\`` },
  { name: "a line of backticks", text: times("`") },
  { name: "backtick runs of growing length", text: Array.from({ length: 400 }, (_, i) => "`".repeat(i + 1) + " x ").join("") },
  {
    name: "`e.g.` repeated in one sentence",
    text: times("e.g. "),
  },
  {
    name: "`e.g. `FooBar`` repeated in one sentence",
    text: times("e.g. `FooBar` "),
  },
  {
    name: "alternating backtick and space (thousands of code spans in one sentence)",
    text: times("` "),
  },
  {
    name: "thousands of identifier spans and `.member()` spans in one sentence",
    text: times("`Foo` and `.bar()` "),
  },
  {
    name: "nested brackets: 50,000 `[` then 50,000 `]`",
    text: `${"[".repeat(KB100 / 2)}${"]".repeat(KB100 / 2)}`,
  },
  { name: "nested brackets inside a code span", text: `\`${"[".repeat(KB100 / 2 - 1)}${"]".repeat(KB100 / 2 - 1)}\`` },
  {
    name: "unclosed link openers `[x](` repeated",
    text: times("[x]("),
  },
  { name: "unclosed HTML comments `<!--` repeated", text: times("<!-- ") },
  { name: "`<` repeated (generics/placeholders shape)", text: times("<") },
  { name: "`a.` repeated inside a code span (dotted member chain)", text: `\`${times("a.", KB100 - 4)}b\`` },
  { name: "`a::` repeated inside a code span", text: `\`${times("a::", KB100 - 4)}b\`` },
  { name: "`../` repeated inside a code span", text: `\`${times("../", KB100 - 4)}x\`` },
  { name: "`prefer` repeated before a span (context regex with .*)", text: `${times("prefer ", KB100 - 20)}\`FooBar\` x` },
  { name: "`renamed` repeated before a span", text: `${times("renamed ", KB100 - 20)}\`FooBar\`` },
  { name: "`, use` repeated before a span (clause breaks)", text: `${times(", use", KB100 - 20)}\`FooBar\`` },
  {
    name: "`- ` repeated (lists nested thousands deep)",
    text: `${times(" - ", 30_000)}\`FooBar\``,
  },
  {
    name: "`> ` repeated (block quotes nested thousands deep)",
    text: `${times("> ", 30_000)}\`FooBar\``,
  },
  { name: "a directory tree of 5,000 lines", text: Array.from({ length: 5_000 }, (_, i) => `${"│  ".repeat(i % 30)}├─ f${i}.ts`).join("\n") },
  { name: "a 100 KB line of `├─`", text: times("├─") },
  {
    name: "astral characters and combining marks",
    text: times("𝒜\u0301🚀`𝒳`"),
  },
  { name: "a 100 KB URL", text: `<https://example.com/${times("a/", KB100 - 40)}>` },
  { name: "a 100 KB autolink-literal candidate (www.)", text: `www.${times("a.", KB100 - 10)}com` },
  { name: "`@` imports repeated", text: times("@a/ ") },
  {
    name: "a 100 KB heading",
    text: `## ${times("Heading `FooBar` ")}`,
  },
  { name: "a 100 KB table row", text: `| a | b |\n|---|---|\n| ${times("`x` | ")}\n` },
  // Found while fixing the above: each was quadratic or worse in micromark (or in a heading regex).
  { name: "a paragraph of 25,000 short lines (GFM autolink literals split it at every word)", text: times("a b\n") },
  { name: "a staircase of lists nested by indentation", text: Array.from({ length: 400 }, (_, i) => `${" ".repeat(2 * i)}- x`).join("\n") },
  { name: "emphasis nested 25,000 deep", text: `${"*".repeat(KB100 / 2)}a${"*".repeat(KB100 / 2)}` },
  { name: "a heading with a 100 KB run of blanks before `{#`", text: `## a${" ".repeat(KB100)}b {#\n` },
];

const cases: Case[] = SHAPES.map(
  (shape): Case => ({
    ...(shape.bug ? { bug: shape.bug } : {}),
    name: `ReDoS-shaped input: ${shape.name}`,
    setup: () => repo(everywhere(shape.text)),
    expect: { kind: "findings" },
    limitMs: FAST_MS,
  }),
);

/** Hostile strings in JSON and YAML hook files and in configuration values. */
const structured: Case[] = [
  {
    name: "ReDoS-shaped input: a 100 KB hook command of `a`, `$`, quotes and `&&`",
    setup: () =>
      repo({
        ".claude/settings.json": JSON.stringify({
          hooks: {
            PreToolUse: [
              { matcher: times("a|", 20_000), hooks: [{ type: "command", command: times("a") }] },
              { hooks: [{ type: "command", command: times("$(x) && ") }] },
              { hooks: [{ type: "command", command: times("\"'\\ ") }] },
              { hooks: [{ type: "command", command: `bash ${times("../")}x.sh` }] },
            ],
          },
        }),
        ".husky/pre-commit": `${times("a=b ", 50_000)}./x.sh\n${times("|| ")}\n`,
        "lefthook.yml": `pre-commit:\n  commands:\n    x:\n      run: ${JSON.stringify(times("node "))}\n`,
      }),
    expect: { kind: "findings" },
    limitMs: FAST_MS,
  },
  {
    name: "ReDoS-shaped input: settings.json with 100 KB of `/*` and `//` comment openers in strings",
    setup: () => repo({ ".claude/settings.json": `{"a": ${JSON.stringify(times("/*//"))}, "b": [${times('"\\u0000",', 50_000)} 1]}` }),
    expect: { kind: "findings" },
    limitMs: FAST_MS,
  },
  {
    name: "ReDoS-shaped input: config globs built to backtrack",
    setup: () =>
      repo({
        ".harnessrc.yml": `harness:\n  include: ["**/AGENTS.md", ${JSON.stringify(`${"*".repeat(2000)}a`)}, ${JSON.stringify(`${"{a,".repeat(500)}b${"}".repeat(500)}`)}, ${JSON.stringify("**/".repeat(2000))}]\nsymbols:\n  ignore: [${JSON.stringify(`${"(a+)+".repeat(100)}$`)}, ${JSON.stringify("*".repeat(5000))}]\n`,
      }),
    expect: { kind: "settled" },
    limitMs: FAST_MS,
  },
  {
    name: "ReDoS-shaped input: a frontmatter scope of 10,000 globs",
    setup: () => repo({ ".claude/rules/many.md": `---\npaths:\n${Array.from({ length: 10_000 }, (_, i) => `  - "src/**/${"*".repeat(i % 20)}${i}/**"`).join("\n")}\n---\nBody.\n` }),
    expect: { kind: "findings" },
    limitMs: FAST_MS,
  },
  {
    name: "ReDoS-shaped input: an inline scope comment of 100 KB",
    setup: () => repo({ "CLAUDE.md": `## Scoped\n<!-- scope: ${times("src/**/a*, ")} -->\nBody.\n` }),
    expect: { kind: "findings" },
    limitMs: FAST_MS,
  },
];

defineCases("ReDoS-shaped inputs finish in a couple of seconds", [...cases, ...structured]);
