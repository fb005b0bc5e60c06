import unlinkedRuleChange, { unlinkedReports } from "../../rules/unlinked-rule-change.js";
import { defineCheck, toFinding, type Report } from "../engine/check.js";
import type { Config } from "../shared/config-types.js";
import { UserError } from "../shared/errors.js";
import { compareFindings } from "../formatters/stylish.js";
import type { HistoryItem } from "../history/item-diff.js";
import type { ModelHistory } from "../history/model-history.js";
import { traceProvenance, type ProvenanceHistory, type TracedCommit } from "../history/provenance.js";
import { isShallow, mergeBase, resolveCommit } from "../git/revisions.js";
import { pointSpan } from "../shared/text.js";
import type { Finding, PostMortem, Severity, Span } from "../harness/types.js";

// `--base REF` in CI: every commit in REF..HEAD is checked for provenance. The range is read with
// every commit in it (not only harness commits), because a trailer naming a post-mortem that does
// not exist is wrong wherever it appears.

const FETCH_ADVICE = "fetch full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)";

/** Trailers are citations: a dangling one is a `dangling-citation`, reported in that check's name. */
const danglingTrailer = defineCheck({
  id: "dangling-citation",
  description: "A post-mortem's changes, link or commit trailer names an item or post-mortem that does not exist",
  category: "provenance",
  defaultSeverity: "error",
  messages: {
    danglingTrailer: "commit {{sha}} \"{{subject}}\" has `{{trailer}}: {{value}}`, but no post-mortem {{value}} exists at that commit",
  },
  run() {
    // Reported from history by checkBase, never from the model.
  },
});

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
 * `unlinked-rule-change` findings for every unlinked item change in REF..HEAD, and a
 * `dangling-citation` finding for every trailer there that names no post-mortem. Each finding
 * carries the commit's full SHA; it points at the item at HEAD, or line 1 of the file it left.
 */
export async function checkBase(root: string, config: Config, baseRef: string): Promise<Finding[]> {
  const history = await readBaseHistory(root, config, baseRef);
  return historyFindings(history, config);
}

/** The findings a provenance history yields under this configuration's severities. */
export function historyFindings(history: ProvenanceHistory, config: Config): Finding[] {
  const findings: Finding[] = [];
  const unlinkedSeverity = severityOf(config, unlinkedRuleChange.id, unlinkedRuleChange.defaultSeverity);
  if (unlinkedSeverity !== null) {
    for (const report of unlinkedReports(history, history.headItems, config.trailer)) {
      findings.push(toFinding(unlinkedRuleChange, unlinkedSeverity, report));
    }
  }
  findings.push(...danglingTrailerFindings(history, config));
  // Same place, several findings: a stable order by check, then commit, so reports diff cleanly.
  return findings.sort((a, b) => compareFindings(a, b) || a.check.localeCompare(b.check) || (a.commit ?? "").localeCompare(b.commit ?? ""));
}

/**
 * Only the `dangling-citation` findings for trailers: what a run that attached the history to the
 * model (setHistory, so `unlinked-rule-change` reports through the model) still needs to add.
 */
export function danglingTrailerFindings(history: ProvenanceHistory, config: Config): Finding[] {
  const severity = severityOf(config, danglingTrailer.id, danglingTrailer.defaultSeverity);
  if (severity === null) return [];
  return danglingReports(history, config.trailer).map((report) => toFinding(danglingTrailer, severity, report));
}

function danglingReports(history: ProvenanceHistory, trailer: string): Array<Report<"danglingTrailer">> {
  const byRef = new Map(history.headItems.map((item) => [item.ref, item]));
  const reports: Array<Report<"danglingTrailer">> = [];
  for (const commit of history.commits) {
    if (!commit.checked) continue;
    const location = locate(commit, byRef, history.headItems);
    if (location === null) continue;
    for (const value of commit.dangling) {
      reports.push({
        messageId: "danglingTrailer",
        data: { sha: commit.sha.slice(0, 7), subject: commit.subject, trailer, value },
        ...location,
        mention: value,
        commit: commit.sha,
        hint: `Name the post-mortem by its \`id:\` or its path, and add it in this commit or an earlier one (git commit --amend, or git rebase -i).`,
      });
    }
  }
  return reports;
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

function severityOf(config: Config, id: string, fallback: Severity): Severity | null {
  const setting = config.checks[id] ?? fallback;
  return setting === "off" ? null : setting;
}

/**
 * Everything history-aware checks read from the model with `--base`: the range's provenance, and
 * history reaching back to the oldest post-mortem for the landing part of `postmortem-shape`.
 */
export async function buildModelHistory(root: string, config: Config, baseRef: string, postmortems: readonly PostMortem[]): Promise<ModelHistory> {
  const provenance = await readBaseHistory(root, config, baseRef);
  const dates = postmortems.flatMap((pm) => (pm.date !== undefined && pm.changes.length > 0 ? [pm.date] : [])).sort();
  const oldest = dates[0];
  // A change linked to its post-mortem may land a little before the date the post-mortem gives.
  const since = oldest === undefined ? null : new Date(Date.parse(`${oldest}T00:00:00Z`) - 14 * 86_400_000);
  const landing = since === null ? null : await traceProvenance(root, config, { since });
  return { provenance, landing };
}
