import { defineCheck, type Report } from "../src/engine/check.js";
import type { UnlinkedChange } from "../src/engine/model.js";
import { pointSpan } from "../src/shared/text.js";
import type { Span } from "../src/harness/types.js";

/** Where an item is now: what a finding about one of its past changes points at. */
export interface ItemLocation {
  ref: string;
  file: string;
  span: Span;
}

const messages = {
  unlinked: 'commit {{sha}} "{{subject}}" {{change}} {{ref}} and links no post-mortem',
  noneWithoutReason: 'commit {{sha}} "{{subject}}" {{change}} {{ref}} with `{{trailer}}: none` but gives no reason',
};

export type UnlinkedMessageId = keyof typeof messages;

export default defineCheck({
  id: "unlinked-rule-change",
  description: "A commit adds, changes or removes a rule or hook and links no post-mortem",
  category: "provenance",
  defaultSeverity: "error",
  messages,
  run(model, context) {
    // History is read only with --base (or the commit-msg hook); a plain run has none to judge.
    const unlinked = model.history?.unlinked;
    if (!unlinked) return;
    for (const report of unlinkedReports(unlinked, [...model.items, ...model.hooks], model.config.trailer)) context.report(report);
  },
});

/**
 * One report per unlinked item change, pointing at the item as it reads now (`items`: the
 * harness at HEAD, or the work tree), or at line 1 of its file when it is gone.
 */
export function unlinkedReports(unlinked: readonly UnlinkedChange[], items: readonly ItemLocation[], trailer: string): Array<Report<UnlinkedMessageId>> {
  const byRef = new Map(items.map((item) => [item.ref, item]));
  return unlinked.map((change) => reportFor(change, byRef, trailer));
}

function reportFor({ commit, item, noneWithoutReason }: UnlinkedChange, byRef: Map<string, ItemLocation>, trailer: string): Report<UnlinkedMessageId> {
  const now = item.change === "removed" ? undefined : byRef.get(item.ref);
  const location: { file: string; span: Span } = now ? { file: now.file, span: now.span } : { file: item.file, span: pointSpan(1) };
  const change = item.previousRef !== undefined ? `moved ${item.previousRef} to` : item.change;
  if (noneWithoutReason) {
    return {
      messageId: "noneWithoutReason",
      data: { sha: commit.sha.slice(0, 7), subject: commit.subject, change, ref: item.ref, trailer },
      ...location,
      item: item.ref,
      commit: commit.sha,
      hint: `Say why no post-mortem is needed: \`${trailer}: none -- <reason>\` (git commit --amend, or reword it in git rebase -i).`,
    };
  }
  return {
    messageId: "unlinked",
    data: { sha: commit.sha.slice(0, 7), subject: commit.subject, change, ref: item.ref },
    ...location,
    item: item.ref,
    commit: commit.sha,
    hint: `Add a \`${trailer}: <id>\` trailer to the commit message (git commit --amend, or reword it in git rebase -i), or list ${commit.sha.slice(0, 7)} under \`commits:\` in the post-mortem that justifies it; for a change that needs none, \`${trailer}: none -- <reason>\`.`,
  };
}
