import type { PostMortem } from "../harness/types.js";
import { historyFacts, type HistoryFacts } from "../history/model-history.js";
import { traceProvenance, type ProvenanceHistory } from "../history/provenance.js";
import { isShallow, mergeBase, resolveCommit } from "../git/revisions.js";
import type { Config } from "../shared/config-types.js";
import { UserError } from "../shared/errors.js";

// `--base REF` in CI: every commit in REF..HEAD is checked for provenance. The range is read with
// every commit in it (not only harness commits), because a trailer naming a post-mortem that does
// not exist is wrong wherever it appears.

const FETCH_ADVICE = "fetch full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)";

/** The full SHA `baseRef` names; a missing or unreachable base is a UserError that says how to fetch it. */
export async function resolveBase(root: string, baseRef: string): Promise<string> {
  const sha = await resolveCommit(root, baseRef);
  const shallow = await isShallow(root);
  if (sha === null) {
    throw new UserError(
      shallow
        ? `--base ${baseRef}: not found in this shallow clone; ${FETCH_ADVICE}`
        : `--base ${baseRef} names no commit; fetch it (git fetch origin <branch>) or, in GitHub Actions, use actions/checkout with fetch-depth: 0`,
    );
  }
  if (shallow && (await mergeBase(root, sha, "HEAD")) === null) {
    throw new UserError(`--base ${baseRef}: this shallow clone does not reach where ${baseRef} and HEAD meet; ${FETCH_ADVICE}`);
  }
  return sha;
}

/** History of REF..HEAD, every commit in it. */
export async function readBaseHistory(root: string, config: Config, baseRef: string): Promise<ProvenanceHistory> {
  const base = await resolveBase(root, baseRef);
  return traceProvenance(root, config, { revisions: ["HEAD", `^${base}`], allCommits: true });
}

/**
 * Everything history-aware checks read from the model with `--base`: the range's provenance, and
 * history reaching back to the oldest post-mortem for the landing part of `postmortem-shape`.
 */
export async function buildModelHistory(root: string, config: Config, baseRef: string, postmortems: readonly PostMortem[]): Promise<HistoryFacts> {
  const provenance = await readBaseHistory(root, config, baseRef);
  const dates = postmortems.flatMap((pm) => (pm.date !== undefined && pm.changes.length > 0 ? [pm.date] : [])).sort();
  const oldest = dates[0];
  // A change linked to its post-mortem may land a little before the date the post-mortem gives.
  const since = oldest === undefined ? null : new Date(Date.parse(`${oldest}T00:00:00Z`) - 14 * 86_400_000);
  const landing = since === null ? null : await traceProvenance(root, config, { since });
  return historyFacts(provenance, landing, postmortems, config.postmortem.landWithinDays);
}
