import type { PostMortem, Span } from "../harness/types.js";
import { pointSpan } from "../shared/text.js";
import type { HistoryItem } from "./item-diff.js";
import { unlandedPostmortems, type UnlandedPostMortem } from "./landing.js";
import { unlinkedItems, type ProvenanceHistory, type TracedCommit, type TracedItem } from "./provenance.js";

// What history-aware checks read from the model: facts drawn from history once, by the engine,
// when a run asks for them (`--base`). Checks never read history themselves; without these
// facts they report nothing.

export interface CommitRef {
  sha: string;
  subject: string;
}

/** An item change in the checked range that links no post-mortem. */
export interface UnlinkedChange {
  commit: CommitRef;
  item: TracedItem;
  /** The commit says `Post-Mortem: none` without the reason that makes it a link to no post-mortem on purpose. */
  noneWithoutReason?: true;
}

/** A `Post-Mortem:` trailer naming a post-mortem that does not exist at its commit. */
export interface DanglingTrailer {
  commit: CommitRef;
  value: string;
  /** Where the finding points: an item the commit changed as it is at HEAD, else a file it touched. */
  file: string;
  span: Span;
}

export type { UnlandedPostMortem };

export interface HistoryFacts {
  unlinked: UnlinkedChange[];
  danglingTrailers: DanglingTrailer[];
  /** Post-mortems whose changes landed late or never; null when no history reached back to them. */
  unlanded: UnlandedPostMortem[] | null;
}

/** The facts a provenance history (REF..HEAD) and a landing history (since the oldest post-mortem) yield. */
export function historyFacts(provenance: ProvenanceHistory, landing: ProvenanceHistory | null, postmortems: readonly PostMortem[], landWithinDays: number): HistoryFacts {
  const unlinked: UnlinkedChange[] = [];
  const danglingTrailers: DanglingTrailer[] = [];
  const byRef = new Map(provenance.headItems.map((item) => [item.ref, item]));
  for (const commit of provenance.commits) {
    const ref = { sha: commit.sha, subject: commit.subject };
    for (const item of unlinkedItems(commit)) unlinked.push({ commit: ref, item, ...(commit.none !== undefined ? { noneWithoutReason: true as const } : {}) });
    if (!commit.checked) continue;
    const location = locate(commit, byRef, provenance.headItems);
    if (location === null) continue;
    for (const value of commit.dangling) danglingTrailers.push({ commit: ref, value, ...location });
  }
  return { unlinked, danglingTrailers, unlanded: landing === null ? null : unlandedPostmortems(postmortems, landing, landWithinDays) };
}

/** Where a commit-level finding points: an item it changed as it is now, else a file it touched. */
function locate(commit: TracedCommit, byRef: Map<string, HistoryItem>, headItems: readonly HistoryItem[]): { file: string; span: Span } | null {
  for (const item of commit.items) {
    const now = byRef.get(item.ref);
    if (now) return { file: now.file, span: now.span };
  }
  const file = commit.files.find((f) => f.status !== "D") ?? commit.files[0];
  if (file) return { file: file.path, span: pointSpan(1) };
  const first = headItems[0];
  return first ? { file: first.file, span: pointSpan(1) } : null;
}
