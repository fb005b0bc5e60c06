import { splitNul } from "../git/git.js";
import { countProgress } from "../shared/progress.js";
import { assertRevision, logCommitList, resilientLog, runGitCollect } from "../git/resilient-log.js";
import { COMMIT_START, CommitGraph, MERGE_DIFFS, parseCommitHeader, pickReported, SHOW_COMMIT, WALK_ORDER, type CommitInfo } from "./drift-commits.js";
import { matchedDirectory, PathIndex, rewritePath, type PathMatch, type WrittenPath } from "./drift-path-forms.js";

// Where did a path go? One `git log --name-status` over the range (tree diffs, no rename
// detection) records every path that left; a stale path is matched against them, rename detection
// runs only on the commits that removed a matched path, and the rename is followed forward through
// later renames to where the file is now.

export interface PathRemoval {
  commit: CommitInfo;
  from: string;
  /** Undefined when the file was deleted. */
  to?: string;
}

export interface PathHistory {
  graph: CommitGraph;
  /** Removals (renames away and deletes) by the path that was removed, newest first. */
  removals: Map<string, PathRemoval[]>;
  /** The removed paths, for matching mentions. */
  removed: PathIndex;
}

/** One commit of the listing: what it removed, with renames told apart once `refined`. */
export interface ListedCommit {
  commit: CommitInfo;
  removals: PathRemoval[];
  /** Rename detection ran on this commit: its removals say where each renamed path went. */
  refined: boolean;
}

/** Where the listing of an earlier run is kept (drift-cache.ts), by HEAD. */
export interface PathListingStore {
  /** The kept listing of this range, the HEAD it was read at, and whether that is this HEAD. */
  kept(): { head: string; current: boolean; commits: ListedCommit[] } | undefined;
  /** The listing as this run read it (and refined it), to keep for the next. */
  remember(commits: readonly ListedCommit[]): void;
}

export async function readPathHistory(root: string, range: string, written: readonly WrittenPath[] = [], store?: PathListingStore): Promise<PathHistory> {
  // Rename detection reads file contents, and is most of a whole-history `-M` log: list every
  // commit without it (tree diffs only), then ask git for renames only in the commits that removed
  // a path the stale mentions name, and, following where those went, the paths after them.
  const { commits, read } = await listCommits(root, range, store);
  const graph = new CommitGraph();
  for (const { commit } of commits) graph.add(commit);
  countProgress("commits walked", read);
  const bySha = new Map(commits.map((entry) => [entry.commit.sha, entry]));
  const removedBy = new Map<string, string[]>();
  for (const { commit, removals } of commits) for (const removal of removals) removedBy.set(removal.from, [...(removedBy.get(removal.from) ?? []), commit.sha]);
  const removedIndex = new PathIndex(removedBy.keys());
  const wanted = new Set<string>();
  for (const path of written) for (const reading of path.readings) for (const match of removedIndex.matches(reading, path.directory)) wanted.add(match.path);

  const visited = new Set<string>();
  let changed = read > 0;
  for (let next = [...wanted]; next.length > 0; ) {
    const shas = [...new Set(next.flatMap((path) => removedBy.get(path) ?? []))].filter((sha) => !visited.has(sha));
    next = [];
    if (shas.length === 0) break;
    for (const sha of shas) visited.add(sha);
    // A commit refined by an earlier run says where its paths went without asking git again.
    const todo = shas.filter((sha) => bySha.get(sha)?.refined !== true);
    if (todo.length > 0) {
      changed = true;
      const output = (await logCommitList(root, todo, ["--name-status", "-M", "-z", ...SHOW_COMMIT])).toString("utf8");
      for (const { commit, removals } of parseNameStatus(output, () => undefined)) {
        const entry = bySha.get(commit.sha);
        if (entry === undefined) continue;
        entry.removals = removals.map((removal) => ({ ...removal, commit: entry.commit }));
        entry.refined = true;
      }
    }
    for (const sha of shas) {
      for (const removal of bySha.get(sha)?.removals ?? []) {
        if (removal.to !== undefined && !wanted.has(removal.to)) {
          wanted.add(removal.to);
          next.push(removal.to);
        }
      }
    }
  }
  if (changed) store?.remember(commits);

  const removals = new Map<string, PathRemoval[]>();
  for (const entry of commits) for (const removal of entry.removals) record(removals, removal);
  return { graph, removals, removed: new PathIndex(removals.keys()) };
}

