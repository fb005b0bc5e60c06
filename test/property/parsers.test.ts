// Property tests of the parsers harness-lint runs on untrusted text: for any Markdown/YAML-ish input
// they never throw and every position they return lies inside the file; the JSONC reader agrees
// with JSON.parse on JSON; the span classifier is total and fast. Run counts are fixed (RUNS) and
// the seed is printed by fast-check on failure, so a failure can be replayed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatOf } from "../../src/harness/formats.js";
import { parseHarnessFile } from "../../src/harness/harness.js";
import { parseJsonc, type JsonValue } from "../../src/harness/jsonc.js";
import { classifySpan } from "../../src/harness/mention-shape.js";
import { parsePostMortem } from "../../src/harness/postmortems.js";
import { decodeText } from "../../src/shared/text.js";
import type { HarnessFile } from "../../src/harness/types.js";
import { badSpans, collectSpans, markdownish } from "./arbitraries.js";

/**
 * The text the parsers get in a real run: the file's bytes through decodeText (BOMs stripped;
 * binary content is refused there, so such input is passed on undecoded: the parser must cope,
 * leading BOMs included).
 */
function asDecoded(raw: string): string {
  const decoded = decodeText(new TextEncoder().encode(raw));
  return decoded.ok ? decoded.text : raw;
}
const decodedMarkdownish = markdownish().map(asDecoded);

/** Runs per property: "a few hundred". PROPERTY_SCALE multiplies them for a longer hunt. */
const SCALE = Math.max(1, Number(process.env.PROPERTY_SCALE ?? 1));
const TIMEOUT = 30_000 * SCALE;
const RUNS = Object.fromEntries(Object.entries({ harness: 400, postmortem: 400, classify: 500, classifyLong: 300, jsonc: 500, jsoncTrivia: 300 }).map(([k, v]) => [k, v * SCALE])) as Record<
  "harness" | "postmortem" | "classify" | "classifyLong" | "jsonc" | "jsoncTrivia",
  number
>;

const HARNESS_PATHS = [
  "CLAUDE.md",
  "src/api/CLAUDE.md",
  "AGENTS.md",
  "GEMINI.md",
  ".claude/rules/imports.md",
  ".cursor/rules/style.mdc",
  ".cursorrules",
  ".github/copilot-instructions.md",
  ".github/instructions/ts.instructions.md",
  ".windsurf/rules/a.md",
  ".windsurfrules",
  ".continue/rules/a.md",
  ".clinerules",
  ".clinerules/a.md",
  ".kiro/steering/a.md",
];

describe("parseHarnessFile", () => {
  it(
    `never throws and returns only spans inside the file (${RUNS.harness} runs)`,
    () => {
      fc.assert(
        fc.property(decodedMarkdownish, fc.constantFrom(...HARNESS_PATHS), fc.boolean(), (text, path, fenced) => {
          const file: HarnessFile = { path, format: formatOf(path).format, text };
          const parsed = parseHarnessFile(file, { fenced });
          expect(badSpans(text, parsed)).toEqual([]);
          expect(parsed.rules.length).toBeGreaterThanOrEqual(1);
        }),
        { numRuns: RUNS.harness },
      );
    },
    TIMEOUT,
  );

  it("the span collector sees the spans (guard against a vacuous property)", () => {
    const text = "## A\n<!-- scope: src/** -->\nUse `AccountImporter` and `src/x.ts`.\n";
    const parsed = parseHarnessFile({ path: "CLAUDE.md", format: "claude", text }, { fenced: false });
    // The rule's heading, its scope glob, and two mentions.
    expect(collectSpans(parsed).length).toBeGreaterThanOrEqual(4);
    expect(badSpans(text, parsed)).toEqual([]);
    expect(badSpans("a\r\nb", { span: { start: { line: 1, column: 3 }, end: { line: 1, column: 3 } } })).toHaveLength(1);
  });
});

describe("parsePostMortem", () => {
  it(
    `never throws and returns only spans inside the file (${RUNS.postmortem} runs)`,
    () => {
      fc.assert(
        fc.property(decodedMarkdownish, (text) => {
          const parsed = parsePostMortem("docs/postmortems/pm.md", text);
          expect(badSpans(text, parsed)).toEqual([]);
          if (parsed.invalid) expect(parsed.invalid.file).toBe("docs/postmortems/pm.md");
        }),
        { numRuns: RUNS.postmortem },
      );
    },
    TIMEOUT,
  );
});

