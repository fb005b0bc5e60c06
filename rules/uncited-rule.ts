import { defineCheck } from "../src/engine/check.js";
import { citedItems } from "../src/model/citations.js";

export default defineCheck({
  id: "uncited-rule",
  description: "No post-mortem cites the item",
  category: "provenance",
  defaultSeverity: "warn",
  messages: {
    uncited: "no post-mortem cites rule \"{{title}}\" ({{ref}})",
  },
  run(model, context) {
    const cited = citedItems(model);
    for (const item of model.items) {
      if (cited.has(item)) continue;
      context.report({
        messageId: "uncited",
        data: { title: item.title, ref: item.ref },
        file: item.file,
        span: item.span,
        item: item.ref,
        hint: `List \`${item.ref}\` under \`changes:\` in the post-mortem that justified it, or remove the rule if no incident did.`,
      });
    }
  },
});