/**
 * Every commit of the range, newest first, with the paths it removed: from the kept listing when
 * HEAD is the same, the kept one plus the commits since when HEAD moved on from it, else from one
 * `git log --name-status` (tree diffs only). `read`: how many commits git listed this time.
 */
async function listCommits(root: string, range: string, store: PathListingStore | undefined): Promise<{ commits: ListedCommit[]; read: number }> {
  const kept = store?.kept();
  if (kept?.current) return { commits: kept.commits, read: 0 };
  if (kept !== undefined) {
    // The walk's order decides which removal is newer: the new commits are placed by it.
    assertRevision(range);
    const walk = await runGitCollect(root, ["rev-list", ...WALK_ORDER, "--end-of-options", range, "--"]);
    if (walk.code === 0) {
      const positions = new Map<string, number>();
      for (const line of walk.stdout.toString("utf8").split("\n")) if (/^[0-9a-f]{40,64}$/.test(line)) positions.set(line, positions.size);
      if (positions.has(kept.head) && kept.commits.every((entry) => positions.has(entry.commit.sha))) {
        const added = parseListing(await listing(root, [range, `^${kept.head}`]));
        const commits = [...added, ...kept.commits].filter((entry) => positions.has(entry.commit.sha));
        if (commits.length === positions.size) {
          commits.sort((a, b) => positions.get(a.commit.sha)! - positions.get(b.commit.sha)!);
          commits.forEach((entry, index) => (entry.commit.index = index));
          return { commits, read: added.length };
        }
      }
    }
  }
  const commits = parseListing(await listing(root, [range]));
  return { commits, read: commits.length };
}

function listing(root: string, revisions: string[]): Promise<Buffer> {
  return resilientLog(root, { walk: WALK_ORDER, show: ["--name-status", "--no-renames", "-z", ...SHOW_COMMIT], revisions, mark: COMMIT_START, merges: MERGE_DIFFS });
}

function parseListing(output: Buffer): ListedCommit[] {
  return parseNameStatus(output.toString("utf8"), () => undefined).map(({ commit, removals }) => ({ commit, removals, refined: false }));
}

/** Commits of a `--name-status -z` log in COMMIT_FORMAT, with what each removed (renamed away or deleted). */
function parseNameStatus(output: string, seen: (commit: CommitInfo) => void): Array<{ commit: CommitInfo; removals: PathRemoval[] }> {
  const commits: Array<{ commit: CommitInfo; removals: PathRemoval[] }> = [];
  let index = 0;
  for (const chunk of output.split(COMMIT_START)) {
    if (chunk === "") continue;
    const headerEnd = chunk.indexOf("\0");
    const commit = parseCommitHeader(headerEnd === -1 ? chunk : chunk.slice(0, headerEnd), index++);
    seen(commit);
    const removals: PathRemoval[] = [];
    commits.push({ commit, removals });
    if (headerEnd === -1) continue;
    const fields = splitNul(chunk.slice(headerEnd + 1));
    for (let i = 0; i < fields.length; ) {
      const status = fields[i]!.trim();
      if (status === "") {
        i++;
        continue;
      }
      const kind = status[0];
      if (kind === "R" || kind === "C") {
        const from = fields[i + 1];
        const to = fields[i + 2];
        i += 3;
        // A copy leaves its source in place: nothing was removed.
        if (kind === "R" && from !== undefined && to !== undefined) removals.push({ commit, from, to });
      } else {
        const path = fields[i + 1];
        i += 2;
        if (kind === "D" && path !== undefined) removals.push({ commit, from: path });
      }
    }
  }
  return commits;
}

function record(removals: Map<string, PathRemoval[]>, removal: PathRemoval): void {
  const list = removals.get(removal.from);
  if (list) list.push(removal);
  else removals.set(removal.from, [removal]);
}

/** Where a file ended up: a path that exists now, or the commit that finally deleted it. */
type Destination = { path: string } | { deletedBy: PathRemoval } | { unknown: true };

