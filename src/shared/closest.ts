// "Did you mean": the nearest known name to a mistyped one (options, check ids, config keys).

/** The candidate nearest to `name` by edit distance, when near enough to be a likely typo. */
export function closestMatch(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 2));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(wanted, candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Damerau-Levenshtein (optimal string alignment), stopping early past `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[cols - 1]!;
}

/** How far a name may be from another to be offered as "did you mean" (the most any check allows). */
export const NEAR_NAME_DISTANCE = 2;

/**
 * What `unknown-name` offers as "did you mean" (rules/unknown-name.ts), and no more: names of at
 * least 5 characters, one edit away (two from 12 characters), not apart only in their digits
 * (`v1`/`v2`, `Row12`/`Row13`: other names, not typos). Every word is near a short name, and a
 * searched index parses the files of each candidate to confirm it: narrowing here, by the check's
 * own rules, spares that work and changes no suggestion (test/unit/closest.test.ts).
 */
export const NEAR_NAME_MIN_LENGTH = 5;

export function nearNameDistance(name: string): number {
  return name.length >= 12 ? NEAR_NAME_DISTANCE : 1;
}

/**
 * Whether `candidate` could be what a mistyped `name` means: the same first letter, within
 * `nearNameDistance` edits, and not the same but for digits. Code indexes answer `namesNear` with
 * exactly these, so a check that narrows them further gets the same candidates from a full index
 * and a searched one.
 */
export function isNearName(name: string, candidate: string): boolean {
  if (name.length < NEAR_NAME_MIN_LENGTH) return false;
  const limit = nearNameDistance(name);
  if (candidate === name || candidate[0] !== name[0] || Math.abs(candidate.length - name.length) > limit) return false;
  if (editDistance(name, candidate, limit) > limit) return false;
  return name.replace(/\d+/g, "") !== candidate.replace(/\d+/g, "");
}
