import { fromMarkdown } from "mdast-util-from-markdown";
import { describe, expect, it } from "vitest";
import { parseMarkdown } from "../../src/harness/markdown.js";
import { extractMentions, readMentions } from "../../src/harness/mentions.js";
import { LineIndex } from "../../src/shared/text.js";

function mentions(text: string, imports = false) {
  const parsed = parseMarkdown(text);
  return extractMentions(parsed.tree, { text, lines: parsed.lines, imports, fenced: false });
}

const raws = (text: string) => mentions(text).map((m) => m.raw);

describe("sentences", () => {
  it("reads each span in its own sentence, as before", () => {
    expect(raws("Use `GoneA`. For example `GoneB`.\n")).toEqual(["GoneA"]);
    expect(raws("For example `GoneB`. Use `GoneA`.\n")).toEqual(["GoneA"]);
    // "e.g." does not end the sentence, a full stop split across text and a span does.
    expect(raws("Use e.g. `GoneB` or `GoneC`.\n")).toEqual([]);
    expect(raws("Try `x`. Now `GoneD`!\n")).toEqual(["GoneD"]);
    expect(raws("Try (e.g. `GoneE`) and `GoneF`.\n")).toEqual(["GoneF"]);
    expect(raws("Try (e.g. `GoneE` and `GoneF`.\n")).toEqual([]);
    expect(raws("Examples\n`GoneG` here.\n")).toEqual(["GoneG"]);
  });

  it("is linear in the spans of one sentence: thousands in one line take a second at most (they took 15 s)", () => {
    const text = `## A\n${"e.g. `FooBar` ".repeat(8_000)}\n\n${"`AccountImporter` and `.run()` ".repeat(3_500)}\n`;
    // Parsed without parseMarkdown's limits (a 100 KB paragraph is over them): the sentence reader alone.
    const tree = fromMarkdown(text);
    const found = extractMentions(tree, { text, lines: new LineIndex(text), imports: false, fenced: false });
    // All of the first are examples; of the second, only the spans in the first 2,000 characters count.
    expect(found.filter((m) => m.raw === "FooBar")).toEqual([]);
    const read = found.filter((m) => m.raw === "AccountImporter");
    expect(read.length).toBeGreaterThan(40);
    expect(read.length).toBeLessThan(100);
    // 2,000 characters of sentence text (code spans lose their backticks in it).
    expect(Math.max(...read.map((m) => m.span.start.column))).toBeLessThan(2_400);
  });

  it("reads no span further than 2,000 characters into one sentence, and starts again at the next", () => {
    const long = `Use ${"word ".repeat(500)}\`GoneLate\`. Then \`GoneNext\`.\n`;
    expect(raws(long)).toEqual(["GoneNext"]);
    const shorter = `Use ${"word ".repeat(300)}\`GoneInTime\`.\n`;
    expect(raws(shorter)).toEqual(["GoneInTime"]);
  });

  it("places each repeated @import at its own column", () => {
    const found = mentions("See @docs/a.md and @docs/a.md again.\n", true);
    expect(found.map((m) => [m.raw, m.span.start.column])).toEqual([
      ["@docs/a.md", 5],
      ["@docs/a.md", 20],
    ]);
  });
});

