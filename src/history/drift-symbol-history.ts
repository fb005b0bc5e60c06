import { noteUnreadable, runGitCollect, streamResilientLog } from "../git/resilient-log.js";
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

/**
 * What one file diff of one commit says about one name: the counts and evidence `--drift` weighs.
 * Kept per file, unfiltered, so that which files are left out (harness files, prose) is decided
 * when events are read, and a kept answer serves any run whatever its harness.
 */
export interface FileHit {
  sha: string;
  path: string;
  removed: number;
  added: number;
  declaredBefore: DeclarationKind[];
  declaredAfter: DeclarationKind[];
  successors: Array<[string, number]>;
  substitutes: Array<[string, number]>;
}

/** A commit as its log header shows it (what a reported event needs besides its place in the walk). */
export interface CommitHeader {
  parents: string[];
  date: string;
  subject: string;
}

/** Where one history's answers come from, and where they are kept for the next run (drift-cache.ts). */
export interface SymbolStore {
  /** Told which commits this history walks: a store kept as of an ancestor of HEAD still answers. */
  useWalk(walks: (sha: string) => boolean): void;
  /** The hits kept for these names, with the comparisons their search skipped; names not kept are absent. */
  lookup(names: readonly string[]): Promise<Map<string, { hits: FileHit[]; lost: number }>>;
  header(sha: string): CommitHeader | undefined;
  /** Revisions to walk for the names the store holds as of an older HEAD: the new commits only. */
  newerThanKept(): string[] | undefined;
  remember(names: readonly string[], hits: Map<string, FileHit[]>, headers: ReadonlyMap<string, CommitHeader>, lost: number): void;
}

export class SymbolHistory {
  readonly graph = new CommitGraph();
  /** Walk position of every commit in the range: 0 is the newest. */
  private readonly positions = new Map<string, number>();
  /** The hits of every name searched so far (an empty list: searched, never changed). */
  private readonly hits = new Map<string, FileHit[]>();
  private readonly headers = new Map<string, CommitHeader>();
  private readonly commitInfos = new Map<string, CommitInfo>();
  /** How many `git log` passes over file contents this history made (for the tests). */
  passes = 0;
  /** The staged diff, for a history read from the index: every question is answered from it. */
  private staged: string | undefined;

  private constructor(
    private readonly root: string,
    private readonly range: string,
    private readonly isExcluded: (path: string) => boolean,
    private readonly store: SymbolStore | undefined,
  ) {}

  static async read(root: string, range: string, isExcluded: (path: string) => boolean, store?: SymbolStore): Promise<SymbolHistory> {
    assertRevision(range);
    const history = new SymbolHistory(root, range, isExcluded, store);
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
    store?.useWalk((sha) => history.positions.has(sha));
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
    const history = new SymbolHistory(root, "HEAD", isExcluded, undefined);
    history.positions.set(sha, 0);
    history.staged = `${header}${diff}`;
    history.graph.add({ sha, parents: [], date: "", subject: "", index: 0 });
    return history;
  }

  /** Every commit that removed one of the names (a declaration, or net mentions), newest first. */
  async eventsFor(names: readonly string[]): Promise<Map<string, SymbolEvent[]>> {
    const wanted = [...new Set(names.map(bareName).filter((name) => name !== ""))];
    const unsearched = wanted.filter((name) => !this.hits.has(name));
    if (unsearched.length > 0) await this.search(unsearched);
    const events = new Map<string, SymbolEvent[]>();
    for (const name of wanted) {
      const list = this.eventsOf(this.hits.get(name) ?? []);
      if (list.length > 0) events.set(name, list);
    }
    return events;
  }

  private async search(names: readonly string[]): Promise<void> {
    if (this.staged !== undefined) {
      const found = hitsIn(this.staged, names, this.headers);
      for (const name of names) this.hits.set(name, found.get(name) ?? []);
      return;
    }
    let todo = names;
    const newer = this.store?.newerThanKept();
    if (this.store) {
      const kept = await this.store.lookup(names);
      // What the search that found them skipped is said again, as that run said it.
      let lost = 0;
      for (const [name, { hits, lost: skipped }] of kept) {
        this.hits.set(name, hits);
        lost = Math.max(lost, skipped);
        for (const hit of hits) {
          const header = this.store.header(hit.sha);
          if (header !== undefined) this.headers.set(hit.sha, header);
        }
      }
      noteUnreadable(lost);
      const keptNow = [...kept.keys()];
      // Names kept as of an older HEAD: only the commits since are read, then added to what was kept.
      if (newer !== undefined && keptNow.length > 0) {
        const found = await this.pass(keptNow, newer);
        for (const name of keptNow) this.hits.set(name, [...(found.hits.get(name) ?? []), ...(this.hits.get(name) ?? [])]);
        this.store.remember(keptNow, new Map(keptNow.map((name) => [name, this.hits.get(name)!])), this.headers, lost + found.lost);
      }
      todo = names.filter((name) => !kept.has(name));
    }
    if (todo.length === 0) return;
    const found = await this.pass(todo, [this.range]);
    for (const name of todo) this.hits.set(name, found.hits.get(name) ?? []);
    this.store?.remember(todo, found.hits, this.headers, found.lost);
  }

