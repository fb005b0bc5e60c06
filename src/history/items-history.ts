import type { PostMortem } from "../harness/types.js";
import { isNullOid, logCommits, type FileChange, type LoggedCommit } from "../git/git-batch.js";
import type { ObjectReader } from "../git/object-reader.js";
import type { FileVersion, ItemCache } from "./item-cache.js";
import { diffItems, type HistoryItem, type ItemChange } from "./item-diff.js";
import type { PathClassifier, PathKind } from "./paths.js";
import { hasCommits, shallowBoundary } from "../git/revisions.js";

// For each commit that touches harness files: the harness as it was at the commit and at its
// parent, compared item by item. File versions are read by blob id (all requested up front, so
// cat-file streams them), and each version is parsed once however many commits share it.

/** A post-mortem as one commit added or edited it. */
export interface PostMortemVersion {
  path: string;
  oid: string;
  postmortem: PostMortem;
}

export interface HistoryCommit {
  sha: string;
  parents: string[];
  /** Committer date, YYYY-MM-DD in the committer's time zone. */
  date: string;
  /** Committer time, seconds since the epoch. */
  timestamp: number;
  subject: string;
  message: string;
  /** Items added, modified (beyond whitespace) or removed, compared with the first parent. */
  items: ItemChange[];
  /** Post-mortems this commit added or edited, as they read after it. */
  postmortems: PostMortemVersion[];
  /** Every file the commit changed. */
  files: FileChange[];
}

export interface ItemHistoryOptions {
  /** Revisions to walk; default HEAD. */
  revisions?: string[];
  /** Keep every commit, not only those touching rule files, hook files or post-mortems. */
  allCommits?: boolean;
  /** Leave out commits older than this (git's --since, then an exact filter). */
  since?: Date;
}

/**
 * Reads the item history of the commits `revisions` reach, newest first, merges left out (they
 * are exempt, SPEC section 6). A root commit adds everything it holds; an empty repository has
 * no history.
 */
export async function readItemHistory(root: string, classifier: PathClassifier, cache: ItemCache, reader: ObjectReader, options: ItemHistoryOptions = {}): Promise<HistoryCommit[]> {
  if (!(await hasCommits(root))) return [];
  const cut = await shallowBoundary(root);
  const logged: LoggedCommit[] = [];
  const plans: Sides[][] = [];
  for await (const commit of logCommits(root, {
    revisions: options.revisions ?? ["HEAD"],
    // git stops early on the date; a day of slack keeps commits with a skewed clock.
    ...(options.since ? { since: new Date(options.since.getTime() - 86_400_000) } : {}),
  })) {
    if (options.since && commit.timestamp * 1000 < options.since.getTime()) continue;
    // Where a shallow clone is cut, git diffs against nothing: what the commit changed is unknown.
    if (cut.has(commit.sha)) continue;
    const plan = commit.files.map((file) => sidesOf(file, classifier)).filter((sides) => sides.before || sides.after || sides.postmortem);
    if (plan.length === 0 && !options.allCommits) continue;
    logged.push(commit);
    plans.push(plan);
    // Ask for the file versions while git log is still streaming: cat-file answers meanwhile.
    for (const sides of plan) for (const version of [sides.before, sides.after, sides.postmortem]) if (version) void reader.blob(version.oid);
  }
  // Oldest first, one commit at a time: each version is then derived from the one before it
  // (a body edit needs no parse) rather than parsed from scratch.
  const history: HistoryCommit[] = new Array(logged.length);
  for (let i = logged.length - 1; i >= 0; i--) history[i] = await toHistoryCommit(logged[i]!, plans[i]!, cache);
  return history;
}

async function toHistoryCommit(commit: LoggedCommit, plan: Sides[], cache: ItemCache): Promise<HistoryCommit> {
  const oldItems: HistoryItem[] = [];
  const newItems: HistoryItem[] = [];
  const postmortems: PostMortemVersion[] = [];
  const movedFiles = new Map<string, string>();
  for (const sides of plan) {
    if (sides.before && sides.after && sides.before.path !== sides.after.path) movedFiles.set(sides.before.path, sides.after.path);
    if (sides.before || sides.after) {
      const old = sides.before ? await cache.itemsOf(sides.before.path, sides.before.oid) : [];
      const now = sides.after ? await cache.itemsAfterEdit(sides.before, sides.after) : [];
      // A version that is not text cannot be compared; invalid-file reports it at HEAD.
      if (old !== null && now !== null) {
        oldItems.push(...old);
        newItems.push(...now);
      }
    }
    if (sides.postmortem) {
      const { path, oid } = sides.postmortem;
      const postmortem = await cache.postmortemOf(path, oid);
      if (postmortem) postmortems.push({ path, oid, postmortem });
    }
  }
  return {
    sha: commit.sha,
    parents: commit.parents,
    date: commit.committedAt.slice(0, 10),
    timestamp: commit.timestamp,
    subject: subjectOf(commit.message),
    message: commit.message,
    items: diffItems(oldItems, newItems, movedFiles),
    postmortems,
    files: commit.files,
  };
}

interface Sides {
  before?: FileVersion;
  after?: FileVersion;
  postmortem?: FileVersion;
}

/** Which item file versions a file change compares, and which post-mortem version it leaves. */
function sidesOf(file: FileChange, classifier: PathClassifier): Sides {
  const fromPath = file.fromPath ?? file.path;
  const sides: Sides = {};
  // A copy leaves its source as it was: only the new path changes.
  // A symbolic link (or a submodule) holds no items of its own: a linked CLAUDE.md is read once, at
  // its target (SPEC section 5), so turning a file into a link removes its items, and adding a
  // link adds none. Its "text" is only the target's path.
  const hadBefore = file.status !== "A" && file.status !== "C" && !isNullOid(file.oldOid) && holdsText(file.oldMode);
  const hasAfter = file.status !== "D" && !isNullOid(file.newOid) && holdsText(file.newMode);
  if (hadBefore && holdsItems(classifier.kindOf(fromPath))) sides.before = { path: fromPath, oid: file.oldOid };
  if (hasAfter && holdsItems(classifier.kindOf(file.path))) sides.after = { path: file.path, oid: file.newOid };
  if (hasAfter && classifier.kindOf(file.path) === "postmortem") sides.postmortem = { path: file.path, oid: file.newOid };
  return sides;
}

function holdsText(mode: string): boolean {
  return mode !== "120000" && mode !== "160000";
}

function holdsItems(kind: PathKind): boolean {
  return kind === "harness" || kind === "hook";
}

/** The subject as git prints `%s`: the first paragraph, its lines joined by spaces. */
export function subjectOf(message: string): string {
  const lines = message.replace(/\r\n?/g, "\n").replace(/^\n+/, "").split("\n");
  const paragraph: string[] = [];
  for (const line of lines) {
    if (line.trim() === "") break;
    paragraph.push(line.trim());
  }
  return paragraph.join(" ");
}
