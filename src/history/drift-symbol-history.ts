import { resilientLog, runGitCollect } from "../git/resilient-log.js";
import { assertRevision } from "../git/git-batch.js";
import { gitExitError } from "../git/command.js";
import { gitText } from "../git/git.js";
import { COMMIT_START, CommitGraph, MERGE_DIFFS, parseCommitHeader, pickReported, SHOW_COMMIT, WALK_ORDER, type CommitInfo } from "./drift-commits.js";
import { declarationsIn, inferReplacement, similarity, substitutes, tokenize, type DeclarationKind, type Evidence, type Inference } from "./drift-replacement.js";

// Which commit removed a name. One `git log -G<name|name|...>` over the range asks git for the
// file diffs whose changed lines mention any of the asked names (a superset: the names are then
// matched as whole words here), so git reads the history once per batch of names, and node sees
// only the diffs that matter instead of the whole `git log -p`. A later question about other
// names (what happened to a replacement?) is one more pass for those names only. With many names
// (more than PICKAXE_NAMES) the whole `git log -p` is read once instead. Commit positions
// and merges come from the full walk (`git rev-list --parents`), which reads no file.

export interface SymbolEvent {
  commit: CommitInfo;
  /** A declaration of the name went away and no declaration of that kind came back in the commit. */
  declarationRemoved: boolean;
  /** Fewer changed lines mention the name after the commit than before it. */
  netRemoval: boolean;
  evidence: Evidence;
}

export interface NameExplanation {
  event: SymbolEvent;
  inference: Inference;
}

/** Up to this many names, git filters the patches (-G); more, and the whole log is read once. */
const PICKAXE_NAMES = 8;

/** Below this, a removed and an added line are unrelated edits, not one line rewritten. */
const MIN_PAIRING_SIMILARITY = 0.5;

/** A rewritten block larger than this is a rewrite, not a rename: pairing its lines is a guess. */
const MAX_PAIRING_CANDIDATES = 60;

/** Diff options that must not depend on the user's git config: prefixes, renames, no context. */
const PATCH_ARGUMENTS = ["-p", "-M", "-U0", "--root", "--src-prefix=a/", "--dst-prefix=b/", "--no-relative"];

export class SymbolHistory {
  readonly graph = new CommitGraph();
  /** Walk position of every commit in the range: 0 is the newest. */
  private readonly positions = new Map<string, number>();
  private readonly logs: SymbolLog[] = [];
  /** Which log answers for each name searched so far. */
  private readonly searched = new Map<string, SymbolLog>();
  /** How many `git log` passes over file contents this history made (for the tests). */
  passes = 0;
  /** The unfiltered log, once a question needed it. */
  private whole: SymbolLog | undefined;

  private constructor(
    private readonly root: string,
    private readonly range: string,
    private readonly isExcluded: (path: string) => boolean,
  ) {}

  static async read(root: string, range: string, isExcluded: (path: string) => boolean): Promise<SymbolHistory> {
    assertRevision(range);
    const history = new SymbolHistory(root, range, isExcluded);
    // The walk needs commits only (positions and merges), no file.
    const walk = await runGitCollect(root, ["rev-list", ...WALK_ORDER, "--parents", range, "--"]);
    // A commit that cannot be read cuts the walk: a damaged repository, one line (not a skip).
    if (walk.code !== 0) throw gitExitError("rev-list", walk.code, walk.stderr);
    for (const line of walk.stdout.toString("utf8").split("\n")) {
      const [sha, ...parents] = line.split(" ");
      if (sha === undefined || !/^[0-9a-f]{40,64}$/.test(sha)) continue;
      const commit: CommitInfo = { sha, parents, date: "", subject: "", index: history.positions.size };
      history.positions.set(sha, commit.index);
      history.graph.add(commit);
    }
    return history;
  }

  /**
   * The staged change (`git diff --cached`) read as one commit, for `--staged`: the same
   * evidence (a declaration of the same kind that appeared, the token that took the name's
   * place) says what the commit renames a name to before the commit exists.
   */
  static async readStaged(root: string, isExcluded: (path: string) => boolean): Promise<SymbolHistory> {
    const diff = await gitText(root, [
      "-c",
      "core.quotePath=false",
      "diff",
      "--cached",
      "-p",
      "-M",
      "-U0",
      "--src-prefix=a/",
      "--dst-prefix=b/",
      "--no-relative",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      "--",
    ]);
    const sha = "0".repeat(40);
    const header = `${COMMIT_START}${sha}\x02${new Date().toISOString().slice(0, 10)}\x02the staged change\n\n`;
    const history = new SymbolHistory(root, "HEAD", isExcluded);
    history.positions.set(sha, 0);
    history.whole = new SymbolLog(`${header}${diff}`, isExcluded, history.positions);
    history.graph.add({ sha, parents: [], date: "", subject: "", index: 0 });
    return history;
  }

