import { describe, expect, it } from "vitest";
import { parseMarkdown } from "../../src/harness/markdown.js";
import { classifySpan, isBareExtension, isCodeShapedWord, isPlaceholderName, type Shape } from "../../src/harness/mention-shape.js";
import { extractMentions } from "../../src/harness/mentions.js";

// classifySpan reads a span's text alone; context comes later (see "in context" below).
const paths: Array<[string, Shape]> = [
  ["src/cli.ts", { kind: "path", value: "src/cli.ts", directory: false }],
  ["./x", { kind: "path", value: "./x", directory: false }],
  ["../common/env", { kind: "path", value: "../common/env", directory: false }],
  ["lib/old/", { kind: "path", value: "lib/old", directory: true }],
  ["legacy-config.yaml", { kind: "path", value: "legacy-config.yaml", directory: false }],
  ["README.md", { kind: "path", value: "README.md", directory: false }],
  ["log.txt", { kind: "path", value: "log.txt", directory: false }],
  ["error.log", { kind: "path", value: "error.log", directory: false }],
  ["document.pdf", { kind: "path", value: "document.pdf", directory: false }],
  ["Dockerfile.CMD", { kind: "path", value: "Dockerfile.CMD", directory: false }],
  ["src/cli.ts:12", { kind: "path", value: "src/cli.ts", directory: false }],
  ["docs/guide.md#install", { kind: "path", value: "docs/guide.md", directory: false }],
  ["/ws", { kind: "path", value: "/ws", directory: false }], // a route: the resolver decides
  ["src/**/*.spec.ts", { kind: "glob", value: "src/**/*.spec.ts" }],
  ["{src,web}/**/*.tsx", { kind: "glob", value: "{src,web}/**/*.tsx" }],
];

const symbols: Array<[string, Shape]> = [
  ["UserImporter", { kind: "symbol", value: "UserImporter", call: false }],
  ["parseRow()", { kind: "symbol", value: "parseRow", call: true }],
  ["parse_row", { kind: "symbol", value: "parse_row", call: false }],
  ["MAX_RETRIES", { kind: "symbol", value: "MAX_RETRIES", call: false }],
  ["UserService.validate", { kind: "symbol", value: "UserService.validate", call: false }],
  ["UserService.validate(input)", { kind: "symbol", value: "UserService.validate", call: true }],
  ["Foo::bar", { kind: "symbol", value: "Foo::bar", call: false }],
  ["Foo#bar", { kind: "symbol", value: "Foo#bar", call: false }],
  ["z.object()", { kind: "symbol", value: "z.object", call: true }],
  ["Result<T>", { kind: "symbol", value: "Result", call: false }],
  ["Array<string>", { kind: "symbol", value: "Array", call: false }],
  ["@Injectable", { kind: "symbol", value: "Injectable", call: false }],
  ["@Injectable()", { kind: "symbol", value: "Injectable", call: true }],
  ["HTTPServer", { kind: "symbol", value: "HTTPServer", call: false }],
  ["string[]", null as unknown as Shape],
  // Members ending like file extensions are code: `.log` and `.env` name no file here.
  ["console.log", { kind: "symbol", value: "console.log", call: false }],
  ["process.env", { kind: "symbol", value: "process.env", call: false }],
  ["import.meta.env", { kind: "symbol", value: "import.meta.env", call: false }],
  ["tea.Cmd", { kind: "symbol", value: "tea.Cmd", call: false }],
  [".prompt()", { kind: "member", value: "prompt" }],
  [".loadRows", { kind: "member", value: "loadRows" }],
];

const nothing = [
  "npm test",
  "git commit -m",
  "--fix",
  "-v",
  "async",
  "lodash",
  "JSON",
  "TODO",
  "API",
  "v1.2.3",
  "^4.0.0",
  "1.2.3",
  "42",
  "3.14",
  "https://example.com/a.md",
  "mailto:a@b.c",
  "@scope/pkg",
  "@scope/name/sub",
  "~/.config/x",
  "$HOME/x",
  ".js",
  ".test.ts",
  ".d.ts",
  "<name>.ts",
  "src/[id]/page.tsx",
  "src/{x}.ts",
  "src/(auth)/login.tsx",
  "/api/users/:id",
  "...",
  "a = b",
  "Node.js",
  "Next.js",
  "*.md",
  "**/*.test.ts",
  "*.env.*",
  "//libs/py:lib",
  "Bash(npm test:*)",
  "node:fs",
  "localhost:3000",
  "user@example.com",
  ".gitignore",
  ".nvmrc",
  "C:\\Users\\x",
  "",
];

