// Property tests of the fixer's core (issue 7): `applyEdits` changes only the ranges it applies,
// keeps every other character (line endings, BOM-less text, astral characters) exactly, never
// applies overlapping edits, and applying the same edits twice equals applying them once.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyEdits, hashText, type CheckedTextEdit } from "../../src/engine/fix.js";
import { LineIndex } from "../../src/shared/text.js";
import { markdownish } from "./arbitraries.js";

const SCALE = Math.max(1, Number(process.env.PROPERTY_SCALE ?? 1));
const RUNS = 400 * SCALE;
const TIMEOUT = 30_000 * SCALE;

interface Planned {
  edit: CheckedTextEdit;
  start: number;
  end: number;
}

/** Random edits as drift makes them: a range within one line, what it held, and the file's hash. */
function plannedEdits(text: string): fc.Arbitrary<Planned[]> {
  const lines = new LineIndex(text);
  const lineTexts = text.split(/\r\n|\n|\r/);
  const one = fc
    .tuple(fc.nat({ max: lineTexts.length - 1 }), fc.nat(), fc.nat(), fc.oneof(fc.string({ unit: "grapheme", maxLength: 12 }), fc.constantFrom("", "NewName", "src/new/path.ts", "x\ny")))
    .map(([lineIndex, a, b, replacement]): Planned => {
      const length = lineTexts[lineIndex]!.length;
      const from = Math.min(a % (length + 1), b % (length + 1));
      const to = Math.max(a % (length + 1), b % (length + 1));
      const start = lines.offset({ line: lineIndex + 1, column: from + 1 });
      const end = lines.offset({ line: lineIndex + 1, column: to + 1 });
      const edit: CheckedTextEdit = {
        line: lineIndex + 1,
        column: from + 1,
        endLine: lineIndex + 1,
        endColumn: to + 1,
        text: replacement,
        before: text.slice(start, end),
        sourceHash: hashText(text),
      };
      return { edit, start, end };
    });
  return fc.array(one, { maxLength: 8 });
}

const textAndEdits = markdownish()
  .map((text) => text.replace(/^\uFEFF+/, ""))
  .chain((text) => fc.tuple(fc.constant(text), plannedEdits(text)));

describe("applyEdits (--fix)", () => {
  it(
    `changes only the applied ranges and keeps every other character (${RUNS} runs)`,
    () => {
      fc.assert(
        fc.property(textAndEdits, ([text, planned]) => {
          const outcome = applyEdits(
            text,
            planned.map((p) => p.edit),
          );
          // Every edit is applied, skipped, or a duplicate of an applied one (same range, same text).
          const same = (a: Planned, b: CheckedTextEdit) =>
            a.edit.line === b.line && a.edit.column === b.column && a.edit.endLine === b.endLine && a.edit.endColumn === b.endColumn && a.edit.text === b.text;
          for (const p of planned) {
            const accounted = outcome.applied.includes(p.edit) || outcome.skipped.includes(p.edit) || outcome.applied.some((a) => same(p, a));
            expect(accounted).toBe(true);
          }
          const applied = planned.filter((p) => outcome.applied.includes(p.edit)).sort((a, b) => a.start - b.start || a.end - b.end);
          // Applied ranges never overlap (touching is allowed).
          for (let i = 1; i < applied.length; i++) expect(applied[i]!.start).toBeGreaterThanOrEqual(applied[i - 1]!.end);
          // Rebuild the expected text from the original pieces: everything outside the ranges is kept verbatim.
          let expected = "";
          let cursor = 0;
          for (const p of applied) {
            expected += text.slice(cursor, p.start) + p.edit.text;
            cursor = p.end;
          }
          expected += text.slice(cursor);
          expect(outcome.text).toBe(expected);
          // An edit that would change nothing is never counted as applied.
          for (const p of applied) expect(p.edit.text).not.toBe(p.edit.before);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    `applying the same edits twice equals applying them once (${RUNS} runs)`,
    () => {
      fc.assert(
        fc.property(textAndEdits, ([text, planned]) => {
          const edits = planned.map((p) => p.edit);
          const once = applyEdits(text, edits).text;
          const twice = applyEdits(once, edits);
          expect(twice.text).toBe(once);
          if (once !== text) expect(twice.applied).toEqual([]);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    `an edit whose range left its line or no longer holds its text is skipped (${RUNS} runs)`,
    () => {
      fc.assert(
        fc.property(textAndEdits, fc.string({ minLength: 1, maxLength: 5 }), ([text, planned], drift) => {
          // The file changed since linting (text inserted at the start): the hash no longer matches.
          const outcome = applyEdits(
            drift + text,
            planned.map((p) => p.edit),
          );
          expect(outcome.applied).toEqual([]);
          expect(outcome.text).toBe(drift + text);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