  /** Every commit that removed one of the names (a declaration, or net mentions), newest first. */
  async eventsFor(names: readonly string[]): Promise<Map<string, SymbolEvent[]>> {
    const wanted = [...new Set(names.map(bareName).filter((name) => name !== ""))];
    const unsearched = wanted.filter((name) => !this.searched.has(name));
    if (unsearched.length > 0) {
      const log = await this.search(unsearched);
      for (const name of unsearched) this.searched.set(name, log);
    }
    const events = new Map<string, SymbolEvent[]>();
    const byLog = new Map<SymbolLog, string[]>();
    for (const name of wanted) {
      const log = this.searched.get(name)!;
      byLog.set(log, [...(byLog.get(log) ?? []), name]);
    }
    for (const [log, logNames] of byLog) for (const [name, list] of log.eventsFor(logNames)) events.set(name, list);
    return events;
  }

  private async search(names: readonly string[]): Promise<SymbolLog> {
    // Once the whole log is read, every later question is answered from it.
    if (this.whole) return this.whole;
    this.passes++;
    // Many names make -G's regular expression slow on every changed line, and the patch text of
    // the whole history is then mostly wanted anyway: one plain `git log -p`, searched in memory.
    const whole = names.length > PICKAXE_NAMES;
    const pickaxe = whole ? [] : [`-G${names.map(escapeExtended).join("|")}`];
    const log = await resilientLog(this.root, {
      walk: WALK_ORDER,
      show: [...PATCH_ARGUMENTS, ...pickaxe, ...SHOW_COMMIT],
      revisions: [this.range],
      mark: COMMIT_START,
      merges: MERGE_DIFFS,
    });
    const symbolLog = new SymbolLog(log.toString("utf8"), this.isExcluded, this.positions);
    this.logs.push(symbolLog);
    if (whole) this.whole = symbolLog;
    return symbolLog;
  }
}

