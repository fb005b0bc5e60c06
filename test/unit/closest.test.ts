// "Did you mean": the code indexes answer `namesNear` with the names `isNearName` accepts, and
// unknown-name picks its suggestion among them. isNearName narrows by the check's own rules (a
// searched index parses the files of every candidate), so the suggestion must be the same as if
// the check chose among every name.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closestName } from "../../rules/unknown-name.js";
import { isNearName } from "../../src/shared/closest.js";

const SCALE = Math.max(1, Number(process.env.PROPERTY_SCALE ?? 1));

// Few characters, so that random names are often near each other: cases, digits, `_`.
const character = fc.constantFrom("a", "b", "e", "r", "R", "S", "1", "2", "_", "s");
const name = fc.array(character, { minLength: 1, maxLength: 16 }).map((chars) => chars.join(""));

/** One edit: a character replaced, inserted or removed, or two swapped. */
const edit = fc.tuple(fc.nat(), fc.nat(3), character);
function applied(text: string, [at, kind, char]: [number, number, string]): string {
  const i = text.length === 0 ? 0 : at % text.length;
  if (kind === 0) return text.slice(0, i) + char + text.slice(i + 1);
  if (kind === 1) return text.slice(0, i) + char + text.slice(i);
  if (kind === 2) return text.slice(0, i) + text.slice(i + 1);
  return i + 1 < text.length ? text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2) : text;
}
/** A name, and others made from it by one to three edits, and unrelated ones. */
const names = name.chain((wanted) =>
  fc.tuple(
    fc.constant(wanted),
    fc.array(
      fc.oneof(
        fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => edits.reduce(applied, wanted)),
        name,
      ),
      { maxLength: 12 },
    ),
  ),
);

describe("isNearName", () => {
  it("narrows no suggestion unknown-name would make", () => {
    fc.assert(
      fc.property(names, ([wanted, others]) => {
        const near = others.filter((candidate) => isNearName(wanted, candidate));
        expect(closestName(wanted, near)).toBe(closestName(wanted, others));
      }),
      { numRuns: 5000 * SCALE },
    );
  });

  it("keeps typos and drops versions and short names", () => {
    expect(isNearName("formatCents", "formatCent")).toBe(true);
    expect(isNearName("parseRow1097", "parseRow1098")).toBe(false);
    expect(isNearName("_v2", "_v1")).toBe(false);
    expect(isNearName("readParseRows", "readPasreRows")).toBe(true);
  });
});
