import { defineCheck } from "../src/engine/check.js";
import { citations } from "../src/model/citations.js";

export default defineCheck({
  id: "dangling-citation",
  description: "A post-mortem names an item or post-mortem that does not exist",
  category: "provenance",
  defaultSeverity: "error",
  messages: {
    missingItem: "post-mortem {{postmortem}} cites `{{ref}}`, which names no rule or hook",
    ambiguous: "post-mortem {{postmortem}} cites `{{ref}}`, which {{count}} items carry: {{items}}",
  },
  run(model, context) {
    for (const citation of citations(model)) {
      const { resolution } = citation;
      if (resolution.kind === "found") continue;
      const base = { file: citation.postmortem.path, span: citation.span, mention: citation.ref };
      if (resolution.kind === "ambiguous") {
        context.report({
          ...base,
          messageId: "ambiguous",
          data: {
            postmortem: citation.postmortem.id,
            ref: citation.ref,
            count: resolution.items.length,
            items: resolution.items.map((i) => i.ref).join(", "),
          },
          hint: "Write the full ref, `<file>#<anchor>`.",
        });
      } else {
        context.report({
          ...base,
          messageId: "missingItem",
          data: { postmortem: citation.postmortem.id, ref: citation.ref },
          hint: "Use the rule's ref as `harness-lint --format json` prints it (`CLAUDE.md#heading-slug`), or restore the rule.",
        });
      }
    }
  },
});
