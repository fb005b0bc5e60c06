// The linear sentence readers of src/harness/mentions.ts against the quadratic code they replaced:
// same answers on any text built from the characters that matter to them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { guardMarkdown } from "../../src/harness/markdown.js";
import { lastBoundary, withoutClosedAsides } from "../../src/harness/mentions.js";
import { markdownish } from "./arbitraries.js";

const SCALE = Math.max(1, Number(process.env.PROPERTY_SCALE ?? 1));

/** The sentence end as appendSentence found it before: mask the abbreviations, then the last end. */
function referenceBoundary(text: string): number {
  const masked = text.replace(/\b(e\.g|i\.e|etc|vs|cf)\./gi, (m) => m.replace(/\./g, "\u0000"));
  return Math.max(masked.lastIndexOf(". "), masked.lastIndexOf("! "), masked.lastIndexOf("? "), masked.lastIndexOf("\n"));
}

/** The asides as isExampleContext removed them before: innermost pairs, until none is left. */
function referenceAsides(text: string): string {
  let current = text;
  for (let previous = ""; previous !== current; ) {
    previous = current;
    current = current.replace(/\([^()]*\)/g, " ");
  }
  return current;
}

const sentenceText = fc
  .array(fc.constantFrom("e", "g", "i", "t", "c", "v", "s", "f", "E", "G", "x", ".", "!", "?", " ", "\n", "e.g.", "i.e. ", "etc. ", "vs.", "cf. ", "eg."), { maxLength: 40 })
  .map((parts) => parts.join(""));

describe("lastBoundary", () => {
  it(`finds the sentence end appending made, as re-reading the whole text did (${500 * SCALE} runs)`, () => {
    fc.assert(
      fc.property(sentenceText, sentenceText, (before, appended) => {
        // appendSentence keeps only the text after the last end, so what comes before has none.
        const kept = before.slice(referenceBoundary(before) + 1);
        expect(lastBoundary(kept + appended, kept.length)).toBe(referenceBoundary(kept + appended));
      }),
      { numRuns: 500 * SCALE },
    );
  });
});

describe("withoutClosedAsides", () => {
  it(`removes closed asides as the repeated replacement did (${500 * SCALE} runs)`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("(", ")", "a", " ", "e.g.", "𝒜"), { maxLength: 60 }).map((p) => p.join("")),
        (text) => {
          expect(withoutClosedAsides(text)).toBe(referenceAsides(text));
        },
      ),
      { numRuns: 500 * SCALE },
    );
  });
});

describe("guardMarkdown", () => {
  it(
    `keeps the length and every line ending, and changes nothing in text under its limits (${300 * SCALE} runs)`,
    () => {
      fc.assert(
        fc.property(markdownish(), fc.integer({ min: 1, max: 400 }), (text, repeat) => {
          const input = text.repeat(repeat);
          const guarded = guardMarkdown(input);
          expect(guarded.text).toHaveLength(input.length);
          expect(guarded.text.replace(/[^\r\n]/g, "")).toBe(input.replace(/[^\r\n]/g, ""));
          if (guarded.skipped.length === 0) expect(guarded.text).toBe(input);
          else for (let i = 0; i < input.length; i++) if (guarded.text[i] !== input[i]) expect(guarded.text[i]).toBe(" ");
        }),
        { numRuns: 300 * SCALE },
      );
    },
    60_000 * SCALE,
  );
});