  /**
   * One `git log -G` over `revisions` for these names (or, with many, the whole `git log -p`),
   * read commit by commit as git prints it: only the hits are kept, never the log.
   */
  private async pass(names: readonly string[], revisions: string[]): Promise<{ hits: Map<string, FileHit[]>; lost: number }> {
    this.passes++;
    // Many names make -G's regular expression slow on every changed line: one plain `git log -p`.
    const pickaxe = names.length > PICKAXE_NAMES ? [] : [`-G${names.map(escapeExtended).join("|")}`];
    const hits = new Map<string, FileHit[]>();
    const finder = namesPattern(names);
    const lost = await streamResilientLog(this.root, { walk: WALK_ORDER, show: [...PATCH_ARGUMENTS, ...pickaxe, ...SHOW_COMMIT], revisions, mark: COMMIT_START, merges: MERGE_DIFFS }, (_sha, piece) =>
      collectHits(piece.toString("utf8"), finder, hits, this.headers),
    );
    noteUnreadable(lost);
    return { hits, lost };
  }

  /** A name's events from its hits: per commit, the files that count summed, newest first. */
  private eventsOf(hits: readonly FileHit[]): SymbolEvent[] {
    const byCommit = new Map<string, FileHit[]>();
    for (const hit of hits) {
      // A commit this walk does not hold (a kept file that was tampered with) says nothing here.
      if (this.isExcluded(hit.path) || !this.positions.has(hit.sha)) continue;
      const list = byCommit.get(hit.sha);
      if (list) list.push(hit);
      else byCommit.set(hit.sha, [hit]);
    }
    const commits = [...byCommit.keys()].map((sha) => this.commitInfo(sha));
    commits.sort((a, b) => a.index - b.index);
    const events: SymbolEvent[] = [];
    for (const commit of commits) {
      const s = sumHits(byCommit.get(commit.sha)!);
      const declarationRemoved = [...s.declaredBefore].some((kind) => !s.declaredAfter.has(kind));
      const netRemoval = s.removed > s.added;
      if (!declarationRemoved && !netRemoval) continue;
      events.push({ commit, declarationRemoved, netRemoval, evidence: { successors: s.successors, substitutes: s.substitutes } });
    }
    return events;
  }

  private commitInfo(sha: string): CommitInfo {
    let info = this.commitInfos.get(sha);
    if (!info) {
      const header = this.headers.get(sha);
      // The position in the whole walk, which the pickaxe thinned: what "newer than" compares.
      const index = this.positions.get(sha)!;
      info = { sha, parents: header?.parents ?? [], date: header?.date ?? "", subject: header?.subject ?? "", index };
      this.commitInfos.set(sha, info);
    }
    return info;
  }
}

/** A name as a POSIX extended regular expression matching itself (git's -G). */
function escapeExtended(name: string): string {
  return name.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

/**
 * The hits of one commit's text (its header line, then `-U0` file diffs) for the names `finder`
 * matches, added to `hits` by name; the header is kept for commits with a hit.
 */
function collectHits(text: string, finder: RegExp, hits: Map<string, FileHit[]>, headers: Map<string, CommitHeader>): void {
  const lineEnd = text.indexOf("\n");
  const commit = parseCommitHeader(text.slice(1, lineEnd === -1 ? text.length : lineEnd), 0);
  if (!/^[0-9a-f]{40,64}$/.test(commit.sha)) return;
  let found = false;
  const sha = ownCopy(commit.sha);
  for (let at = text.indexOf("\ndiff --git "); at !== -1; ) {
    const next = text.indexOf("\ndiff --git ", at + 1);
    const section = text.slice(at + 1, next === -1 ? text.length : next + 1);
    at = next;
    finder.lastIndex = 0;
    if (!finder.test(section)) continue;
    const diff = parseFileDiff(section);
    if (diff === null) continue;
    const stats = new Map<string, CommitStats>();
    collectStats(diff, finder.source, stats);
    const path = ownCopy(diff.path);
    for (const [name, s] of stats) {
      const hit: FileHit = {
        sha,
        path,
        removed: s.removed,
        added: s.added,
        declaredBefore: [...s.declaredBefore],
        declaredAfter: [...s.declaredAfter],
        successors: [...s.successors].map(([successor, votes]) => [ownCopy(successor), votes]),
        substitutes: [...s.substitutes].map(([token, votes]) => [ownCopy(token), votes]),
      };
      const list = hits.get(name);
      if (list) list.push(hit);
      else hits.set(name, [hit]);
      found = true;
    }
  }
  if (found) headers.set(sha, { parents: commit.parents.map(ownCopy), date: ownCopy(commit.date), subject: ownCopy(commit.subject) });
}

/**
 * A string that shares no memory with the text it was cut from: V8 keeps a slice's whole parent
 * alive, and a kept hit would otherwise hold its commit's whole patch text.
 */
function ownCopy(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

/** The staged diff read as one commit: its hits for the names. */
function hitsIn(text: string, names: readonly string[], headers: Map<string, CommitHeader>): Map<string, FileHit[]> {
  const hits = new Map<string, FileHit[]>();
  if (names.length > 0) collectHits(text, namesPattern(names), hits, headers);
  return hits;
}

/** A commit's file hits for one name, summed as one diff of the whole commit would count them. */
function sumHits(hits: readonly FileHit[]): CommitStats {
  const s: CommitStats = { removed: 0, added: 0, declaredBefore: new Set(), declaredAfter: new Set(), successors: new Map(), substitutes: new Map() };
  for (const hit of hits) {
    s.removed += hit.removed;
    s.added += hit.added;
    for (const kind of hit.declaredBefore) s.declaredBefore.add(kind);
    for (const kind of hit.declaredAfter) s.declaredAfter.add(kind);
    for (const [name, votes] of hit.successors) s.successors.set(name, (s.successors.get(name) ?? 0) + votes);
    for (const [token, votes] of hit.substitutes) s.substitutes.set(token, (s.substitutes.get(token) ?? 0) + votes);
  }
  return s;
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
