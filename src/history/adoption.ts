import type { Config } from "../shared/config-types.js";
import { UserError } from "../shared/errors.js";
import type { ItemCache } from "./item-cache.js";
import { filesAt, ITEM_KINDS, type PathClassifier } from "./paths.js";
import { commitsBetween, lastCommitBefore, resolveCommit } from "../git/revisions.js";

// `provenance.since` is the day (or commit) a team adopted the practice. Commits before it are not
// checked, and items that already existed then need no link: nobody wrote post-mortems for them.

export interface Adoption {
  /** The configured value, for messages; null when every commit is checked. */
  since: string | null;
  /** Whether a commit needs links: it came after the adoption point. */
  isChecked(commit: { sha: string; timestamp: number }): boolean;
  /** Whether a commit made now (commit-msg hook) needs links. */
  checksNewCommit(now: Date): boolean;
  /** Whether an item existed at the adoption point (by its ref, or the ref it had before a move). */
  existedBefore(item: { ref: string; previousRef?: string }): boolean;
}

export const EVERYTHING_CHECKED: Adoption = { since: null, isChecked: () => true, checksNewCommit: () => true, existedBefore: () => false };

export async function resolveAdoption(root: string, config: Config, classifier: PathClassifier, cache: ItemCache): Promise<Adoption> {
  const since = config.provenance.since;
  if (since === null) return EVERYTHING_CHECKED;
  if (/^\d{4}-\d{2}-\d{2}$/.test(since)) {
    const time = Date.parse(`${since}T00:00:00Z`);
    const before = await lastCommitBefore(root, new Date(time));
    const refs = before === null ? new Set<string>() : await refsAt(root, before, classifier, cache);
    return {
      since,
      isChecked: (commit) => commit.timestamp * 1000 >= time,
      checksNewCommit: (now) => now.getTime() >= time,
      existedBefore: (item) => existed(refs, item),
    };
  }
  const sha = await resolveCommit(root, since);
  if (sha === null) {
    throw new UserError(`provenance.since "${since}" names no commit here; set it to a date (YYYY-MM-DD) or an existing commit, or fetch full history (git fetch --unshallow)`);
  }
  const after = await commitsBetween(root, sha, "HEAD");
  const refs = await refsAt(root, sha, classifier, cache);
  return {
    since,
    isChecked: (commit) => after.has(commit.sha),
    checksNewCommit: () => true,
    existedBefore: (item) => existed(refs, item),
  };
}

function existed(refs: Set<string>, item: { ref: string; previousRef?: string }): boolean {
  return refs.has(item.ref.toLowerCase()) || (item.previousRef !== undefined && refs.has(item.previousRef.toLowerCase()));
}

/** Lower-cased refs of every item in the harness at a commit. */
async function refsAt(root: string, commit: string, classifier: PathClassifier, cache: ItemCache): Promise<Set<string>> {
  const refs = new Set<string>();
  for (const { path, oid } of await filesAt(root, commit, classifier, ITEM_KINDS)) {
    for (const item of (await cache.itemsOf(path, oid)) ?? []) refs.add(item.ref.toLowerCase());
  }
  return refs;
}