/** A name as a POSIX extended regular expression matching itself (git's -G). */
function escapeExtended(name: string): string {
  return name.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

/** The output of one `git log -G` pass: commits and their matching file diffs, searched in memory. */
class SymbolLog {
  private readonly commits: CommitInfo[] = [];
  /** Offset of each commit's header in `log`, ascending; same order as `commits`. */
  private readonly offsets: number[] = [];

  constructor(
    private readonly log: string,
    private readonly isExcluded: (path: string) => boolean,
    positions: ReadonlyMap<string, number>,
  ) {
    for (let at = log.indexOf(COMMIT_START); at !== -1; at = log.indexOf(`\n${COMMIT_START}`, at + 1)) {
      const start = log[at] === "\n" ? at + 1 : at;
      const lineEnd = log.indexOf("\n", start);
      const commit = parseCommitHeader(log.slice(start + 1, lineEnd === -1 ? log.length : lineEnd), 0);
      // The position in the whole walk, which the pickaxe thinned: what "newer than" compares.
      commit.index = positions.get(commit.sha) ?? positions.size + this.commits.length;
      this.commits.push(commit);
      this.offsets.push(start);
    }
  }

  /** Every commit that removed one of the names (a declaration, or net mentions), newest first. */
  eventsFor(names: readonly string[]): Map<string, SymbolEvent[]> {
    const events = new Map<string, SymbolEvent[]>();
    const wanted = [...new Set(names.map(bareName).filter((name) => name !== ""))];
    if (wanted.length === 0) return events;
    const finder = namesPattern(wanted);
    let commitIndex = -1;
    let stats = new Map<string, CommitStats>();
    const flush = () => {
      const commit = this.commits[commitIndex];
      if (commit === undefined) return;
      for (const [name, s] of stats) {
        const declarationRemoved = [...s.declaredBefore].some((kind) => !s.declaredAfter.has(kind));
        const netRemoval = s.removed > s.added;
        if (!declarationRemoved && !netRemoval) continue;
        const list = events.get(name) ?? [];
        list.push({ commit, declarationRemoved, netRemoval, evidence: { successors: s.successors, substitutes: s.substitutes } });
        events.set(name, list);
      }
      stats = new Map();
    };
    let diffEnd = -1;
    finder.lastIndex = 0;
    for (let match = finder.exec(this.log); match !== null; match = finder.exec(this.log)) {
      const at = match.index;
      if (at < diffEnd || !isWholeWord(this.log, at, match[0].length)) continue;
      const lineStart = this.log.lastIndexOf("\n", at) + 1;
      const sign = this.log[lineStart];
      if (sign !== "+" && sign !== "-") continue;
      const owner = this.commitAt(at);
      const diffStart = this.log.lastIndexOf("\ndiff --git ", at);
      if (owner === -1 || diffStart < this.offsets[owner]!) continue;
      diffEnd = this.fileDiffEnd(diffStart + 1, owner);
      if (owner !== commitIndex) {
        flush();
        commitIndex = owner;
      }
      const diff = parseFileDiff(this.log.slice(diffStart + 1, diffEnd));
      if (diff && !this.isExcluded(diff.path)) collectStats(diff, finder.source, stats);
      finder.lastIndex = diffEnd;
    }
    flush();
    return events;
  }

  /** The commit whose text holds this offset, by binary search over header offsets. */
  private commitAt(offset: number): number {
    let lo = 0;
    let hi = this.offsets.length - 1;
    if (hi < 0 || this.offsets[0]! > offset) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private fileDiffEnd(start: number, owner: number): number {
    const commitEnd = this.offsets[owner + 1] ?? this.log.length;
    const next = this.log.indexOf("\ndiff --git ", start);
    return next === -1 || next > commitEnd ? commitEnd : next + 1;
  }
}

/** The most telling removal of a name: where its declaration went (for code), else its last use. */
export function explainName(events: readonly SymbolEvent[], graph: CommitGraph, newerThan?: number): NameExplanation | undefined {
  const eligible = newerThan === undefined ? events : events.filter((event) => event.commit.index < newerThan);
  const hasEvidence = (event: SymbolEvent) => event.evidence.successors.size > 0 || event.evidence.substitutes.size > 0;
  const event =
    pickReported(
      eligible.filter((e) => e.declarationRemoved),
      graph,
      hasEvidence,
    ) ??
    pickReported(
      eligible.filter((e) => e.netRemoval),
      graph,
      hasEvidence,
    );
  if (event === undefined) return undefined;
  return { event, inference: inferReplacement(event.evidence) };
}

/** `#field` is searched as `field`: the `#` is not part of a word. */
export function bareName(name: string): string {
  return name.replace(/^#/, "");
}

function namesPattern(names: readonly string[]): RegExp {
  const escaped = [...names].sort((a, b) => b.length - a.length).map((name) => name.replace(/[$]/g, "\\$"));
  return new RegExp(escaped.join("|"), "g");
}

const WORD_CHAR = /[\w$]/;

function isWholeWord(text: string, at: number, length: number): boolean {
  const before = at > 0 ? text[at - 1]! : "";
  const after = text[at + length] ?? "";
  return !WORD_CHAR.test(before) && !WORD_CHAR.test(after);
}

interface ChangeBlock {
  removed: string[];
  added: string[];
}

interface FileDiff {
  path: string;
  blocks: ChangeBlock[];
}

/** One `diff --git` section of a `-U0` patch: its path and its hunks as removed/added lines. */
function parseFileDiff(section: string): FileDiff | null {
  const lines = section.split("\n");
  let oldPath: string | null = null;
  let newPath: string | null = null;
  const blocks: ChangeBlock[] = [];
  let block: ChangeBlock | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (block === null) {
      if (line.startsWith("--- ")) oldPath = diffPath(line.slice(4), "a/");
      else if (line.startsWith("+++ ")) newPath = diffPath(line.slice(4), "b/");
      else if (line.startsWith("@@")) blocks.push((block = { removed: [], added: [] }));
      continue;
    }
    if (line.startsWith("@@")) blocks.push((block = { removed: [], added: [] }));
    else if (line.startsWith("-")) block.removed.push(line.slice(1));
    else if (line.startsWith("+")) block.added.push(line.slice(1));
  }
  const path = newPath ?? oldPath;
  return path === null ? null : { path, blocks };
}

/** `b/src/a.ts`, `"b/odd\"name"` or `/dev/null` → the repo path, or null. */
function diffPath(field: string, prefix: string): string | null {
  let value = field.replace(/\t$/, "");
  if (value === "/dev/null") return null;
  if (value.startsWith('"')) value = unquoteC(value);
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

/** Git quotes unusual paths C-style, with octal escapes for bytes. */
function unquoteC(quoted: string): string {
  const body = quoted.slice(1, quoted.endsWith('"') ? -1 : undefined);
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, "\\": 92, '"': 34 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      bytes.push(...Buffer.from(c, "utf8"));
      continue;
    }
    const next = body[i + 1] ?? "";
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

interface CommitStats {
  removed: number;
  added: number;
  /** Kinds the name was declared as on removed lines, and on added lines. */
  declaredBefore: Set<DeclarationKind>;
  declaredAfter: Set<DeclarationKind>;
  successors: Map<string, number>;
  substitutes: Map<string, number>;
}

function statsFor(stats: Map<string, CommitStats>, name: string): CommitStats {
  let s = stats.get(name);
  if (!s) {
    s = { removed: 0, added: 0, declaredBefore: new Set(), declaredAfter: new Set(), successors: new Map(), substitutes: new Map() };
    stats.set(name, s);
  }
  return s;
}

function namesOnLine(line: string, finder: RegExp): Set<string> {
  const found = new Set<string>();
  finder.lastIndex = 0;
  for (let match = finder.exec(line); match !== null; match = finder.exec(line)) {
    if (isWholeWord(line, match.index, match[0].length)) found.add(match[0]);
  }
  return found;
}

function collectStats(diff: FileDiff, patternSource: string, stats: Map<string, CommitStats>): void {
  const finder = new RegExp(patternSource, "g");
  const removedDeclaredHere = new Map<string, Set<DeclarationKind>>();
  for (const block of diff.blocks) {
    const removedTokens = new Map<number, string[]>();
    block.removed.forEach((line, n) => {
      const names = namesOnLine(line, finder);
      if (names.size === 0) return;
      const declarations = declarationsIn(line);
      for (const name of names) {
        const s = statsFor(stats, name);
        s.removed++;
        for (const d of declarations) {
          if (d.name !== name) continue;
          s.declaredBefore.add(d.kind);
          const kinds = removedDeclaredHere.get(name) ?? new Set();
          kinds.add(d.kind);
          removedDeclaredHere.set(name, kinds);
        }
      }
      removedTokens.set(n, tokenize(line));
    });
    for (const line of block.added) {
      const names = namesOnLine(line, finder);
      if (names.size === 0) continue;
      const declarations = declarationsIn(line);
      for (const name of names) {
        const s = statsFor(stats, name);
        s.added++;
        for (const d of declarations) if (d.name === name) s.declaredAfter.add(d.kind);
      }
    }
    if (removedTokens.size > 0) collectSubstitutes(block, removedTokens, finder, stats);
  }
  if (removedDeclaredHere.size > 0) collectSuccessors(diff, removedDeclaredHere, stats);
}

/** Each removed line is paired with the added line that replaced it, and their tokens aligned. */
function collectSubstitutes(block: ChangeBlock, removedTokens: Map<number, string[]>, finder: RegExp, stats: Map<string, CommitStats>): void {
  const addedTokens = block.added.map(tokenize);
  for (const [n, before] of removedTokens) {
    let after: string[] | undefined;
    if (block.removed.length === block.added.length) after = addedTokens[n];
    else if (addedTokens.length <= MAX_PAIRING_CANDIDATES) {
      // The most similar added line, unless two are equally similar: then the pairing is a guess.
      let best = 0;
      let tied = false;
      for (const candidate of addedTokens) {
        const score = similarity(before, candidate);
        if (score > best) {
          best = score;
          after = candidate;
          tied = false;
        } else if (score === best && after !== undefined) tied = true;
      }
      if (tied || best < MIN_PAIRING_SIMILARITY) after = undefined;
    }
    if (after === undefined) continue;
    for (const name of namesOnLine(block.removed[n]!, finder)) {
      for (const token of substitutes(name, before, after)) {
        const votes = statsFor(stats, name).substitutes;
        votes.set(token, (votes.get(token) ?? 0) + 1);
      }
    }
  }
}

/** Declarations of the same kind that are new in this file: the other half of a rename. */
function collectSuccessors(diff: FileDiff, removedDeclaredHere: Map<string, Set<DeclarationKind>>, stats: Map<string, CommitStats>): void {
  const removedNames = new Set<string>();
  const addedDeclarations = new Map<string, Set<DeclarationKind>>();
  for (const block of diff.blocks) {
    for (const line of block.removed) for (const d of declarationsIn(line)) removedNames.add(`${d.kind} ${d.name}`);
    for (const line of block.added) {
      for (const d of declarationsIn(line)) {
        const kinds = addedDeclarations.get(d.name) ?? new Set();
        kinds.add(d.kind);
        addedDeclarations.set(d.name, kinds);
      }
    }
  }
  for (const [name, kinds] of removedDeclaredHere) {
    const s = statsFor(stats, name);
    for (const [added, addedKinds] of addedDeclarations) {
      if (added === name) continue;
      for (const kind of kinds) {
        if (addedKinds.has(kind) && !removedNames.has(`${kind} ${added}`)) s.successors.set(added, (s.successors.get(added) ?? 0) + 1);
      }
    }
  }
}
