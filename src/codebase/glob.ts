import { UserError } from "../shared/errors.js";

// Globs come from commits (Cursor `globs:`, `applyTo:`, code spans in rules) and are matched against
// every path in the repository, so a glob must not be able to stall a run. A glob compiled to a
// backtracking regular expression can: `src/*a*a*a*a*a*a*a*ab` against one long file name took
// seconds per star (issue 13). This matcher never backtracks more than one step: within a segment,
// `*` is matched greedily, returning only to the last star seen, as fnmatch-style matchers do; across
// segments `**` is handled the same way. Work is at most (pattern length x path length) per path.
//
// Paths are matched as git lists them: `/`-separated, dotfiles included (`*` matches `.env`), any
// character a file name may hold, a line break too. Supported: `*`, `**`, `?`, `[a-z]`, `[!x]`/`[^x]`,
// POSIX classes (`[[:digit:]]`), `{a,b}` (nested), `@(a|b)` and `?(a|b)`, a leading `!` (negation),
// backslash escapes. Parentheses are literal otherwise (Next.js route groups: `app/(auth)/page.tsx`).

/** Longer patterns are refused: no harness or config needs one, and each is matched per path. */
export const MAX_GLOB_LENGTH = 4096;
/** How many plain patterns braces may expand to. */
export const MAX_GLOB_ALTERNATIVES = 256;

/** A glob that cannot be matched safely or at all: one plain line when it comes from the user. */
export class GlobError extends UserError {}

export interface PathMatcherOptions {
  /** A pattern without a slash matches the last segment (`*.ts` anywhere). */
  basename?: boolean;
  ignore?: string | string[];
}

/** Why a glob cannot be used (too long, too many alternatives, an extglob repetition), or null. */
export function globProblem(pattern: string): string | null {
  try {
    compile(pattern, false);
    return null;
  } catch (error) {
    if (error instanceof GlobError) return error.message.replace(/^glob .*?: /s, "");
    throw error;
  }
}

/** A test for repository paths; throws GlobError on a pattern it will not match. */
export function pathMatcher(patterns: string | readonly string[], options: PathMatcherOptions = {}): (path: string) => boolean {
  const include = (typeof patterns === "string" ? [patterns] : patterns).map((pattern) => compile(pattern, options.basename ?? false));
  const ignore = (options.ignore === undefined ? [] : typeof options.ignore === "string" ? [options.ignore] : options.ignore).map((pattern) => compile(pattern, false));
  return (path) => {
    const clean = path.startsWith("./") ? path.slice(2) : path;
    return include.some((test) => test(clean)) && !ignore.some((test) => test(clean));
  };
}

/**
 * The literal endings a path must have to match the glob (one per alternative), or null when
 * any path may match (an alternative ends in `**` or a wildcard, or the glob is negated). A
 * caller that tests many paths against many globs checks these first.
 */
export function globEndings(pattern: string): string[] | null {
  const body = pattern.startsWith("./") ? pattern.slice(2) : pattern;
  if (body.startsWith("!") && !body.startsWith("!(")) return null;
  if (body.length > MAX_GLOB_LENGTH) return null;
  const endings: string[] = [];
  try {
    for (const alternative of expand(body, pattern)) {
      const parts = splitSegments(alternative);
      const tail = literalTail(parts[parts.length - 1]!);
      if (tail === "") return null;
      endings.push(tail);
    }
  } catch {
    return null;
  }
  return endings;
}

/** One glob as an object with `test`, for callers that keep a list of them. */
export function pathRegExp(glob: string): { test(path: string): boolean } {
  const test = pathMatcher(glob);
  return { test };
}

// ---------------------------------------------------------------------------------------------

type CharTest = (char: string) => boolean;
/** One character: a literal, `?`, or a bracket class; `star` is `*`. */
type Token = CharTest | "star";
/** One path segment's tokens, or `**`. */
type Segment = Token[] | "globstar";

function fail(pattern: string, why: string): never {
  const shown = pattern.length > 60 ? `${pattern.slice(0, 60)}…` : pattern;
  throw new GlobError(`glob ${JSON.stringify(shown)}: ${why}`);
}

