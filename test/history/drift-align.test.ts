import { describe, expect, it } from "vitest";
import { similarity, substitutes } from "../../src/history/drift-replacement.js";

// The token alignment pairs the common prefix without its table (a speed-up): the pairs, and so
// the substitutes and similarities drift weighs, must be exactly those of the whole table.

/** The alignment before the speed-up: the whole longest-common-subsequence table, then the walk. */
function alignWhole(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const cols = b.length + 1;
  const table = new Uint16Array((a.length + 1) * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) table[i * cols + j] = a[i] === b[j] ? table[(i + 1) * cols + j + 1]! + 1 : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) i++;
    else j++;
  }
  return pairs;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function substitutesWhole(name: string, before: string[], after: string[]): string[] {
  const anchors: Array<[number, number]> = [[-1, -1], ...alignWhole(before, after), [before.length, after.length]];
  const found: string[] = [];
  for (let k = 0; k + 1 < anchors.length; k++) {
    const [i0, j0] = anchors[k]!;
    const [i1, j1] = anchors[k + 1]!;
    const removed = before.slice(i0 + 1, i1);
    const added = after.slice(j0 + 1, j1);
    if (!removed.includes(name)) continue;
    if (removed.length === added.length) {
      removed.forEach((token, n) => {
        if (token === name && added[n] !== name && IDENTIFIER.test(added[n]!)) found.push(added[n]!);
      });
    } else if (removed.length === 1 && added.length > 0) {
      const identifiers = added.filter((token) => IDENTIFIER.test(token));
      if (identifiers.length === 1 && identifiers[0] !== name) found.push(identifiers[0]!);
    }
  }
  return found;
}

describe("token alignment", () => {
  it("gives the whole table's substitutes and similarity on random lines", () => {
    const alphabet = ["a", "b", "c", "X", "Y", ".", "(", ")", "x1"];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let run = 0; run < 20_000; run++) {
      const before = Array.from({ length: random(12) }, () => alphabet[random(alphabet.length)]!);
      const after =
        random(2) === 0 ? before.map((token) => (random(4) === 0 ? alphabet[random(alphabet.length)]! : token)) : Array.from({ length: random(12) }, () => alphabet[random(alphabet.length)]!);
      if (random(3) === 0) after.splice(random(after.length + 1), 0, alphabet[random(alphabet.length)]!);
      const whole = before.length === 0 || after.length === 0 ? 0 : (2 * alignWhole(before, after).length) / (before.length + after.length);
      expect(similarity(before, after)).toBe(whole);
      for (const name of ["X", "a"]) expect(substitutes(name, before, after)).toEqual(substitutesWhole(name, before, after));
    }
  });
});
