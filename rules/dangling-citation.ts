import { defineCheck } from "../src/engine/check.js";
import { citations, type Citation } from "../src/harness/citations.js";
import type { MissingReason } from "../src/harness/refs.js";

type MessageId = "danglingTrailer" | "missingItem" | "missingFile" | "notHarness" | "missingAnchor" | "notARule" | "missingPostmortem" | "ambiguous";

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
    danglingTrailer: "commit {{sha}} \"{{subject}}\" has `{{trailer}}: {{value}}`, but no post-mortem {{value}} exists at that commit",
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