function compile(raw: string, basename: boolean): (path: string) => boolean {
  if (raw.length > MAX_GLOB_LENGTH) fail(raw, `it is longer than ${MAX_GLOB_LENGTH} characters`);
  let pattern = raw;
  let negated = false;
  if (pattern.startsWith("!") && !pattern.startsWith("!(")) {
    negated = true;
    pattern = pattern.slice(1);
  }
  if (pattern.startsWith("./")) pattern = pattern.slice(2);
  const heads: string[] = [];
  const tails: string[] = [];
  const alternatives = expand(pattern, raw).map((alternative) => {
    const parts = splitSegments(alternative);
    const segments: Segment[] = parts.map((part) => (part === "**" ? "globstar" : tokens(part, raw)));
    // `*.ts` with basename: the last segment of any path.
    const anywhere = basename && parts.length === 1;
    if (anywhere) segments.unshift("globstar");
    heads.push(anywhere ? "" : literalHead(alternative));
    tails.push(literalTail(parts[parts.length - 1]!));
    return segments;
  });
  return (path) => {
    // Segments match names in order, and the last segment the last name, so a path that does not
    // start with a pattern's literal start (`packages/a/` of `packages/a/**/*.ts`) or end with
    // its literal end (`.md` of `**/*.md`) is passed over without being split and walked: most
    // of a repository's paths, against each harness glob, for each of its files.
    let names: string[] | undefined;
    let hit = false;
    for (let index = 0; index < alternatives.length && !hit; index++) {
      if (!path.startsWith(heads[index]!) || !path.endsWith(tails[index]!)) continue;
      names ??= path.split("/");
      hit = matchSegments(alternatives[index]!, names);
    }
    return negated ? !hit : hit;
  };
}

/**
 * The literal characters a pattern starts with (before its first `*`, `?`, class or escape),
 * without a final `/`: `src/**` also matches `src`.
 */
function literalHead(pattern: string): string {
  const special = pattern.search(/[*?[\\]/);
  const head = special === -1 ? pattern : pattern.slice(0, special);
  return head.endsWith("/") ? head.slice(0, -1) : head;
}

/** The literal characters a segment ends with (after its last `*`, `?` or class); "" for `**` or an escape. */
function literalTail(segment: string): string {
  if (segment === "**" || segment.includes("\\")) return "";
  return segment.slice(Math.max(segment.lastIndexOf("*"), segment.lastIndexOf("?"), segment.lastIndexOf("]")) + 1);
}

/** Splits on `/` outside brackets. */
function splitSegments(pattern: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "\\") i++;
    else if (char === "[") i = classEnd(pattern, i) ?? i;
    else if (char === "/") {
      parts.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(pattern.slice(start));
  return parts;
}

/** Index of the `]` closing the class opened at `open`, or null when it is a literal `[`. */
function classEnd(pattern: string, open: number): number | null {
  let i = open + 1;
  if (pattern[i] === "!" || pattern[i] === "^") i++;
  if (pattern[i] === "]") i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "[" && pattern[i + 1] === ":") {
      const close = pattern.indexOf(":]", i + 2);
      if (close !== -1) i = close + 1;
    } else if (pattern[i] === "]") return i;
  }
  return null;
}

/**
 * Brace and `@(..|..)`/`?(..|..)` alternatives, expanded into plain patterns (at most
 * MAX_GLOB_ALTERNATIVES). Repetition extglobs (`*(..)`, `+(..)`) and `!(..)` are refused: they are
 * what makes a matcher backtrack, and harness formats do not document them.
 */
function expand(pattern: string, raw: string): string[] {
  let done = [""];
  let i = 0;
  let literalFrom = 0;
  const append = (suffixes: string[]) => {
    const next: string[] = [];
    for (const head of done) for (const tail of suffixes) next.push(head + tail);
    if (next.length > MAX_GLOB_ALTERNATIVES) fail(raw, `its braces expand to more than ${MAX_GLOB_ALTERNATIVES} patterns`);
    done = next;
  };
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (char === "\\") {
      i += 2;
      continue;
    }
    if (char === "[") {
      i = (classEnd(pattern, i) ?? i) + 1;
      continue;
    }
    const ext = "*+!@?".includes(char) && pattern[i + 1] === "(" ? closing(pattern, i + 1, "(", ")") : null;
    if (ext !== null && (char === "*" || char === "+" || char === "!")) fail(raw, `the extglob \`${char}(…)\` is not supported (use braces: {a,b})`);
    const brace = ext === null && char === "{" ? closing(pattern, i, "{", "}") : null;
    const group = ext ?? brace;
    if (group !== null) {
      const inner = pattern.slice(ext !== null ? i + 2 : i + 1, group);
      const options = splitTop(inner, ext !== null ? "|" : ",");
      if (ext !== null || options.length > 1) {
        append([pattern.slice(literalFrom, i)]);
        const expanded: string[] = [];
        for (const option of options) expanded.push(...expand(option, raw));
        if (char === "?") expanded.push("");
        append(expanded);
        i = group + 1;
        literalFrom = i;
        continue;
      }
    }
    i++;
  }
  append([pattern.slice(literalFrom)]);
  return done;
}