describe("positions in files with odd line endings and BOMs", () => {
  // Were bugs: the YAML start was found with text.indexOf("\n") (wrong after a lone-CR fence), a
  // YAML error at the line break ended between CR and LF, and a text still starting with U+FEFF
  // had every column one early (micromark skips it without counting it).
  it(
    "a frontmatter fence ended by a lone CR keeps positions right",
    () => {
      const text = "---\rdate: soon\r---\r# PM\n\nBody.\n";
      const parsed = parsePostMortem("docs/postmortems/pm.md", text);
      expect(parsed.invalid?.span.start).toEqual({ line: 2, column: 7 });
      fc.assert(
        fc.property(markdownish({ loneCrAfterFence: true }).map(asDecoded), (raw) => {
          expect(badSpans(raw, parsePostMortem("docs/postmortems/pm.md", raw))).toEqual([]);
          expect(badSpans(raw, parseHarnessFile({ path: ".claude/rules/a.md", format: "claude-rules", text: raw }, { fenced: false }))).toEqual([]);
        }),
        { numRuns: RUNS.postmortem },
      );
    },
    TIMEOUT,
  );

  it(
    "frontmatter error spans in CRLF files end inside their line",
    () => {
      for (const text of ["---\r\ntitle:\r\ntitle:\r\n---\r\n", "---\r\ndate: [\r\n---\r\n", "---\r\npaths:\r\n  - \r\n- [a, b]\r\n---\r\n"]) {
        expect(badSpans(text, parsePostMortem("docs/postmortems/pm.md", text))).toEqual([]);
        expect(badSpans(text, parseHarnessFile({ path: "CLAUDE.md", format: "claude", text }, { fenced: false }))).toEqual([]);
      }
      fc.assert(
        fc.property(decodedMarkdownish, (text) => {
          expect(badSpans(text, parsePostMortem("docs/postmortems/pm.md", text))).toEqual([]);
        }),
        { numRuns: RUNS.postmortem },
      );
    },
    TIMEOUT,
  );

  it("a text that still starts with U+FEFF keeps its columns", () => {
    const text = "\uFEFF## A\n<!-- scope: src/** -->\nUse `GoneName`.\n";
    const parsed = parseHarnessFile({ path: "CLAUDE.md", format: "claude", text }, { fenced: false });
    expect(parsed.rules[0]!.mentions[0]!.span.start).toEqual({ line: 3, column: 5 });
    const three = "\uFEFF\uFEFF\uFEFF## A\n<!-- scope: src/** -->\nUse `GoneName`.\n";
    expect(parseHarnessFile({ path: "CLAUDE.md", format: "claude", text: three }, { fenced: false }).rules[0]!.mentions[0]!.span.start).toEqual({ line: 3, column: 5 });
  });
});

describe("classifySpan", () => {
  it(
    `never throws on any string (${RUNS.classify} runs)`,
    () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 400 }), fc.string({ unit: "grapheme", maxLength: 80 }), fc.string({ maxLength: 400 })), (raw) => {
          const shape = classifySpan(raw);
          if (shape !== null) expect(["path", "glob", "symbol", "member"]).toContain(shape.kind);
        }),
        { numRuns: RUNS.classify },
      );
    },
    TIMEOUT,
  );

  it(
    `is fast on long, repetitive inputs: each call under 25 ms (${RUNS.classifyLong} runs)`,
    () => {
      const unit = fc.oneof(fc.constantFrom("a", "a.", "a::", "{", "{a,", "[", "(", "*", "/", "../", "a_", "A", "<", "e.g.", "`", "#", "$", "-", "@a/", ".x"), fc.string({ maxLength: 4 }));
      // Mostly up to the 300-character cut-off classifySpan applies (where its regexes do run), some far past it.
      const long = fc
        .tuple(
          unit,
          fc.integer({ min: 1, max: 5_000 }),
          fc.string({ maxLength: 3 }),
          fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 200, max: 300 }) }, { weight: 1, arbitrary: fc.constant(100_000) }),
        )
        .map(([u, n, tail, cut]) => (u.repeat(n) + tail).slice(0, cut));
      // A backtracking regex on 100,000 characters hangs: the hang guard is the test's timeout.
      fc.assert(
        fc.property(long, (raw) => {
          classifySpan(raw);
        }),
        { numRuns: RUNS.classifyLong },
      );
    },
    TIMEOUT,
  );
});

/** A parsed JSONC value as the plain data JSON.parse would give (later duplicate keys win). */
function toPlain(value: JsonValue): unknown {
  if (value.type === "array") return value.items.map(toPlain);
  if (value.type === "object") {
    const out: Record<string, unknown> = {};
    for (const { key, value: entry } of value.entries) {
      // defineProperty: a "__proto__" key is data, as in JSON.parse, not a prototype.
      Object.defineProperty(out, key, { value: toPlain(entry), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value.value;
}

/** Every scalar's start/end delimit its own source text. */
function scalarsRoundTrip(text: string, value: JsonValue): void {
  if (value.type === "array") value.items.forEach((item) => scalarsRoundTrip(text, item));
  else if (value.type === "object") value.entries.forEach(({ value: entry }) => scalarsRoundTrip(text, entry));
  else expect(JSON.parse(text.slice(value.start, value.end))).toEqual(value.value);
}

describe("parseJsonc", () => {
  const anyJson = fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.tuple(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 1, 2, "\t", "   ")).map(([value, indent]) => JSON.stringify(value, null, indent)),
    fc.jsonValue({ maxDepth: 3, stringUnit: "binary" }).map((value) => JSON.stringify(value)),
  );

  it(
    `agrees with JSON.parse on valid JSON (${RUNS.jsonc} runs)`,
    () => {
      fc.assert(
        fc.property(anyJson, (text) => {
          const parsed = parseJsonc(text);
          expect(toPlain(parsed)).toEqual(JSON.parse(text));
          scalarsRoundTrip(text, parsed);
        }),
        { numRuns: RUNS.jsonc },
      );
    },
    TIMEOUT,
  );

  it(
    `reads the same value with comments and trailing commas added (${RUNS.jsoncTrivia} runs)`,
    () => {
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom("\n", "\r\n"), (value, eol) => {
          const json = JSON.stringify(value, null, 2);
          // Raw newlines occur only between tokens in pretty JSON, never inside strings.
          const withCommas = json.replace(/\n(\s*)([\]}])/g, ",\n$1$2");
          const jsonc = `// settings\r\n/* block\n comment */${withCommas.split("\n").join(` /* c */ // line${eol}`)}\n// end`;
          expect(toPlain(parseJsonc(jsonc))).toEqual(JSON.parse(json));
        }),
        { numRuns: RUNS.jsoncTrivia },
      );
    },
    TIMEOUT,
  );
});