describe("classifySpan", () => {
  it.each(paths)("reads %s as a path or glob", (span, shape) => {
    expect(classifySpan(span)).toEqual(shape);
  });

  it.each(symbols)("reads %s as code", (span, shape) => {
    expect(classifySpan(span)).toEqual(shape);
  });

  it.each(nothing)("does not check %j", (span) => {
    expect(classifySpan(span)).toBeNull();
  });
});

describe("word shapes", () => {
  it("knows code-shaped words from prose and acronyms", () => {
    for (const word of ["camelCase", "PascalCase", "snake_case", "SCREAMING_CASE", "_private", "URLParser", "Order"]) expect(isCodeShapedWord(word), word).toBe(true);
    for (const word of ["async", "TODO", "JSON", "x"]) expect(isCodeShapedWord(word), word).toBe(false);
  });

  it("knows bare extensions", () => {
    for (const text of [".js", ".test.ts", ".d.ts", ".module.css", ".env"]) expect(isBareExtension(text), text).toBe(true);
    for (const text of ["a.js", ".github/x.yml", ".foo.bar"]) expect(isBareExtension(text), text).toBe(false);
  });

  it("knows placeholder names", () => {
    for (const name of [
      "fooBar",
      "MyComponent",
      "example-service",
      "your_module",
      "memory/YYYY-MM-DD.md",
      "ClassName_methodName_variant",
      "methodName",
      "path/to/file.test.ts",
      "src/components/PascalCase.tsx",
    ]) {
      expect(isPlaceholderName(name), name).toBe(true);
    }
    for (const name of ["AccountImporter", "src/engine/run.ts", "MAX_RETRIES", "formatMoney", "myriad", "src/dd/mm.ts", "Path/To"]) expect(isPlaceholderName(name), name).toBe(false);
  });
});

/** Mentions `markdown` yields, as `kind:value`, in order. */
function mentionsOf(markdown: string, fenced = false): string[] {
  const parsed = parseMarkdown(markdown);
  const found = extractMentions(parsed.tree, { text: markdown, lines: parsed.lines, imports: true, fenced });
  return found.map((m) => `${m.kind}:${m.value}`);
}