/** Follows a rename forward in time (toward the newest commit) until it reaches today. */
function follow(history: PathHistory, removal: PathRemoval, existing: ReadonlySet<string>): Destination {
  let current = removal;
  for (let hops = 0; hops < 100; hops++) {
    if (current.to === undefined) return { deletedBy: current };
    const later = (history.removals.get(current.to) ?? []).filter((next) => next.commit.index < current.commit.index);
    // The next move in time is the oldest of the later ones: the largest walk index.
    const next = later.reduce<PathRemoval | undefined>((best, r) => (best === undefined || r.commit.index > best.commit.index ? r : best), undefined);
    if (next === undefined) return existing.has(current.to) ? { path: current.to } : { unknown: true };
    current = next;
  }
  return { unknown: true };
}

export interface PathExplanation {
  commit: CommitInfo;
  /** The new path, written as the mention wrote the old one. */
  replacement?: string;
  candidates?: string[];
}

export function explainPath(history: PathHistory, written: WrittenPath, existing: ReadonlySet<string>): PathExplanation | undefined {
  for (const reading of written.readings) {
    const matches = history.removed.matches(reading, written.directory);
    if (matches.length === 0) continue;
    return written.directory ? explainDirectory(history, written, matches, existing) : explainFile(history, written, matches, existing);
  }
  return undefined;
}

function explainFile(history: PathHistory, written: WrittenPath, matches: PathMatch[], existing: ReadonlySet<string>): PathExplanation | undefined {
  const outcomes: Array<{ removal: PathRemoval; match: PathMatch; destination: Destination }> = [];
  for (const match of matches) {
    const removal = pickReported(history.removals.get(match.path) ?? [], history.graph);
    if (removal) outcomes.push({ removal, match, destination: follow(history, removal, existing) });
  }
  outcomes.sort((a, b) => a.removal.commit.index - b.removal.commit.index);
  const newest = outcomes[0];
  if (newest === undefined) return undefined;
  const places = new Set<string>();
  for (const { match, destination } of outcomes) {
    if ("path" in destination) places.add(rewritePath(written, match, destination.path));
  }
  if (places.size > 1) return { commit: newest.removal.commit, candidates: [...places].sort() };
  const { destination } = newest;
  if ("deletedBy" in destination) return { commit: destination.deletedBy.commit };
  if ("unknown" in destination) return { commit: newest.removal.commit };
  return { commit: newest.removal.commit, replacement: rewritePath(written, newest.match, destination.path) };
}

/** A folder moves as its files do: the commit that emptied it, and where those files went. */
function explainDirectory(history: PathHistory, written: WrittenPath, matches: PathMatch[], existing: ReadonlySet<string>): PathExplanation | undefined {
  const removals = matches.flatMap((match) => (history.removals.get(match.path) ?? []).map((removal) => ({ removal, match })));
  removals.sort((a, b) => a.removal.commit.index - b.removal.commit.index);
  const newest = removals[0];
  if (newest === undefined) return undefined;
  const reported =
    pickReported(
      removals.map((r) => r.removal),
      history.graph,
    ) ?? newest.removal;
  const inCommit = removals.filter((r) => r.removal.commit.sha === reported.commit.sha);
  const folders = new Map<string, number>();
  for (const { removal, match } of inCommit) {
    const destination = follow(history, removal, existing);
    if (!("path" in destination)) continue;
    const oldFolder = matchedDirectory(match);
    const inside = removal.from.slice(oldFolder.length + 1);
    if (!destination.path.endsWith(`/${inside}`)) continue;
    const newFolder = destination.path.slice(0, destination.path.length - inside.length - 1);
    const form = rewritePath(written, { ...match, variant: { path: match.variant.path, restore: (p) => p } }, newFolder);
    folders.set(form, (folders.get(form) ?? 0) + 1);
  }
  if (folders.size === 0) return { commit: reported.commit };
  if (folders.size === 1) return { commit: reported.commit, replacement: [...folders.keys()][0]! };
  return { commit: reported.commit, candidates: [...folders.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([f]) => f) };
}

/** Whether a stale path named something present in a tree (the files of `git ls-tree`). */
export function pathExistedIn(written: WrittenPath, tree: PathIndex): boolean {
  return written.readings.some((reading) => tree.matches(reading, written.directory).length > 0);
}