function closing(pattern: string, open: number, opener: string, closer: string): number | null {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "\\") i++;
    else if (char === opener) depth++;
    else if (char === closer && --depth === 0) return i;
  }
  return null;
}

/** Splits on `separator` outside nested braces and parentheses. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\\") i++;
    else if (char === "{" || char === "(") depth++;
    else if (char === "}" || char === ")") depth--;
    else if (char === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const POSIX: Record<string, RegExp> = {
  alnum: /[\p{L}\p{N}]/u,
  alpha: /\p{L}/u,
  digit: /[0-9]/,
  lower: /\p{Ll}/u,
  upper: /\p{Lu}/u,
  space: /\s/,
  word: /[\p{L}\p{N}_]/u,
  xdigit: /[0-9a-fA-F]/,
  punct: /[\p{P}\p{S}]/u,
};

function tokens(segment: string, raw: string): Token[] {
  const out: Token[] = [];
  const chars = Array.from(segment);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === "\\" && i + 1 < chars.length) {
      const literal = chars[++i]!;
      out.push((c) => c === literal);
    } else if (char === "*") {
      if (out[out.length - 1] !== "star") out.push("star");
    } else if (char === "?") {
      out.push(() => true);
    } else if (char === "[") {
      const rest = chars.slice(i).join("");
      const end = classEnd(rest, 0);
      if (end === null) {
        out.push((c) => c === "[");
        continue;
      }
      out.push(bracket(rest.slice(1, end), raw));
      i += Array.from(rest.slice(0, end)).length;
    } else {
      out.push((c) => c === char);
    }
  }
  return out;
}

function bracket(body: string, raw: string): CharTest {
  let negate = false;
  let chars = Array.from(body);
  if (chars[0] === "!" || chars[0] === "^") {
    negate = true;
    chars = chars.slice(1);
  }
  const tests: CharTest[] = [];
  for (let i = 0; i < chars.length; i++) {
    let char = chars[i]!;
    if (char === "[" && chars[i + 1] === ":") {
      const close = chars.indexOf(":", i + 2);
      if (close !== -1 && chars[close + 1] === "]") {
        const name = chars.slice(i + 2, close).join("");
        const expression = POSIX[name];
        if (!expression) fail(raw, `[:${name}:] is not a character class`);
        tests.push((c) => expression.test(c));
        i = close + 1;
        continue;
      }
    }
    if (char === "\\" && i + 1 < chars.length) char = chars[++i]!;
    if (chars[i + 1] === "-" && i + 2 < chars.length) {
      let high = chars[i + 2]!;
      let skip = 2;
      if (high === "\\" && i + 3 < chars.length) {
        high = chars[i + 3]!;
        skip = 3;
      }
      const low = char.codePointAt(0)!;
      const top = high.codePointAt(0)!;
      tests.push((c) => {
        const code = c.codePointAt(0)!;
        return code >= low && code <= top;
      });
      i += skip;
      continue;
    }
    const literal = char;
    tests.push((c) => c === literal);
  }
  return (c) => tests.some((test) => test(c)) !== negate;
}

/** `*` greedy, back to the last star only: O(tokens x characters). */
function matchSegment(tokensOfSegment: Token[], name: string): boolean {
  const chars = Array.from(name);
  let t = 0;
  let i = 0;
  let starT = -1;
  let starI = 0;
  while (i < chars.length) {
    const token = tokensOfSegment[t];
    if (token === "star") {
      starT = t++;
      starI = i;
    } else if (token?.(chars[i]!)) {
      t++;
      i++;
    } else if (starT >= 0) {
      t = starT + 1;
      i = ++starI;
    } else {
      return false;
    }
  }
  while (tokensOfSegment[t] === "star") t++;
  return t === tokensOfSegment.length;
}

/** The same walk one level up: `**` takes any number of segments, every other segment one. */
function matchSegments(segments: Segment[], names: string[]): boolean {
  let s = 0;
  let n = 0;
  let starS = -1;
  let starN = 0;
  while (n < names.length) {
    const segment = segments[s];
    if (segment === "globstar") {
      starS = s++;
      starN = n;
    } else if (segment !== undefined && matchSegment(segment, names[n]!)) {
      s++;
      n++;
    } else if (starS >= 0) {
      s = starS + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (segments[s] === "globstar") s++;
  return s === segments.length;
}
