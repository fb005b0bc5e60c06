import type { PostMortem, Span } from "../harness/types.js";
import { historyResolver, refMatcher } from "./item-refs.js";
import type { PostMortemLink, ProvenanceHistory } from "./provenance.js";

// Did a post-mortem's changes reach the harness within `postmortem.landWithinDays`? The practice
// says a post-mortem's output is a change to the harness landed the same week; a change that never
// lands leaves the failure free to happen again.

export type LandingStatus = "landed" | "late" | "missing" | "pending";

export interface ChangeLanding {
  /** The `changes` entry as written. */
  ref: string;
  span: Span;
  status: LandingStatus;
  /** The first commit that landed it. */
  landed?: { commit: string; date: string; days: number };
}

export interface PostMortemLanding {
  postmortem: PostMortem;
  changes: ChangeLanding[];
}

/**
 * For each post-mortem with a date and changes: when each change landed. A change lands with the
 * commit that changes a matching item and links this post-mortem (the oldest such), or, when no
 * commit links it, the first that changes a matching item on or after its date. It is late when that took more than `landWithinDays` days, missing when it has not
 * happened and that many days have passed, pending otherwise. `history` must reach back to the
 * oldest post-mortem's date.
 */
export function postmortemLandings(postmortems: readonly PostMortem[], history: ProvenanceHistory, landWithinDays: number, now: Date = new Date()): PostMortemLanding[] {
  const resolver = historyResolver(history.headItems);
  const oldestFirst = [...history.commits].sort((a, b) => a.timestamp - b.timestamp);
  const today = now.toISOString().slice(0, 10);
  const landings: PostMortemLanding[] = [];
  for (const postmortem of postmortems) {
    const date = postmortem.date;
    if (date === undefined || postmortem.changes.length === 0) continue;
    const changes = postmortem.changes.map((change): ChangeLanding => {
      const matches = refMatcher(change.ref, resolver, postmortem.path);
      // The commit that links this post-mortem (trailer, same-commit, listed) landed the change;
      // only when none does is it the first matching change on or after the post-mortem's date.
      const linking = oldestFirst.find((c) =>
        c.items.some((item) => matches(item) && c.postmortems.some((link) => isSamePostMortem(link, postmortem) && (link.items === undefined || link.items.includes(item.ref)))),
      );
      const commit = linking ?? oldestFirst.find((c) => c.items.some((item) => matches(item)) && c.date >= date);
      if (commit) {
        const days = daysBetween(date, commit.date);
        return { ref: change.ref, span: change.span, status: days > landWithinDays ? "late" : "landed", landed: { commit: commit.sha, date: commit.date, days } };
      }
      return { ref: change.ref, span: change.span, status: daysBetween(date, today) > landWithinDays ? "missing" : "pending" };
    });
    landings.push({ postmortem, changes });
  }
  return landings;
}

export interface UnlandedPostMortem {
  postmortem: PostMortem;
  /** Only the changes that are late or missing. */
  changes: ChangeLanding[];
}

/**
 * Post-mortems whose changes had not all landed `landWithinDays` days after their date (for
 * `postmortem-shape`). Returns the same PostMortem objects it was given, so findings can use their spans.
 */
export function unlandedPostmortems(postmortems: readonly PostMortem[], history: ProvenanceHistory, landWithinDays: number, now: Date = new Date()): UnlandedPostMortem[] {
  return postmortemLandings(postmortems, history, landWithinDays, now)
    .map(({ postmortem, changes }) => ({ postmortem, changes: changes.filter((c) => c.status === "late" || c.status === "missing") }))
    .filter((pm) => pm.changes.length > 0);
}

function isSamePostMortem(link: PostMortemLink, postmortem: PostMortem): boolean {
  return link.path === postmortem.path || link.ref.toLowerCase() === postmortem.id.toLowerCase();
}

/** Whole days from one ISO date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000);
}
