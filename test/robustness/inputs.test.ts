// Bad file contents: binary and non-UTF-8 files, huge files, line endings, hostile YAML and JSON,
// broken post-mortems and globs. Each case states what must happen; every case also checks that the
// run is bounded, prints no stack trace and changes no file (support.ts).
import { afterAll, expect } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonFinding, JsonReport } from "../helpers/cli.js";
import { cleanup, defineCases, expectInvalidFile, git, repo, type Case } from "./support.js";

afterAll(cleanup);

const PM_SECTIONS = "# PM\n## What happened\n## What the agent was working from\n## Where the layers failed\n## What changes\n## What we are not doing\n";

function finding(report: JsonReport | null, file: string, mention: string): JsonFinding | undefined {
  return report?.findings.find((f) => f.file === file && f.mention === mention);
}

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

const cases: Case[] = [
  // --- binary and non-UTF-8 -------------------------------------------------------------------
  {
    name: "binary CLAUDE.md (NUL byte on line 3) is invalid-file at the byte",
    setup: () => repo({ "CLAUDE.md": bytes("## A\ntext\nab", [0, 1, 2, 0xff], "\n") }),
    expect: { kind: "findings", invalid: { file: "CLAUDE.md", line: 3, column: 3 } },
  },
  {
    name: "Latin-1 rule file (not UTF-8) is invalid-file at the first bad byte",
    setup: () => repo({ ".claude/rules/latin1.md": bytes("---\npaths: src/**\n---\ncaf", [0xe9], " au lait\n") }),
    expect: { kind: "findings", invalid: { file: ".claude/rules/latin1.md", line: 4, column: 4 } },
  },
  {
    name: "UTF-16 encoded AGENTS.md in a subfolder is invalid-file",
    setup: () => repo({ "pkg/AGENTS.md": Buffer.from("\uFEFF## Rule\nUse `X`.\n", "utf16le") }),
    expect: { kind: "findings", invalid: { file: "pkg/AGENTS.md", line: 1 } },
  },
  {
    name: "truncated UTF-8 sequence at the end of a .mdc file is invalid-file",
    setup: () => repo({ ".cursor/rules/cut.mdc": bytes("---\nalwaysApply: true\n---\nend ", [0xe2, 0x82]) }),
    expect: { kind: "findings", invalid: { file: ".cursor/rules/cut.mdc", line: 4, column: 5 } },
  },
  {
    name: "binary post-mortem is invalid-file",
    setup: () => repo({ "docs/postmortems/2026-01-01-bin.md": bytes([0x89], "PNG\r\n", [0x1a, 0x0a, 0x00, 0x00]) }),
    expect: { kind: "findings", invalid: { file: "docs/postmortems/2026-01-01-bin.md", line: 3, column: 1 } },
  },
  {
    name: "binary .claude/settings.json is invalid-file",
    setup: () => repo({ ".claude/settings.json": bytes("{", [0, 0, 0], "}") }),
    expect: { kind: "findings", invalid: { file: ".claude/settings.json", line: 1, column: 2 } },
  },
  {
    name: "binary husky hook is invalid-file",
    setup: () => repo({ ".husky/pre-commit": bytes([0x7f], "ELF", [2, 1, 1, 0, 0, 0]) }),
    expect: { kind: "findings", invalid: { file: ".husky/pre-commit", line: 1 } },
  },
  {
    name: "empty harness files (0 bytes) are linted without complaint",
    setup: () => repo({ "CLAUDE.md": "", ".cursor/rules/empty.mdc": "", ".claude/settings.json": "{}", "docs/postmortems/empty.md": "" }),
    expect: { kind: "findings" },
  },

  // --- size -------------------------------------------------------------------------------------
  {
    name: "100 KB code span is bounded and not reported as a name",
    setup: () => repo({ "CLAUDE.md": `## Span\n<!-- scope: src/** -->\nUse \`${"a".repeat(50 * 1024)}B${"c".repeat(50 * 1024)}\` here.\n` }),
    expect: { kind: "findings" },
    check: (_run, report) => expect(report!.findings.filter((f) => f.file === "CLAUDE.md" && f.check.startsWith("stale-"))).toEqual([]),
  },
  {
    name: "1 MB rule file of ordinary paragraphs is linted within the limit",
    setup: () => {
      const paragraph = "Keep the importer small and call `AccountImporter` from the queue worker, never inline.\n\n";
      return repo({ "CLAUDE.md": `## Big\n<!-- scope: src/** -->\n${paragraph.repeat(Math.ceil((1024 * 1024) / paragraph.length))}Last: \`GoneAtTheEnd\`.\n` });
    },
    expect: { kind: "findings" },
    check: (_run, report) => expect(finding(report, "CLAUDE.md", "GoneAtTheEnd")).toBeDefined(),
  },
  // Was cubic in the number of sections (src/harness/harness.ts sectionRules, anchorsInside): 1,000 headings took ~11 s, 10,000 never finished.
  {
    name: "10,000 headings: every section is a rule and the last one is still checked",
    setup: () => {
      const sections = Array.from({ length: 10_000 }, (_, i) => `## Rule ${i}\n<!-- scope: src/** -->\nUse \`AccountImporter\`.\n`).join("");
      return repo({ "CLAUDE.md": `${sections}## Last\n<!-- scope: src/** -->\nUse \`GoneAfterManyHeadings\`.\n` });
    },
    expect: { kind: "findings" },
    check: (_run, report) => {
      expect(report!.summary.items).toBeGreaterThanOrEqual(10_001);
      expect(finding(report, "CLAUDE.md", "GoneAfterManyHeadings")?.line).toBe(30_003);
    },
  },
  // Harness files, post-mortems and hook files over 2 MiB are not read (MAX_HARNESS_FILE_BYTES, src/engine/build-model.ts); a 50 MB GEMINI.md used to be still parsing after 60 s.
  {
    name: "50 MB rule file (generated, untracked) is refused or linted within the limit, never a hang",
    setup: () => {
      const dir = repo();
      const line = "Prose about the importer and `AccountImporter`, repeated to make a very large rule file.\n\n";
      writeFileSync(join(dir, "GEMINI.md"), `## Huge\n<!-- scope: src/** -->\n${line.repeat(Math.ceil((50 * 1024 * 1024) / line.length))}`);
      return dir;
    },
    // A size cap is the expected answer: invalid-file "too large" at 1:1, naming the size and the cap.
    expect: { kind: "findings", invalid: { file: "GEMINI.md", line: 1, column: 1 } },
    check: (_run, report) => {
      const found = report!.findings.find((f) => f.check === "invalid-file" && f.file === "GEMINI.md")!;
      expect(found.message).toMatch(/\b50\.\d MiB\b.*\b2 MiB\b/);
    },
  },
  {
    name: "a post-mortem and a settings.json over the size cap are invalid-file each; the rest is linted",
    setup: () =>
      repo({
        "docs/postmortems/huge.md": `---\ndate: 2026-01-01\n---\n# PM\n${"Words about the import. ".repeat(Math.ceil((3 * 1024 * 1024) / 24))}\n`,
        ".claude/settings.json": `{"hooks": {}, "padding": ${JSON.stringify("x".repeat(3 * 1024 * 1024))}}`,
      }),
    expect: { kind: "findings", invalid: { file: "docs/postmortems/huge.md", line: 1, column: 1 } },
    check: (_run, report) => expectInvalidFile(report!, ".claude/settings.json", 1, 1),
  },
  {
    name: "a staged rule file over the size cap is invalid-file in --staged too",
    setup: () => {
      const dir = repo();
      writeFileSync(join(dir, "CLAUDE.md"), `## Huge\n<!-- scope: src/** -->\n${"Use `AccountImporter` well.\n".repeat(Math.ceil((3 * 1024 * 1024) / 28))}`);
      git(dir, ["add", "CLAUDE.md"]);
      return dir;
    },
    args: ["--staged"],
    expect: { kind: "findings", invalid: { file: "CLAUDE.md", line: 1, column: 1 }, healthy: false },
  },

  // --- line endings and BOM (positions must be right in each) ---------------------------------
  {
    name: "CRLF: a stale name is reported at the right line and column",
    setup: () => repo({ "CLAUDE.md": "# Title\r\n\r\n## A\r\n<!-- scope: src/** -->\r\nUse `AccountImporter` and `GoneCrlf`.\r\n" }),
    expect: { kind: "findings" },
    check: (_run, report) => expect(finding(report, "CLAUDE.md", "GoneCrlf")).toMatchObject({ line: 5, column: 27, endLine: 5, endColumn: 37 }),
  },
  {
    name: "BOM: columns on the first line do not count the BOM",
    setup: () => repo({ "CLAUDE.md": "\uFEFFUse `GoneBomFirstLine` first.\n\n## A\n<!-- scope: src/** -->\nUse `GoneBom`.\n" }),
    expect: { kind: "findings" },
    check: (_run, report) => {
      expect(finding(report, "CLAUDE.md", "GoneBomFirstLine")).toMatchObject({ line: 1, column: 5, endColumn: 23 });
      expect(finding(report, "CLAUDE.md", "GoneBom")).toMatchObject({ line: 5, column: 5, endColumn: 14 });
    },
  },
  {
    name: "mixed endings (LF, CRLF, lone CR): each ending counts as one line",
    setup: () => repo({ "CLAUDE.md": "## A\r\n<!-- scope: src/** -->\nfirst\rsecond\r\n\nUse `GoneMixed` here.\n" }),
    expect: { kind: "findings" },
    check: (_run, report) => expect(finding(report, "CLAUDE.md", "GoneMixed")).toMatchObject({ line: 6, column: 5, endColumn: 16 }),
  },
  {
    name: "BOM + CRLF frontmatter: the scope is read and a stale name is placed right",
    setup: () => repo({ ".claude/rules/crlf.md": "\uFEFF---\r\npaths: src/**\r\n---\r\n# Rule\r\nUse `GoneCrlfRule`.\r\n" }),
    expect: { kind: "findings" },
    check: (_run, report) => {
      expect(finding(report, ".claude/rules/crlf.md", "GoneCrlfRule")).toMatchObject({ line: 5, column: 5 });
      expect(report!.findings.filter((f) => f.file === ".claude/rules/crlf.md" && f.check === "unscoped-rule")).toEqual([]);
    },
  },
  {
    name: "CRLF post-mortem with a bad date: invalid-file at the value",
    setup: () => repo({ "docs/postmortems/crlf.md": `---\r\nid: PM-1\r\ndate: soon\r\n---\r\n${PM_SECTIONS.replace(/\n/g, "\r\n")}` }),
    expect: { kind: "findings", invalid: { file: "docs/postmortems/crlf.md", line: 3, column: 7 } },
  },

  {
    name: "lone-CR post-mortem with a bad date: invalid-file at the value",
    setup: () => repo({ "docs/postmortems/cr.md": `---\rdate: soon\r---\r${PM_SECTIONS.replace(/\n/g, "\r")}` }),
    expect: { kind: "findings", invalid: { file: "docs/postmortems/cr.md", line: 2, column: 7 } },
  },
  {
    name: "CRLF post-mortem with an unclosed flow list: the invalid-file span ends inside its line",
    setup: () => repo({ "docs/postmortems/crlf-flow.md": `---\r\ndate: [\r\n---\r\n${PM_SECTIONS.replace(/\n/g, "\r\n")}` }),
    expect: { kind: "findings", invalid: { file: "docs/postmortems/crlf-flow.md", line: 2 } },
    check: (_run, report) => {
      const found = report!.findings.find((f) => f.check === "invalid-file")!;
      expect(found.endColumn).toBeLessThanOrEqual("date: [".length + 1);
    },
  },
  {
    name: "two BOMs: both are dropped and columns stay right",
    setup: () => repo({ "CLAUDE.md": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from("## A\n<!-- scope: src/** -->\nUse `GoneTwoBoms`.\n")]) }),
    expect: { kind: "findings" },
    check: (_run, report) => expect(finding(report, "CLAUDE.md", "GoneTwoBoms")).toMatchObject({ line: 3, column: 5 }),
  },
  {
    name: "three BOMs: columns stay right",
    setup: () => repo({ "CLAUDE.md": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from("## A\n<!-- scope: src/** -->\nUse `GoneThreeBoms`.\n")]) }),
    expect: { kind: "findings" },
    check: (_run, report) => expect(finding(report, "CLAUDE.md", "GoneThreeBoms")).toMatchObject({ line: 3, column: 5 }),
  },

  // --- hostile or malformed YAML frontmatter ----------------------------------------------------
  {
    name: "billion laughs in a post-mortem's frontmatter is invalid-file, fast",
    setup: () => repo({ "docs/postmortems/lol.md": `---\n${billionLaughs()}date: 2026-01-01\n---\n${PM_SECTIONS}` }),
    expect: { kind: "findings", invalid: { file: "docs/postmortems/lol.md" } },
  },
  {
    name: "billion laughs in a rule's frontmatter is bounded (read loosely or reported, never expanded)",
    setup: () => repo({ ".claude/rules/lol.md": `---\n${billionLaughs()}paths: src/**\n---\nUse \`GoneUnderLaughs\`.\n` }),
    expect: { kind: "findings" },
    check: (run) => expect(run.stdout.length).toBeLessThan(1_000_000),
  },
  {
    name: "alias bomb through merge keys in a Cursor rule is bounded",
    setup: () => {
      let yaml = "a0: &a0 {x: 1, y: 2}\n";
      for (let i = 1; i < 30; i++) yaml += `a${i}: &a${i}\n  <<: [*a${i - 1}, *a${i - 1}]\n  k${i}: [*a${i - 1}, *a${i - 1}, *a${i - 1}]\n`;
      return repo({ ".cursor/rules/merge.mdc": `---\n${yaml}globs: src/**\n---\nBody.\n` });
    },
    expect: { kind: "findings" },
  },
  {
    name: "duplicate keys in a Claude rule's frontmatter: invalid-file at the duplicate",
    setup: () => repo({ ".claude/rules/dup.md": "---\npaths: src/**\npaths:\n  - lib/**\n---\nBody.\n" }),
    expect: { kind: "findings", invalid: { file: ".claude/rules/dup.md", line: 3 } },
  },
  {
    name: "duplicate keys in a post-mortem: invalid-file at the duplicate",
    setup: () => repo({ "docs/postmortems/dup.md": `---\ndate: 2026-01-01\ndate: 2026-01-02\n---\n${PM_SECTIONS}` }),
    expect: { kind: "findings", invalid: { file: "docs/postmortems/dup.md", line: 3 } },
  },
  {
    name: "wrong types in a post-mortem (date a list, changes a map): invalid-file at the value",
    setup: () => repo({ "docs/postmortems/types.md": `---\ndate: [2026, 1, 1]\nchanges: {a: 1}\n---\n${PM_SECTIONS}` }),
    expect: { kind: "findings", invalid: { file: "docs/postmortems/types.md", line: 2, column: 7 } },
  },
  {
    name: "wrong types in rule frontmatter (paths a map, applyTo a number) are scope problems, not crashes",
    setup: () =>
      repo({
        ".claude/rules/map.md": "---\npaths: {src: true}\n---\nBody.\n",
        ".github/instructions/num.instructions.md": "---\napplyTo: 42\n---\nBody.\n",
        ".cursor/rules/obj.mdc": "---\nglobs: {a: [1, {b: null}]}\nalwaysApply: [yes]\n---\nBody.\n",
      }),
    expect: { kind: "findings" },
  },
  {
    name: "frontmatter that is a list (not a map): invalid-file naming the block",
    setup: () => repo({ ".claude/rules/list.md": "---\n- a\n- b\n---\nBody.\n", "docs/postmortems/list.md": `---\n- 2026-01-01\n---\n${PM_SECTIONS}` }),
    expect: { kind: "findings", invalid: { file: "docs/postmortems/list.md", line: 1 } },
    check: (_run, report) => expectInvalidFile(report!, ".claude/rules/list.md", 1),
  },
  {
    name: "frontmatter that is a scalar or a tagged value is handled",
    setup: () =>
      repo({
        ".claude/rules/scalar.md": "---\njust a sentence\n---\nBody.\n",
        ".claude/rules/tag.md": "---\n!!js/function 'function(){ return process.exit(3) }'\n---\nBody.\n",
        "docs/postmortems/tagged.md": `---\ndate: !!timestamp 2026-01-01\nchanges: !!python/object:os.system [ls]\n---\n${PM_SECTIONS}`,
      }),
    expect: { kind: "findings" },
  },
  {
    name: "deeply nested flow YAML (10,000 brackets) is bounded",
    setup: () =>
      repo({ ".claude/rules/deep.md": `---\npaths: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n---\nBody.\n`, "docs/postmortems/deep.md": `---\nchanges: ${"[".repeat(10_000)}\n---\n${PM_SECTIONS}` }),
    expect: { kind: "findings", invalid: { file: "docs/postmortems/deep.md", line: 2 } },
  },
  {
    name: "unterminated frontmatter is body text, not a crash",
    setup: () => repo({ ".claude/rules/open.md": "---\npaths: src/**\nUse `GoneOpenFront`.\n", "docs/postmortems/open.md": "---\ndate: 2026-01-01\n# PM\n" }),
    expect: { kind: "findings" },
  },
  {
    name: "invalid YAML in a post-mortem (bad indentation) is invalid-file with a line",
    setup: () => repo({ "docs/postmortems/indent.md": `---\ndate: 2026-01-01\nchanges:\n  - a\n - b\n---\n${PM_SECTIONS}` }),
    expect: { kind: "findings", invalid: { file: "docs/postmortems/indent.md" } },
    check: (_run, report) => expect(report!.findings.find((f) => f.check === "invalid-file")!.line).toBeGreaterThanOrEqual(2),
  },
  {
    name: "YAML frontmatter with a 100 KB scalar and 10,000 keys is bounded",
    setup: () =>
      repo({
        ".claude/rules/wide.md": `---\npaths: "${"x".repeat(100 * 1024)}"\n${Array.from({ length: 10_000 }, (_, i) => `k${i}: v${i}`).join("\n")}\n---\nBody.\n`,
      }),
    expect: { kind: "findings" },
  },
  {
    name: "hostile lefthook.yml and .pre-commit-config.yaml (alias bomb, not a map) are invalid-file",
    setup: () => repo({ "lefthook.yml": billionLaughs(), ".pre-commit-config.yaml": "- just\n- a list\n" }),
    expect: { kind: "findings", invalid: { file: ".pre-commit-config.yaml", line: 1 } },
  },

  // --- .claude/settings.json ----------------------------------------------------------------------
  {
    name: "settings.json with comments and trailing commas is valid (its hook is read)",
    setup: () =>
      repo(
        {
          ".claude/settings.json": `// Claude Code settings\n{\n  /* hooks */\n  "hooks": {\n    "PreToolUse": [\n      {\n        "matcher": "Bash",\n        "hooks": [{ "type": "command", "command": "./scripts/gone-hook.sh", }, ],\n      },\n    ],\n  },\n}\n`,
        },
        { formerly: { "scripts/gone-hook.sh": "#!/bin/sh\nexit 0\n" } },
      ),
    expect: { kind: "findings" },
    check: (_run, report) => {
      expect(report!.findings.filter((f) => f.check === "invalid-file")).toEqual([]);
      expect(report!.findings.find((f) => f.file === ".claude/settings.json" && f.check === "stale-path")).toMatchObject({ line: 8 });
    },
  },
  {
    name: "truncated settings.json is invalid-file at the unterminated string, with line:col",
    setup: () => repo({ ".claude/settings.json": `{\n  "hooks": {\n    "PreToolUse": [\n      { "matcher": "Bash", "hooks": [{ "type": "comm` }),
    expect: { kind: "findings", invalid: { file: ".claude/settings.json", line: 4, column: 48 } },
  },
  {
    name: "settings.json that is not JSON at all is invalid-file at 1:1",
    setup: () => repo({ ".claude/settings.json": "hooks = [ 'not json' ]\n" }),
    expect: { kind: "findings", invalid: { file: ".claude/settings.json", line: 1, column: 1 } },
  },
  {
    name: "settings.local.json with an unterminated comment is invalid-file at the comment",
    setup: () => repo({ ".claude/settings.local.json": '{\n  "a": 1\n  /* never closed\n}\n' }),
    expect: { kind: "findings", invalid: { file: ".claude/settings.local.json", line: 3, column: 3 } },
  },
  {
    name: "settings.json nested 100,000 deep is invalid-file, not a stack overflow",
    setup: () => repo({ ".claude/settings.json": `{"hooks": ${"[".repeat(100_000)}${"]".repeat(100_000)}}` }),
    expect: { kind: "findings", invalid: { file: ".claude/settings.json", line: 1 } },
  },
  {
    name: "settings.json with hooks of the wrong shape (strings, numbers, nulls) is read without crashing",
    setup: () => repo({ ".claude/settings.json": '{"hooks": {"PreToolUse": "x", "PostToolUse": [1, null, "s", {"hooks": "no"}, {"hooks": [null, {"command": 5}]}], "Stop": null}}' }),
    expect: { kind: "findings" },
  },

  // --- post-mortems -------------------------------------------------------------------------------
  {
    name: "post-mortem without frontmatter: a shape warning, no crash",
    setup: () => repo({ "docs/postmortems/nofront.md": PM_SECTIONS }),
    expect: { kind: "findings" },
    check: (_run, report) => expect(report!.findings.some((f) => f.file === "docs/postmortems/nofront.md" && f.check === "postmortem-shape")).toBe(true),
  },
  ...(
    [
      ["yesterday", 7],
      ["2026-02-30", 7],
      ["2026-13-01", 7],
      ["'20260101'", 7],
      ["99999-01-01", 7],
      ["2026-01-01T25:99:00Z", 7],
      ["1e400", 7],
    ] as const
  ).map(
    ([date, column]): Case => ({
      name: `post-mortem date ${JSON.stringify(date)} is invalid-file at the value`,
      setup: () => repo({ "docs/postmortems/date.md": `---\ndate: ${date}\n---\n${PM_SECTIONS}` }),
      expect: { kind: "findings", invalid: { file: "docs/postmortems/date.md", line: 2, column } },
    }),
  ),
  {
    name: "post-mortem with 10,000 changes and 10,000 links is bounded",
    setup: () =>
      repo({
        "docs/postmortems/many.md": `---\ndate: 2026-01-01\nchanges:\n${Array.from({ length: 10_000 }, (_, i) => `  - CLAUDE.md#gone-${i}`).join("\n")}\n---\n${PM_SECTIONS}${Array.from({ length: 10_000 }, (_, i) => `[r](../../CLAUDE.md#x-${i})`).join(" ")}\n`,
      }),
    expect: { kind: "findings" },
  },

  // --- globs with invalid syntax -------------------------------------------------------------------
  {
    name: "invalid globs in every scope field are findings, not crashes",
    setup: () =>
      repo({
        ".claude/rules/bad.md": '---\npaths:\n  - "src/[a-"\n  - "src/{a,b"\n  - "src/**/***/(x"\n  - "!(((("\n---\nBody.\n',
        ".cursor/rules/bad.mdc": "---\nglobs: src/{a,b, [z-a], **/*.{ts\nalwaysApply: false\n---\nBody.\n",
        ".github/instructions/bad.instructions.md": '---\napplyTo: "+(a|b"\n---\nBody.\n',
        ".kiro/steering/bad.md": '---\ninclusion: fileMatch\nfileMatchPattern: "[[[[[["\n---\nBody.\n',
        "CLAUDE.md": "## Scoped badly\n<!-- scope: src/[**, {{{{, ./../.. -->\nUse `AccountImporter`.\n",
      }),
    expect: { kind: "findings" },
    check: (_run, report) => {
      const deadScope = (file: string) => report!.findings.filter((f) => f.file === file && f.check === "dead-scope").map((f) => `${f.line}:${f.column}`);
      expect(deadScope(".claude/rules/bad.md")).toEqual(["3:5", "4:5", "5:5", "6:5"]);
      expect(deadScope(".cursor/rules/bad.mdc")).toEqual(["2:8"]);
      expect(deadScope(".github/instructions/bad.instructions.md")).toEqual(["2:11"]);
      expect(deadScope(".kiro/steering/bad.md")).toEqual(["3:20"]);
      expect(deadScope("CLAUDE.md").length).toBeGreaterThanOrEqual(1);
    },
  },
  {
    name: "a rule naming an invalid or huge glob in a code span is bounded",
    setup: () => repo({ "CLAUDE.md": `## Globs\n<!-- scope: src/** -->\nSee \`src/[a-\` and \`src/${"{a,".repeat(2000)}b${"}".repeat(2000)}\` and \`${"**/".repeat(5000)}x.ts\`.\n` }),
    expect: { kind: "findings" },
  },
];

defineCases("bad inputs: file contents", cases);

function billionLaughs(): string {
  const lines = ['lol0: &lol0 "lol"'];
  for (let i = 1; i < 12; i++) lines.push(`lol${i}: &lol${i} [${Array.from({ length: 10 }, () => `*lol${i - 1}`).join(", ")}]`);
  return `${lines.join("\n")}\n`;
}