describe("hedged mentions: kept apart from claims, with their hedge", () => {
  function read(text: string) {
    const parsed = parseMarkdown(text);
    return readMentions(parsed.tree, { text, lines: parsed.lines, imports: false, fenced: false });
  }
  const hedges = (text: string) => read(text).hedged.map((m) => `${m.value}:${m.hedge}`);
  const claims = (text: string) => read(text).mentions.map((m) => `${m.value}${m.guard ? ":guard" : ""}`);

  it("reads examples, prohibitions, deprecations and former names as hedges, never as claims", () => {
    expect(hedges("Never call `UserImporter` directly.\n")).toEqual(["UserImporter:prohibition"]);
    expect(hedges("Avoid `eval()`.\n")).toEqual(["eval:prohibition"]);
    expect(hedges("Use `AccountImporter` instead of `UserImporter`.\n")).toEqual(["UserImporter:prohibition"]);
    expect(hedges("Name importers after what they import, e.g. `UserImporter`.\n")).toEqual(["UserImporter:example"]);
    expect(hedges("Examples:\n\n- `UserImporter`\n- `OrderImporter`\n")).toEqual(["UserImporter:example", "OrderImporter:example"]);
    expect(hedges("Bad:\n\n- `UserImporter`\n")).toEqual(["UserImporter:prohibition"]);
    expect(hedges("The deprecated `CsvWriter` stays.\n")).toEqual(["CsvWriter:deprecated"]);
    expect(hedges("`CsvWriter` is deprecated.\n")).toEqual(["CsvWriter:deprecated"]);
    expect(hedges("`AccountImporter` (formerly `UserImporter`) imports rows.\n")).toEqual(["UserImporter:former"]);
    expect(hedges("`UserImporter` was renamed to `AccountImporter`.\n")).toEqual(["UserImporter:former"]);
    // A former name outranks a prohibition: the rule says the name is gone.
    expect(hedges("Never use the old name `UserImporter`.\n")).toEqual(["UserImporter:former"]);
    expect(hedges("Never reintroduce `UserImporter`.\n")).toEqual(["UserImporter:former"]);
    for (const text of ["Never call `UserImporter` directly.\n", "e.g. `UserImporter`\n", "`AccountImporter` (formerly `UserImporter`)\n"]) {
      expect(
        claims(text).filter((c) => c.startsWith("UserImporter")),
        text,
      ).toEqual([]);
    }
  });

  it("keeps plans, patterns, placeholders and other services' names out of both lists", () => {
    for (const text of [
      "Sessions move to `SessionStoreV2` when added.\n",
      "Add a class such as `MyComponent`.\n",
      "Follow the `ClassName_methodName` pattern.\n",
      "Never call `createContext()` from `cloudflare:test`.\n",
    ]) {
      expect(read(text), text).toEqual({ mentions: [], hedged: [] });
    }
  });

  it("marks a claim the rule guards from change, which stays a claim", () => {
    expect(claims("Never edit `src/gen/` by hand.\n")).toEqual(["src/gen/:guard"]);
    expect(claims("Do not modify `UserImporter`.\n")).toEqual(["UserImporter:guard"]);
    expect(claims("Rows go through `UserImporter`.\n")).toEqual(["UserImporter"]);
    expect(hedges("Never edit `src/gen/` by hand.\n")).toEqual([]);
  });

  it("keeps the code-like words of the sentence, where a rule may name the new name", () => {
    const [hedged] = read("`CsvWriter` is deprecated; use `LegacyCsvWriter` for old exports.\n").hedged;
    expect(hedged?.near).toContain("LegacyCsvWriter");
    const [path] = read("Do not import from `src/old/`; use `./src/core/` instead.\n").hedged;
    expect(path?.value).toBe("src/old/");
    expect(path?.near).toContain("src/core");
    expect(path?.near).not.toContain("import");
  });
});

describe("spans only history can settle", () => {
  const read = (text: string) => mentions(text).map((m) => ({ value: m.value, onlyWithEvidence: m.onlyWithEvidence === true, fromRoot: m.fromRoot === true }));

  it("reads a Cursor mdc: link as a path from the repository root", () => {
    expect(read("The client is [db.ts](mdc:apps/web/db.ts).\n")).toEqual([{ value: "apps/web/db.ts", onlyWithEvidence: false, fromRoot: true }]);
    // Other schemes stay links to elsewhere.
    expect(read("See [x](https://example.com/a.ts) and [y](vscode:extension/x).\n")).toEqual([]);
  });

  it("reads a lone all-caps word as a name that needs evidence, and short acronyms not at all", () => {
    expect(read("Any non-`ASYNC` mode; `API` and `UI` too.\n")).toEqual([{ value: "ASYNC", onlyWithEvidence: true, fromRoot: false }]);
    expect(read("Use `MAX_SIZE`.\n")).toEqual([{ value: "MAX_SIZE", onlyWithEvidence: false, fromRoot: false }]);
  });

  it("reads a path the text calls generated as needing evidence; untracked output stays unread", () => {
    expect(read("- `*_gen.go` - generated code\n")).toEqual([{ value: "*_gen.go", onlyWithEvidence: true, fromRoot: false }]);
    expect(read("- `out/report.json` - generated, not committed\n")).toEqual([]);
    expect(read("- `tmp/cache.db` is created at runtime\n")).toEqual([]);
  });

  it("reads the folder of hypothetical files, not the files", () => {
    expect(read("Update any relevant files in `docs/` when it changes.\n")).toEqual([{ value: "docs/", onlyWithEvidence: false, fromRoot: false }]);
    expect(read("A file at `src/app/page.tsx` should have a test.\n")).toEqual([]);
  });
});
