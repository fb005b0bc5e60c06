import { defineCheck } from "../src/engine/check.js";
import { citations, type Citation } from "../src/harness/citations.js";
import type { MissingReason } from "../src/harness/refs.js";

type MessageId = "danglingTrailer" | "missingItem" | "missingFile" | "notHarness" | "missingAnchor" | "notARule" | "missingPostmortem" | "ambiguous" | "duplicateId";

const BY_REASON: Record<MissingReason, MessageId> = {
  "no-id": "missingItem",
  "no-file": "missingFile",
  "no-item": "notHarness",
  "no-anchor": "missingAnchor",
  "not-a-rule": "notARule",
};

const HINT = "Use the rule's ref as `harness-lint --format json` prints it in `item` (`CLAUDE.md#heading-slug`), or restore the rule.";

export default defineCheck({
  id: "dangling-citation",
  description: "A post-mortem names an item or post-mortem that does not exist",
  category: "provenance",
  defaultSeverity: "error",
  messages: {
    missingItem: "post-mortem {{postmortem}} cites `{{ref}}`, which names no rule or hook",
    missingFile: "post-mortem {{postmortem}} cites `{{ref}}`, but `{{file}}` does not exist",
    notHarness: "post-mortem {{postmortem}} cites `{{ref}}`, but `{{file}}` is not a harness file",
    missingAnchor: "post-mortem {{postmortem}} cites `{{ref}}`, but `{{file}}` has no rule or hook at `#{{anchor}}`",
    notARule: "post-mortem {{postmortem}} cites `{{ref}}`, a heading in the preamble of `{{file}}`, which is not a rule",
    missingPostmortem: "post-mortem {{postmortem}} links to post-mortem `{{ref}}`, which does not exist",
    ambiguous: "post-mortem {{postmortem}} cites `{{ref}}`, which {{count}} items carry: {{items}}",
    danglingTrailer: 'commit {{sha}} "{{subject}}" has `{{trailer}}: {{value}}`, but no post-mortem {{value}} exists at that commit',
    duplicateId: "post-mortem id `{{id}}` is also the id of {{others}}: a trailer or citation naming it means either",
  },
  run(model, context) {
    for (const citation of citations(model)) {
      const { resolution } = citation;
      const base = { file: citation.postmortem.path, span: citation.span, mention: citation.ref };
      const data = { postmortem: citation.postmortem.id, ref: citation.ref };
      if (resolution.kind === "ambiguous") {
        const items = resolution.items.map((i) => i.ref);
        context.report({ ...base, messageId: "ambiguous", data: { ...data, count: items.length, items: items.join(", ") }, hint: "Write the full ref, `<file>#<anchor>`." });
      } else if (resolution.kind === "missing") {
        const messageId = messageFor(citation, resolution.reason);
        const hint = messageId === "missingPostmortem" ? "Fix the link: it is resolved relative to this post-mortem." : HINT;
        context.report({ ...base, messageId, data: { ...data, file: resolution.file ?? "", anchor: resolution.anchor ?? "" }, hint });
      }
    }
    // Two post-mortems with one id (two branches took the same number): every `Post-Mortem: <id>`
    // trailer and bare citation of it is ambiguous, so each copy is reported.
    const byId = new Map<string, Array<(typeof model.postmortems)[number]>>();
    for (const pm of model.postmortems) {
      if (pm.id === pm.path) continue; // no explicit id: the path is unique
      const key = pm.id.toLowerCase();
      byId.set(key, [...(byId.get(key) ?? []), pm]);
    }
    for (const group of byId.values()) {
      if (group.length < 2) continue;
      for (const pm of group) {
        const others = group.filter((other) => other !== pm).map((other) => other.path);
        context.report({
          messageId: "duplicateId",
          data: { id: pm.id, others: others.join(", ") },
          file: pm.path,
          span: pm.span,
          mention: pm.id,
          hint: "Give one of them a new `id:` (and update the trailers that meant it); `harness-lint postmortem new` makes ids from the date and title, which two branches do not both take.",
        });
      }
    }
    // Trailers are citations too: history facts, present when the run read history (`--base`).
    for (const { commit, value, file, span } of model.history?.danglingTrailers ?? []) {
      context.report({
        messageId: "danglingTrailer",
        data: { sha: commit.sha.slice(0, 7), subject: commit.subject, trailer: model.config.trailer, value },
        file,
        span,
        mention: value,
        commit: commit.sha,
        hint: "Name the post-mortem by its `id:` or its path, and add it in this commit or an earlier one (git commit --amend, or git rebase -i).",
      });
    }
  },
});

function messageFor(citation: Citation, reason: MissingReason): MessageId {
  return citation.target === "postmortem" ? "missingPostmortem" : BY_REASON[reason];
}
