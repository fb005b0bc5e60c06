// What took a name's place in the commit that removed it. Two kinds of evidence, read from the
// changed lines only: a declaration of the same kind that appeared in the same file (`class
// UserImporter` gone, `class AccountImporter` new), and the token that stands where the name
// stood when a removed line is paired with the added line that replaced it.

export type DeclarationKind = "class" | "interface" | "type" | "enum" | "namespace" | "function" | "variable" | "method";

export interface Declaration {
  kind: DeclarationKind;
  name: string;
}

const KEYWORD_KINDS: Record<string, DeclarationKind> = {
  class: "class",
  struct: "class",
  record: "class",
  interface: "interface",
  trait: "interface",
  type: "type",
  enum: "enum",
  namespace: "namespace",
  module: "namespace",
  function: "function",
  def: "function",
  fn: "function",
  func: "function",
  const: "variable",
  let: "variable",
  var: "variable",
};

// `export default abstract class X`, `async function* x`, `func (r *Repo) Find`, `pub fn x`, `def x`.
const KEYWORD_DECLARATION = /(?:^|[^\w$.])(class|struct|record|interface|trait|type|enum|namespace|module|function|def|fn|func|const|let|var)\s*\*?\s+(?:\([^)]*\)\s*)?\*?\s*([A-Za-z_$][\w$]*)/g;
// A method or accessor on a line of its own: `async importRows(rows: Row[]): Promise<void> {`.
const METHOD_DECLARATION =
  /^\s*(?:(?:public|private|protected|static|async|readonly|override|abstract|get|set)\s+)*\*?\s*(#?[A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(([^;]*)\)\s*(?::\s*[^;{=]+?)?\s*\{?\s*$/;
// `importRows = async (rows) => {` or `importRows: (rows) => {` as a class field or object member.
const ARROW_MEMBER = /^\s*(?:(?:public|private|protected|static|readonly|override)\s+)*(#?[A-Za-z_$][\w$]*)\s*[:=]\s*(?:async\s+)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::\s*[^=]+)?=>/;
const NOT_METHODS = new Set([
  "if",
  "for",
  "while",
  "switch",
  "catch",
  "with",
  "return",
  "function",
  "new",
  "typeof",
  "await",
  "yield",
  "else",
  "do",
  "try",
  "super",
  "this",
  "constructor",
  "import",
  "require",
  "export",
]);

export function declarationsIn(line: string): Declaration[] {
  const found: Declaration[] = [];
  for (const match of line.matchAll(KEYWORD_DECLARATION)) {
    const kind = KEYWORD_KINDS[match[1]!];
    if (kind) found.push({ kind, name: match[2]! });
  }
  const member = METHOD_DECLARATION.exec(line) ?? ARROW_MEMBER.exec(line);
  if (member && !NOT_METHODS.has(member[1]!) && found.length === 0) found.push({ kind: "method", name: member[1]!.replace(/^#/, "") });
  return found;
}

const TOKEN = /[A-Za-z_$][\w$]*|\d[\w.]*|\S/g;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Longer lines are not worth aligning token by token: they are data, not renames. */
const MAX_TOKENS = 400;

export function tokenize(line: string): string[] {
  return line.match(TOKEN) ?? [];
}

/**
 * Pairs of equal tokens in order (a longest common subsequence), as index pairs. The common
 * prefix is paired without the table: the walk below pairs equal tokens first, and the table's
 * cells after the prefix depend only on what follows, so the pairs are the same, and a line that
 * changed one token near its end costs little.
 */
function alignTokens(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    pairs.push([start, start]);
    start++;
  }
  const rows = a.length - start + 1;
  const cols = b.length - start + 1;
  const table = new Uint16Array(rows * cols);
  for (let i = rows - 2; i >= 0; i--) {
    for (let j = cols - 2; j >= 0; j--) {
      table[i * cols + j] = a[start + i] === b[start + j] ? table[(i + 1) * cols + j + 1]! + 1 : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < rows - 1 && j < cols - 1) {
    if (a[start + i] === b[start + j]) {
      pairs.push([start + i, start + j]);
      i++;
      j++;
    } else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** How alike two lines are, 0..1, by shared tokens in order. */
export function similarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0 || a.length > MAX_TOKENS || b.length > MAX_TOKENS) return 0;
  return (2 * alignTokens(a, b).length) / (a.length + b.length);
}

/**
 * The identifiers that replaced `name` in `after`: each occurrence of `name` in `before` whose
 * neighbours survive the edit, with exactly one identifier between them in `after`.
 */
export function substitutes(name: string, before: readonly string[], after: readonly string[]): string[] {
  if (before.length > MAX_TOKENS || after.length > MAX_TOKENS) return [];
  const pairs = alignTokens(before, after);
  const found: string[] = [];
  // Sentinels: the line's start and end count as surviving neighbours.
  const anchors: Array<[number, number]> = [[-1, -1], ...pairs, [before.length, after.length]];
  for (let k = 0; k + 1 < anchors.length; k++) {
    const [i0, j0] = anchors[k]!;
    const [i1, j1] = anchors[k + 1]!;
    const removed = before.slice(i0 + 1, i1);
    const added = after.slice(j0 + 1, j1);
    if (!removed.includes(name)) continue;
    if (removed.length === added.length) {
      removed.forEach((token, n) => {
        const replacement = added[n]!;
        if (token === name && replacement !== name && IDENTIFIER.test(replacement)) found.push(replacement);
      });
    } else if (removed.length === 1 && added.length > 0) {
      // `new UserImporter()` → `new importers.AccountImporter()`: the last identifier took its place.
      const identifiers = added.filter((token) => IDENTIFIER.test(token));
      const last = identifiers[identifiers.length - 1];
      if (identifiers.length === 1 && last !== undefined && last !== name) found.push(last);
    }
  }
  return found;
}

export interface Evidence {
  /** Declarations of the removed declaration's kind that appeared in the same file, with counts. */
  successors: Map<string, number>;
  /** Tokens that stood where the name stood, with counts. */
  substitutes: Map<string, number>;
}

export type Inference = { replacement: string } | { candidates: string[] } | Record<string, never>;

/** A replacement when the evidence agrees, candidates when it points two ways, nothing otherwise. */
export function inferReplacement(evidence: Evidence): Inference {
  const successors = [...evidence.successors.keys()];
  if (successors.length === 1) return { replacement: successors[0]! };
  if (successors.length > 1) {
    const voted = ranked(new Map(successors.map((name) => [name, evidence.substitutes.get(name) ?? 0])));
    const winner = clearWinner(voted);
    return winner !== undefined ? { replacement: winner } : { candidates: successors.sort() };
  }
  const voted = ranked(evidence.substitutes);
  if (voted.length === 0) return {};
  const winner = clearWinner(voted);
  if (winner !== undefined) return { replacement: winner };
  const top = voted[0]![1];
  return { candidates: voted.filter(([, votes]) => votes * 2 > top).map(([name]) => name) };
}

function ranked(votes: ReadonlyMap<string, number>): Array<[string, number]> {
  return [...votes.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** One name with at least twice the votes of the next: a rename, not a coincidence. */
function clearWinner(voted: ReadonlyArray<[string, number]>): string | undefined {
  const [first, second] = voted;
  if (first === undefined) return undefined;
  if (second === undefined || first[1] >= 2 * second[1]) return first[0];
  return undefined;
}
