// Commits as the history passes see them, and the one question merges raise: when a merge's
// first-parent diff shows a change, did a commit on the merged branch make it?

/** `%x01` starts a commit so it cannot be confused with diff text; `%x02` separates fields. */
export const COMMIT_FORMAT = "--format=%x01%H %P%x02%ad%x02%s";
export const COMMIT_START = "\x01";
const FIELD = "\x02";

export interface CommitInfo {
  sha: string;
  parents: string[];
  /** Author date, YYYY-MM-DD. */
  date: string;
  subject: string;
  /** Position in the walk: 0 is the newest commit; children come before their parents. */
  index: number;
}

/** How every history pass walks: newest first, children before parents. */
export const WALK_ORDER = ["--topo-order"];

/** Merges are diffed against their first parent: a rename made while resolving one shows there. */
export const MERGE_DIFFS = ["--diff-merges=first-parent"];

/** What every history pass shows of a commit, whatever the user's git config. */
export const SHOW_COMMIT = [
  ...MERGE_DIFFS,
  "--date=short",
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  // A signed history would otherwise interleave gpg output with the commits.
  "--no-show-signature",
  COMMIT_FORMAT,
];

/** Parses the header line written by COMMIT_FORMAT (without the leading `\x01`). */
export function parseCommitHeader(header: string, index: number): CommitInfo {
  const [ids = "", date = "", subject = ""] = header.split(FIELD);
  const [sha = "", ...parents] = ids.trim().split(" ").filter(Boolean);
  return { sha, parents, date, subject: subject.replace(/\r?\n$/, ""), index };
}

export class CommitGraph {
  private readonly bySha = new Map<string, CommitInfo>();
  private readonly sideCache = new Map<string, Set<string>>();

  add(commit: CommitInfo): void {
    this.bySha.set(commit.sha, commit);
  }

  /**
   * Commits a merge brought in: reachable from its other parents but not from its first parent.
   * Only commits seen in the walk are known, which is all a range-limited walk can say.
   */
  mergedBy(merge: CommitInfo): Set<string> {
    const cached = this.sideCache.get(merge.sha);
    if (cached) return cached;
    const [first, ...others] = merge.parents;
    const mainline = first === undefined ? new Set<string>() : this.ancestors([first]);
    const side = new Set<string>();
    for (const sha of this.ancestors(others)) if (!mainline.has(sha)) side.add(sha);
    this.sideCache.set(merge.sha, side);
    return side;
  }

  private ancestors(starts: string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...starts];
    while (stack.length > 0) {
      const sha = stack.pop()!;
      if (seen.has(sha)) continue;
      const commit = this.bySha.get(sha);
      if (!commit) continue;
      seen.add(sha);
      stack.push(...commit.parents);
    }
    return seen;
  }
}

export interface HistoryEvent {
  commit: CommitInfo;
}

/**
 * The event to report from a newest-first list: the newest, except that a merge's first-parent
 * diff repeats what its branch did, and the branch commit is the one that explains the change.
 */
export function pickReported<E extends HistoryEvent>(events: readonly E[], graph: CommitGraph, usable: (event: E) => boolean = () => true): E | undefined {
  const newest = events[0];
  if (newest === undefined || newest.commit.parents.length < 2) return newest;
  const side = graph.mergedBy(newest.commit);
  return events.find((event) => side.has(event.commit.sha) && usable(event)) ?? newest;
}
