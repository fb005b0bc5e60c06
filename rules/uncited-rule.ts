import { defineCheck } from "../src/engine/check.js";
import { citedItems } from "../src/harness/citations.js";

export default defineCheck({
  id: "uncited-rule",
  description: "No post-mortem cites the item (rules and hooks)",
  category: "provenance",
  defaultSeverity: "warn",
  messages: {
    uncited: 'no post-mortem cites {{kind}} "{{title}}" ({{ref}})',
  },
  run(model, context) {
    const cited = citedItems(model);
    for (const item of [...model.items, ...model.hooks]) {
      if (cited.has(item)) continue;
      context.report({
        messageId: "uncited",
        data: { kind: item.kind, title: item.title, ref: item.ref },
        file: item.file,
        span: item.span,
        item: item.ref,
        hint: `List \`${item.ref}\` under \`changes:\` in the post-mortem that justified it, or remove the ${item.kind} if no incident did.`,
      });
    }
  },
});