describe("in context (extractMentions)", () => {
  const cases: Array<[string, string, string[]]> = [
    ["plain claims", "Use `AccountImporter` in `src/cli.ts`.", ["symbol:AccountImporter", "path:src/cli.ts"]],
    ["e.g.", "Name it by role, e.g. `FooService` or `InvoiceMailer`.", []],
    ["such as", "Use repositories such as `OrderRepo`.", []],
    ["a closed aside offers only what is inside it", "Name services (e.g. `InvoiceMailer`) after `AccountImporter`.", ["symbol:AccountImporter"]],
    ["an Examples: list", "Examples:\n\n- `CheckoutFlow`\n- `RefundPolicy`\n", []],
    ["a plan", "Workflows, when added:\n\n- `introspectWorkflow()`\n", []],
    ["a planned section", "## Roadmap\n\n- `BillingEngineV2` in `src/billing/v2.ts`\n\n## Now\n\n- `AccountImporter`\n", ["symbol:AccountImporter"]],
    ["instead of", "Use `AccountImporter` instead of `UserImporter`.", ["symbol:AccountImporter"]],
    ["renamed to", "`UserImporter` was renamed to `AccountImporter`.", ["symbol:AccountImporter"]],
    ["not", "Use `AccountImporter`, not `UserImporter`.", ["symbol:AccountImporter"]],
    ["prohibition, then a new clause", "Never use `eval()`; call `safeEval()` instead.", ["symbol:safeEval"]],
    ["a prohibition to edit still names a path that must exist", "Never edit `src/gen/`.", ["path:src/gen/"]],
    ["a prohibition to use a path", "Never use `src/__tests__/`.", []],
    ["no", "Keep `package-lock.json` only (no `yarn.lock`).", ["path:package-lock.json"]],
    ["prefer over", "Prefer `AccountImporter` over `UserImporter`; iterate over `Batch.rows`.", ["symbol:AccountImporter", "symbol:Batch.rows"]],
    ["a kind of folder", "Put integration tests in a `tests/` directory.", []],
    ["names shown for a kind of thing", "Use verb phrases for functions (`get_user`, `calculate_total`).", []],
    ["a real list in parentheses", "The importers (`AccountImporter`, `CsvImporter`) share a base.", ["symbol:AccountImporter", "symbol:CsvImporter"]],
    ["(future)", "- `auth/` - authentication providers (future)\n", []],
    ["an Examples heading", "#### Examples:\n\n- `ExpensesTable/`\n\n## Layout\n\n- `src/`\n", ["path:src/"]],
    ["any file at", "A file at `src/app/page.tsx` should have a test at `tests/app/page.test.tsx`.", []],
    ["an API of a named package", "Build it with `createContext()` from `cloudflare:test`.", []],
    ["an API of a repo file", "Build it with `createContext()` from `src/ctx.ts`.", ["symbol:createContext", "path:src/ctx.ts"]],
    ["a literal reply", "Then reply `HEARTBEAT_OK`.", []],
    ["a naming pattern", "Regions follow the `exportedName_variant` pattern.", []],
    ["create", "Create `src/new-thing.ts` for it.", []],
    ["generates", "`scripts/embed.ts` generates `src/metadata.ts`.", ["path:scripts/embed.ts"]],
    ["not checked in", "Output goes to `lib/` (generated, not checked in).", []],
    ["a dash describes the span", "- `lib/` — compiled output, not checked in\n", []],
    ["installed extensions", "Postgres runs with `pg_cron` + `pg_squeeze` extensions.", []],
    ["untracked clause ends at ;", "Code lives in `src/x.ts`; generated code elsewhere.", ["path:src/x.ts"]],
    ["a runtime list", "Runtime config in `~/.app/` (never committed):\n\n- `config/secrets.json`\n", []],
    ["a branch prefix", "Branches start with `claude/`.", []],
    ["a leading-dot member", "Create an `AccountImporter` and call `.flush()`.", ["symbol:AccountImporter", "symbol:AccountImporter.flush"]],
    ["a leading-dot member needs a class before it", "Call `.flush()` later.", []],
    ["a dotfile is not a member", "`AccountImporter` output is in `.gitignore`.", ["symbol:AccountImporter"]],
    ["a table tree", "| Path |\n| --- |\n| `src/` |\n| `├─engine/` |\n", ["path:src/", "path:engine/"]],
    ["links and imports", "See @docs/a.md and [b](./docs/b.md), not [c](https://x.dev/c.md).", ["path:docs/a.md", "path:./docs/b.md"]],
    ["fenced blocks are skipped by default", "```\nsrc/gone.ts\n```\n", []],
  ];

  it.each(cases)("%s", (_name, markdown, expected) => {
    expect(mentionsOf(markdown)).toEqual(expected);
  });

  it("puts each name of a drawn tree under its folders, and the tree's root folder in bases", () => {
    const markdown = "```\nsrc/\n├── engine/\n│   └── lint.ts\n└── cli.ts\n```\n";
    const parsed = parseMarkdown(markdown);
    const found = extractMentions(parsed.tree, { text: markdown, lines: parsed.lines, imports: false, fenced: true });
    expect(found.map((m) => [m.value, m.bases, m.span.start.line, m.span.start.column])).toEqual([
      ["engine/", ["src"], 3, 5],
      ["engine/lint.ts", ["src"], 4, 9],
      ["cli.ts", ["src"], 5, 5],
    ]);
  });

  it("reads a tree drawn with indentation only, and leaves class trees alone", () => {
    const indented = "```\nmain.go      entry\ninternal/\n  app/app.go   wiring\n  config/\n    load.go\nREADME.md\n```\n";
    expect(mentionsOf(indented, true)).toEqual(["path:main.go", "path:internal/", "path:internal/app/app.go", "path:internal/config/", "path:internal/config/load.go", "path:README.md"]);
    const classes = "```\nProtocol (abstract base)\n├── Client (packages/client.ts)\n└── Server\n    └── McpServer (packages/mcp.ts)\n```\n";
    expect(mentionsOf(classes, true)).toEqual([]);
    const commands = "```\nnpm test\nnpm run build (src/ to lib/)\n```\n";
    expect(mentionsOf(commands, true)).toEqual(["path:src/", "path:lib/"]);
  });

  it("reads a snippet's undeclared classes and constants with symbols.fenced", () => {
    const snippet = [
      "```ts",
      'import { AccountImporter } from "./importer";',
      "class LocalHelper {}",
      'const x = new GoneImporter(MAX_RETRIES, "QuotedName"); // CommentName',
      "AccountImporter.loadRows(LocalHelper, OrderStore.purge());",
      "```",
      "",
    ].join("\n");
    expect(mentionsOf(snippet, true)).toEqual(["path:./importer", "symbol:GoneImporter", "symbol:MAX_RETRIES", "symbol:OrderStore.purge"]);
    expect(mentionsOf("Bad:\n\n```ts\nnew LegacyClient();\n```\n", true)).toEqual([]);
    expect(mentionsOf("```sh\nMyTool --with OTHER_FLAG\n```\n", true)).toEqual([]);
  });

  it("gives list and heading folders as bases", () => {
    const markdown = "## Web (web/app/)\n\n- `src/`\n  - `cli.ts`\n";
    const parsed = parseMarkdown(markdown);
    const found = extractMentions(parsed.tree, { text: markdown, lines: parsed.lines, imports: false, fenced: false });
    expect(found.map((m) => [m.value, m.bases])).toEqual([
      ["src/", ["web/app"]],
      ["cli.ts", ["web/app/src", "src"]],
    ]);
  });
});
